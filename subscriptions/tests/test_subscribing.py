"""Subscribing to email alerts: the box on cached pages, explicit consent, double opt-in,
one-click leaving, and the consent ledger."""

import re

import pytest
from django.test import Client

from core.tests.limits import all_limits_expire
from subscriptions import services
from subscriptions.models import ConsentRecord, Subscriber
from subscriptions.tests.pages import csrf_token_in

pytestmark = pytest.mark.django_db

ADDRESS = "reader@example.org"


@pytest.fixture
def browser():
    """A browser that gets no CSRF pass for free."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")


def sign_up(browser, email=ADDRESS, source="/blog/some-post/"):
    """The box, then the consent page: returns the consent page's answer."""
    page = browser.post("/subscribe/", {"email": email, "source": source})
    assert page.status_code == 200
    return browser.post(
        "/subscribe/consent/",
        {
            "email": email,
            "source": source,
            "wording_version": services.WORDING_VERSION,
            "consent": "yes",
            "csrfmiddlewaretoken": csrf_token_in(page),
        },
    )


def link_in(message, pattern):
    found = re.search(pattern, message.body)
    assert found, f"no {pattern} in {message.body}"
    return found.group(0)


def confirm_link(message):
    return link_in(message, r"/subscribe/confirm/[^\s]+/")


def test_the_box_is_on_the_home_page_and_posts_without_token_or_cookie(site_tree, make_post):
    post = make_post()
    for url in ("/", post.url):
        response = Client().get(url)
        html = response.content.decode()
        box = html[html.index('id="subscribe"') :]
        box = box[: box.index("</section>")]
        assert 'action="/subscribe/"' in box, url
        label = '<label class="field__label subscribe-box__label" for="subscribe-email">'
        assert label + "Email address</label>" in box
        assert ">Subscribe</button>" in box
        assert 'href="/privacy/"' in box
        assert "csrfmiddlewaretoken" not in box
        assert not response.cookies, url


def test_every_post_ends_with_a_prompt_that_leads_to_the_same_consent(site_tree, make_post):
    post = make_post()
    html = Client().get(post.url).content.decode()
    prompt = html[html.index('class="subscribe-prompt"') :]
    prompt = prompt[: prompt.index("</section>")]
    assert html.index('class="subscribe-prompt"') < html.index('id="comments"')
    assert 'action="/subscribe/"' in prompt and "csrfmiddlewaretoken" not in prompt
    assert f'name="source" value="{post.url}"' in prompt
    assert 'for="subscribe-prompt-email">Email address</label>' in prompt
    assert html.count('id="subscribe-prompt-email"') == 1 == html.count('id="subscribe-email"')

    answer = Client().post("/subscribe/", {"email": ADDRESS, "source": post.url})

    assert "Subscribe reader@example.org to alerts?" in answer.content.decode()
    assert not Subscriber.objects.exists()


def test_the_box_shows_the_consent_page_and_stores_nothing(site_tree, browser, mailoutbox):
    response = browser.post("/subscribe/", {"email": " Reader@Example.org ", "source": "/"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Subscribe reader@example.org to alerts?" in html
    assert services.CONSENT_WORDING in html
    assert services.WORDING_VERSION in html
    assert 'type="checkbox" name="consent"' in html and " required" in html
    assert ">Confirm subscription</button>" in html
    assert csrf_token_in(response)
    assert response["Cache-Control"].startswith("max-age=0")
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert mailoutbox == []


def test_without_the_tick_nothing_is_stored(site_tree, browser, mailoutbox):
    page = browser.post("/subscribe/", {"email": ADDRESS})
    response = browser.post(
        "/subscribe/consent/",
        {
            "email": ADDRESS,
            "wording_version": services.WORDING_VERSION,
            "csrfmiddlewaretoken": csrf_token_in(page),
        },
    )
    assert response.status_code == 400
    assert "Please tick the box to agree" in response.content.decode()
    assert not Subscriber.objects.exists() and not ConsentRecord.objects.exists()
    assert mailoutbox == []


def test_consent_without_a_csrf_token_is_refused(site_tree, browser, mailoutbox):
    response = browser.post(
        "/subscribe/consent/",
        {"email": ADDRESS, "wording_version": services.WORDING_VERSION, "consent": "yes"},
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()
    assert mailoutbox == []


def test_consent_sends_one_confirmation_link_and_records_it(
    site_tree, browser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(browser)
    assert response.status_code == 302
    page = browser.get(response["Location"])
    assert "Check your inbox" in page.content.decode()

    subscriber = Subscriber.objects.get()
    assert subscriber.email == ADDRESS
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [ADDRESS]
    assert confirm_link(mailoutbox[0])

    record = ConsentRecord.objects.get()
    assert record.action == ConsentRecord.Action.SUBSCRIBE
    assert record.wording_version == services.WORDING_VERSION
    assert record.source_path == "/blog/some-post/"
    assert record.email_hash == services.email_hash(ADDRESS)
    assert ADDRESS not in record.email_hash
    assert record.ip_hash and "203.0.113.7" not in record.ip_hash
    assert len(record.ip_hash) == 64


def test_get_does_not_confirm_post_does(
    site_tree, browser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(browser)
    link = confirm_link(mailoutbox[0])

    page = browser.get(link)
    assert page.status_code == 200
    assert ">Confirm my subscription</button>" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    response = browser.post(link, {"csrfmiddlewaretoken": csrf_token_in(page)})
    assert response.status_code == 302
    assert "You are subscribed" in browser.get(link).content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    confirm = ConsentRecord.objects.get(action=ConsentRecord.Action.CONFIRM)
    assert confirm.subscriber == subscriber and confirm.ip_hash

    # Pressing again changes nothing and records nothing more.
    browser.post(link, {"csrfmiddlewaretoken": csrf_token_in(page)})
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.CONFIRM).count() == 1


def test_repeated_sign_up_reveals_nothing_and_resends_at_most_every_ten_minutes(
    site_tree, mailoutbox, django_capture_on_commit_callbacks
):
    def answer(email):
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(Client(enforce_csrf_checks=True), email=email)
        return response.status_code, response["Location"]

    new = answer("new@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(enforce_csrf_checks=True))
    subscriber = Subscriber.objects.get(email=ADDRESS)
    services.confirm_subscription(subscriber, ip_hash="")
    sent_before = len(mailoutbox)

    all_limits_expire()  # ten minutes later
    assert answer(ADDRESS) == new  # same answer for a confirmed address
    assert len(mailoutbox) == sent_before + 1
    assert "already subscribed" in mailoutbox[-1].body
    assert Subscriber.objects.get(email=ADDRESS).status == Subscriber.Status.CONFIRMED

    assert answer(ADDRESS) == new  # and again at once: same answer, no new email
    assert len(mailoutbox) == sent_before + 1
    assert answer("new@example.org") == new  # a pending address is re-sent its link
    assert len(mailoutbox) == sent_before + 2
    assert confirm_link(mailoutbox[-1])


def test_one_click_unsubscribe_without_csrf_or_cookie(
    site_tree, browser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(browser)
    subscriber = Subscriber.objects.get()
    services.confirm_subscription(subscriber, ip_hash="")
    stop = "/subscribe/stop/" + services.make_token("stop", subscriber) + "/"

    page = Client(enforce_csrf_checks=True).get(stop)
    assert ">Unsubscribe</button>" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    response = Client(enforce_csrf_checks=True).post(stop, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.UNSUBSCRIBE).count() == 1

    # A retried one-click request succeeds again and records nothing more.
    again = Client(enforce_csrf_checks=True).post(stop)
    assert again.status_code == 200
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.UNSUBSCRIBE).count() == 1
    # An old confirm link no longer resubscribes.
    assert Client().post(confirm_link(mailoutbox[0])).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_forged_tokens_get_a_clear_page_and_change_nothing(
    site_tree, browser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(browser)
    subscriber = Subscriber.objects.get()
    confirm = services.make_token("confirm", subscriber)
    stop = services.make_token("stop", subscriber)
    forged = [
        "/subscribe/confirm/nonsense/",
        f"/subscribe/confirm/{confirm[:-2]}xx/",
        f"/subscribe/confirm/{stop}/",  # a stop token does not confirm
        f"/subscribe/stop/{confirm}/",  # nor a confirm token stop
        f"/subscribe/stop/{stop[:-2]}xx/",
    ]
    records = ConsentRecord.objects.count()
    for url in forged:
        response = Client().post(url)
        assert response.status_code == 404, url
        assert "This link does not work" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert ConsentRecord.objects.count() == records

    # A token for an address that changed since no longer works.
    Subscriber.objects.filter(pk=subscriber.pk).update(email="other@example.org")
    assert Client().post(f"/subscribe/stop/{stop}/").status_code == 404


@pytest.mark.parametrize(
    "email",
    [
        "a" * 250 + "@example.org",
        "<script>alert(1)</script>@example.org",
        "reader@example.org<script>",
        "\u202ereader@example.org",
        "reader@\u202eexample.org",
        "reader@exam\u200bple.org",
        "read\x00er@example.org",
        "jürgen@example.org",
        "",
        "not an address",
    ],
)
def test_hostile_input_gets_a_clear_error_and_stores_nothing(site_tree, browser, email, mailoutbox):
    response = browser.post("/subscribe/", {"email": email, "source": "javascript:alert(1)"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_email-error"' in html
    assert "<script>" not in html
    assert "Confirm subscription" not in html

    response = browser.post(
        "/subscribe/consent/",
        {"email": email, "consent": "yes", "wording_version": services.WORDING_VERSION},
    )
    assert response.status_code == 403  # no token: refused before anything is read
    assert not Subscriber.objects.exists() and not ConsentRecord.objects.exists()
    assert mailoutbox == []


def test_hostile_source_is_not_recorded(
    site_tree, browser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(browser, source="https://evil.example/<script>")
    assert ConsentRecord.objects.get().source_path == ""
    page = browser.post("/subscribe/", {"email": ADDRESS, "source": "//evil.example/"})
    assert "evil.example" not in page.content.decode()


def test_an_international_domain_is_accepted_and_shown_as_typed(site_tree, browser):
    response = browser.post("/subscribe/", {"email": "reader@exämple.org"})
    assert response.status_code == 200
    assert "Subscribe reader@exämple.org to alerts?" in response.content.decode()


def test_unconfirmed_sign_ups_are_forgotten_when_their_link_expires(site_tree, browser):
    from django.core.management import call_command
    from django.utils import timezone

    sign_up(browser)
    sign_up(browser, email="confirmed@example.org")
    Subscriber.objects.filter(email="confirmed@example.org").update(
        status=Subscriber.Status.CONFIRMED
    )
    week_later = timezone.now() + timezone.timedelta(seconds=services.CONFIRM_MAX_AGE)

    assert services.purge_unconfirmed(now=week_later - timezone.timedelta(minutes=1)) == 0
    assert services.purge_unconfirmed(now=week_later + timezone.timedelta(minutes=1)) == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["confirmed@example.org"]
    # The consent ledger keeps its lines, naming the address only by its keyed hash.
    assert ConsentRecord.objects.filter(email_hash=services.email_hash(ADDRESS)).exists()

    # The scheduler runs it too.
    Subscriber.objects.create(email="old@example.org")
    Subscriber.objects.filter(email="old@example.org").update(
        created_at=timezone.now() - timezone.timedelta(seconds=services.CONFIRM_MAX_AGE + 60)
    )
    call_command("run_scheduler", "--once")
    assert not Subscriber.objects.filter(email="old@example.org").exists()
