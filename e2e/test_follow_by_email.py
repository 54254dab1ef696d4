"""A reader follows one topic by email from its page: the consent page, the emailed link, the
preference page showing that topic; then a post in that topic alerts them and a post in another
topic does not. axe-core finds nothing to fix on the way, wide and on a phone."""

import re

from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from e2e.conftest import assert_accessible

READER = "ines.moreau@example.org"
PHONE = {"width": 390, "height": 844}


def local_path(url):
    assert url.startswith(settings.BASE_URL + "/"), url
    return url.removeprefix(settings.BASE_URL)


def heading(page):
    return page.get_by_role("heading", level=1)


def sent_to(address, since):
    return [m for m in mail.outbox[since:] if m.to == [address]]


def test_a_reader_follows_a_topic_by_email_and_hears_only_of_that_topic(
    demo_site, page, browser, axe
):
    from blog.models import BlogIndexPage, Contributor, Topic
    from blog.services import add_post
    from subscriptions.models import Subscriber

    lung = Topic.objects.get(slug="lung-cancer")
    survivorship = Topic.objects.get(slug="survivorship")
    sent = len(mail.outbox)

    # 1. On the topic's page, under its feeds: "Email me about this topic".
    page.goto(demo_site + lung.get_absolute_url())
    form = page.get_by_role("region", name="Email me about this topic")
    expect(form).to_be_visible()
    assert_accessible(axe, page)
    page.screenshot(path="/tmp/follow-topic-1280.png", full_page=True)
    form.get_by_label("Email address").fill(READER)
    form.get_by_role("button", name="Email me").click()

    # 2. The same consent page as the alerts box, naming the topic; nothing stored before it.
    expect(heading(page)).to_have_text(f"Subscribe {READER} to alerts about Lung cancer?")
    assert not Subscriber.objects.filter(email=READER).exists()
    assert_accessible(axe, page)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Confirm subscription").click()
    expect(heading(page)).to_have_text("Check your inbox")
    assert_accessible(axe, page)

    # 3. The emailed link shows a button; pressing it starts alerts about that topic only.
    [message] = sent_to(READER, sent)
    assert message.subject == "Confirm your email alerts about Lung cancer"
    found = re.search(r"\S+/subscribe/follow/[^/\s]+/", message.body)
    assert found, message.body
    page.goto(demo_site + local_path(found.group(0)))
    expect(heading(page)).to_have_text("Confirm your subscription")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(heading(page)).to_have_text("You follow Lung cancer")
    assert_accessible(axe, page)

    # 4. The preference page shows the topic ticked, under "only the topics and authors I choose".
    page.get_by_role("link", name="your preferences page").click()
    expect(heading(page)).to_have_text("Your email alerts")
    expect(page.get_by_label("Only the topics and authors I choose below")).to_be_checked()
    expect(page.get_by_label("Lung cancer", exact=True)).to_be_checked()
    expect(page.get_by_label("Survivorship", exact=True)).not_to_be_checked()
    assert_accessible(axe, page)
    page.screenshot(path="/tmp/follow-preferences.png", full_page=True)

    # 5. A post in that topic alerts the reader; a post in another topic does not.
    blog_index = BlogIndexPage.objects.get()
    author = Contributor.objects.order_by("name").first()
    before = len(mail.outbox)
    add_post(
        blog_index,
        title="Lung screening reaches rural areas",
        standfirst="Mobile scanners now visit villages.",
        contributors=[author],
        topics=[lung],
    )
    add_post(
        blog_index,
        title="Returning to work after treatment",
        standfirst="What employers can do.",
        contributors=[author],
        topics=[survivorship],
    )
    subjects = [m.subject for m in sent_to(READER, before)]
    assert subjects == ["New on The Cancer Blog: Lung screening reaches rural areas"], subjects

    # On a phone the form fits and axe still finds nothing, on a topic's and an author's page.
    phone = browser.new_context(viewport=PHONE).new_page()
    try:
        for url in (survivorship.get_absolute_url(), author.get_absolute_url()):
            phone.goto(demo_site + url)
            expect(phone.locator(".follow-email")).to_be_visible()
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{url} scrolls sideways: {width}px"
            assert_accessible(axe, phone)
        phone.screenshot(path="/tmp/follow-author-390.png", full_page=True)
    finally:
        phone.context.close()
