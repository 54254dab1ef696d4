"""A reader subscribes in the box, confirms by the emailed link, an editor publishes a post in
the Wagtail admin, the alert arrives once, and one click unsubscribes; axe-core finds nothing to
fix on the subscription pages on the way."""

import re
import urllib.request

from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from e2e.conftest import assert_accessible

READER = "rosa.ferreira@example.org"
OTHER_READER = "tomas.novak@example.org"
EDITOR, EDITOR_PASSWORD = "editor", "a-long-test-only-password"
TITLE = "Liquid biopsy finds relapse months before scans"
STANDFIRST = "A blood test picked up returning bowel cancer earlier than CT in a new trial."


def local_path(url):
    """The path of a link in an email; the emails use BASE_URL, the live server another port."""
    assert url.startswith(settings.BASE_URL + "/"), url
    return url.removeprefix(settings.BASE_URL)


def html_part(message):
    return next(body for body, kind in message.alternatives if kind == "text/html")


def sent_to(address, since):
    return [m for m in mail.outbox[since:] if m.to == [address]]


def heading(page):
    return page.get_by_role("heading", level=1)


def subscribe_in_the_box(page, site, path, email):
    page.goto(site + path)
    box = page.get_by_role("complementary").locator("#subscribe")
    box.get_by_label("Email address").fill(email)
    box.get_by_role("button", name="Subscribe").click()


def publish_in_the_admin(page, site, blog_index, contributor):
    """The editor's path: sign in, open the blog in the page explorer, add a post, publish."""
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(EDITOR)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(site + f"/admin/pages/{blog_index.pk}/")
    expect(heading(page)).to_contain_text(blog_index.title)
    page.get_by_role("link", name="Add child page").first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/add/blog/postpage/\d+/$"))

    page.get_by_role("textbox", name=re.compile(r"^Title")).fill(TITLE)
    page.get_by_role("textbox", name=re.compile(r"^Standfirst")).fill(STANDFIRST)
    contributors = page.get_by_role("region", name="Contributors", exact=True)
    contributors.get_by_role("button", name="Choose contributor").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name=contributor.name).click()
    expect(chooser).to_be_hidden()
    expect(contributors).to_contain_text(contributor.name)

    body = page.locator("#body-root")
    body.get_by_role("button", name="Insert a block").click()
    page.get_by_role("option", name="Paragraph").click()
    body.get_by_role("textbox").click()
    page.keyboard.type("In a trial of 300 patients, the blood test came first.")
    # The rich text editor copies its content into the form a moment after typing.
    expect(page.locator('input[name="body-0-value"]')).to_have_value(re.compile("300 patients"))
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Page '{TITLE}' created and published.")


def test_a_reader_subscribes_confirms_gets_an_alert_and_leaves_in_one_click(
    demo_site, page, axe, django_user_model, settings
):
    from blog.models import BlogIndexPage, Contributor, PostPage
    from blog.services import add_post
    from subscriptions import services
    from subscriptions.models import Mailing, Subscriber

    post = PostPage.objects.live().order_by("-first_published_at").first()
    sent = len(mail.outbox)

    # 1. A reader subscribes in the box at the top of the left-hand column of a post.
    subscribe_in_the_box(page, demo_site, post.url, READER)
    expect(heading(page)).to_have_text(f"Subscribe {READER} to alerts?")
    expect(page.get_by_role("main").get_by_label("Email address", exact=True)).to_have_value(READER)
    assert not Subscriber.objects.exists(), "the box only shows the consent page"
    assert_accessible(axe, page)
    page.screenshot(path="/tmp/journey-consent.png", full_page=True)

    # Without the tick nothing is stored, nothing is sent, and the reader is told why.
    page.get_by_role("button", name="Confirm subscription").click()
    expect(page.locator("#id_consent-error")).to_contain_text("Please tick the box")
    expect(page.get_by_role("checkbox")).to_have_attribute("aria-invalid", "true")
    assert not Subscriber.objects.exists() and len(mail.outbox) == sent
    assert_accessible(axe, page)

    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Confirm subscription").click()
    expect(heading(page)).to_have_text("Check your inbox")
    assert_accessible(axe, page)
    subscriber = Subscriber.objects.get(email=READER)
    assert subscriber.status == Subscriber.Status.PENDING

    # 2. The confirmation link comes by email; opening it shows a button, pressing it confirms.
    confirmations = sent_to(READER, sent)
    assert len(confirmations) == 1, [m.subject for m in mail.outbox[sent:]]
    assert confirmations[0].subject == "Confirm your email alerts from The Cancer Blog"
    found = re.search(r"\S+/subscribe/confirm/[^/\s]+/", confirmations[0].body)
    assert found, confirmations[0].body
    assert found.group(0) in html_part(confirmations[0])
    confirm_path = local_path(found.group(0))
    page.goto(demo_site + confirm_path)
    expect(heading(page)).to_have_text("Confirm your subscription")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING, "a GET (a mail scanner) confirms nothing"
    assert_accessible(axe, page)
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(heading(page)).to_have_text("You are subscribed")
    expect(page.get_by_role("link", name="your preferences page")).to_be_visible()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert_accessible(axe, page)
    page.screenshot(path="/tmp/journey-confirmed.png", full_page=True)

    # A second reader, subscribed and confirmed, is there for the mail client's one click.
    services.request_subscription(OTHER_READER, ip_hash="")
    services.confirm_subscription(Subscriber.objects.get(email=OTHER_READER), ip_hash="")

    # 3. An editor publishes a new post in the Wagtail admin. Wagtail 8 autosaves drafts every
    # half second, and the first autosave turns the add form into an edit form: a person is
    # slower than that, a test pressing Publish at once races it. Autosave is off here.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    django_user_model.objects.create_superuser(EDITOR, "editor@example.org", EDITOR_PASSWORD)
    before = len(mail.outbox)
    publish_in_the_admin(
        page, demo_site, BlogIndexPage.objects.get(), Contributor.objects.order_by("name").first()
    )
    new_post = PostPage.objects.get(title=TITLE)
    assert new_post.live and new_post.send_alert

    # 4. The alert arrives, once, for each subscriber, with the link and one-click headers.
    alerts = sent_to(READER, before)
    assert len(alerts) == 1, [(m.to, m.subject) for m in mail.outbox[before:]]
    alert = alerts[0]
    assert alert.subject == f"New on The Cancer Blog: {TITLE}"
    post_url = settings.BASE_URL + new_post.url
    assert f"Read it: {post_url}\n" in alert.body
    assert f'href="{post_url}"' in html_part(alert)
    headers = alert.message()
    stop_url = re.fullmatch(r"<(\S+/subscribe/stop/[^/\s]+/)>", headers["List-Unsubscribe"])
    assert stop_url, headers["List-Unsubscribe"]
    stop_url = stop_url.group(1)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe: {stop_url}\n" in alert.body
    other_alerts = sent_to(OTHER_READER, before)
    assert len(other_alerts) == 1 and other_alerts[0].subject == alert.subject

    # The post link in the alert opens the new post.
    page.goto(demo_site + local_path(post_url))
    expect(heading(page)).to_have_text(TITLE)

    # 5. The visible "Unsubscribe" link of the alert: a GET asks, the button unsubscribes.
    page.set_content(html_part(alert))
    unsubscribe_link = page.get_by_role("link", name="Unsubscribe", exact=True)
    expect(unsubscribe_link).to_be_visible()
    assert unsubscribe_link.get_attribute("href") == stop_url
    page.goto(demo_site + local_path(stop_url))
    expect(heading(page)).to_have_text("Stop email alerts")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED, "a GET (a mail scanner) stops nothing"
    assert_accessible(axe, page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(heading(page)).to_have_text("You are unsubscribed")
    assert_accessible(axe, page)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED

    # RFC 8058: the mail client POSTs to the List-Unsubscribe URL, with no cookie or CSRF token.
    (other_header,) = re.findall(r"<([^>]+)>", other_alerts[0].message()["List-Unsubscribe"])
    one_click = urllib.request.Request(
        demo_site + local_path(other_header),
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(one_click) as response:
        assert response.status == 200
    other = Subscriber.objects.get(email=OTHER_READER)
    assert other.status == Subscriber.Status.UNSUBSCRIBED

    # Neither hears of the next post.
    after = len(mail.outbox)
    later = add_post(
        BlogIndexPage.objects.get(),
        title="A second post after they left",
        standfirst="Nobody who left hears of it.",
        contributors=[Contributor.objects.order_by("name").first()],
    )
    assert Mailing.objects.filter(post=later, kind=Mailing.Kind.ALERT).exists()
    assert not sent_to(READER, after) and not sent_to(OTHER_READER, after)
