"""Nobody learns from our answers whether an address is known here: a subscriber, a commenter,
a follower or a guest author. For each form that takes an address, a known and an unknown one
get the same status, the same redirect, the same page (but for the address itself), the same
mail to anyone but the address's owner, and the same number of database queries."""

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.checks import content_hash
from comments.follow import request_follow
from comments.models import Commenter
from comments.tests.commenting import comment_url, form_data, published
from core.tests.limits import all_limits_expire
from submissions.tests import submitting
from subscriptions import services as subscription_services
from subscriptions.models import Subscriber

pytestmark = pytest.mark.django_db

KNOWN = "known@example.org"
UNKNOWN = "unknown@example.org"


@dataclass
class Answer:
    status: int
    location: str
    page: str
    mail_to_others: list
    queries: int


def normalise(text, email):
    """The page with the address, per-request secrets and signed tokens blanked out."""
    if email:
        text = text.replace(email, "EMAIL")
    text = re.sub(r'datetime="[^"]+"', "TIME", text)
    text = re.sub(r"(/comments/|#)\d+", r"\1N", text)  # ids of the rows each request made
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    text = re.sub(r'nonce="[^"]*"', "NONCE", text)
    text = re.sub(r'name="started" value="[^"]+"', "STARTED", text)
    text = re.sub(r"/(confirm|status|manage|stop|submissions)/[\w:.\-]{20,}/", r"/\1/TOKEN/", text)
    return text


_warm_ups = iter(range(1, 1_000_000))


def answer(do, email, captured):
    cache.clear()
    all_limits_expire()  # rate limits and once-per-hour link limits start equal for both
    # The same request for a third address first, so both answers meet the same warm caches
    # (site root, settings) and only the address makes a difference.
    with captured(execute=True):
        do(Client(), f"warm-up-{next(_warm_ups)}@example.org")
    mail.outbox.clear()
    client = Client()
    with captured(execute=True):
        # The request's own queries; the emails' tasks run after it (in a worker in production).
        with CaptureQueriesContext(connection) as queries:
            response = do(client, email)
        query_count = len(queries)  # read now: the next request empties the log
    page = response
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303):
        page = client.get(location)
    return Answer(
        status=response.status_code,
        location=normalise(location, email),
        page=normalise(page.content.decode(), email),
        mail_to_others=sorted(
            (normalise(m.subject, email), tuple(m.to)) for m in mail.outbox if m.to != [email]
        ),
        queries=query_count,
    )


def assert_same_answer(do, captured, known=KNOWN, unknown=UNKNOWN, same_queries=False):
    first, second = answer(do, known, captured), answer(do, unknown, captured)
    assert first.status == second.status
    assert first.location == second.location
    assert first.page == second.page
    assert first.mail_to_others == second.mail_to_others
    if same_queries:
        assert first.queries == second.queries, (first.queries, second.queries)
    return first, second


@pytest.fixture
def captured(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def post(make_post):
    return make_post()


# --- Email alerts -------------------------------------------------------------------------------


def consent(client, email):
    return client.post(
        "/subscribe/consent/",
        {
            "email": email,
            "consent": "on",
            "wording_version": subscription_services.WORDING_VERSION,
        },
    )


@pytest.mark.parametrize(
    "status", [Subscriber.Status.CONFIRMED, Subscriber.Status.PENDING, "unsubscribed"]
)
def test_signing_up_a_known_address_looks_like_a_new_one(site_tree, captured, status):
    Subscriber.objects.create(email=KNOWN, status=status, confirmed_at=timezone.now())
    assert_same_answer(
        lambda c, e: c.post("/subscribe/", {"email": e}), captured, same_queries=True
    )
    assert_same_answer(consent, captured, same_queries=True)


def test_signing_up_twice_resends_without_telling(site_tree, captured):
    """The second sign-up of a pending address ("resend confirmation") answers as the first."""
    consent(Client(), KNOWN)
    assert_same_answer(consent, captured)


def test_a_new_address_that_is_already_subscribed_looks_like_any_other(site_tree, captured):
    Subscriber.objects.create(email=KNOWN, status="confirmed", confirmed_at=timezone.now())
    me = Subscriber.objects.create(
        email="me@example.org", status="confirmed", confirmed_at=timezone.now()
    )
    manage = f"/subscribe/manage/{subscription_services.make_token('manage', me)}/"

    def change(client, email):
        Subscriber.objects.filter(pk=me.pk).update(new_email="")
        return client.post(manage, {"action": "address", "new_email": email})

    assert_same_answer(change, captured, same_queries=True)


# --- Comments -----------------------------------------------------------------------------------


def test_asking_for_my_data_looks_the_same_for_known_and_unknown_addresses(post, captured):
    commenter = Commenter.objects.create(email=KNOWN, name="K", confirmed_at=timezone.now())
    published(post, commenter=commenter)
    first, _ = assert_same_answer(lambda c, e: c.post("/comments/my-data/", {"email": e}), captured)
    assert first.location == "/comments/my-data/sent/"


def test_following_looks_the_same_for_a_follower_and_a_stranger(post, captured):
    request_follow(post, KNOWN)
    assert_same_answer(lambda c, e: c.post(f"/comments/follow/{post.pk}/", {"email": e}), captured)


@pytest.mark.parametrize("confirmed", [True, False])
def test_commenting_with_a_known_address_from_a_new_browser_looks_the_same(
    post, captured, confirmed
):
    """A confirmed commenter's address from another browser still needs the emailed link, and
    an unconfirmed one gets its link again: the page says the same as for a new address."""
    Commenter.objects.create(
        email=KNOWN, name="K", confirmed_at=timezone.now() if confirmed else None
    )

    def comment(client, email):
        return client.post(comment_url(post), form_data(email=email, body="Thank you for this."))

    first, second = assert_same_answer(comment, captured, same_queries=True)
    assert first.status == 302


# --- Query counts -------------------------------------------------------------------------------


def test_posting_someones_comment_with_their_address_looks_like_any_address(post, captured):
    """Comments are public and addresses can be guessed: the answer must not say whether this
    address wrote this text."""
    text = "Thank you, this helped my family."
    commenter = Commenter.objects.create(email=KNOWN, name="K", confirmed_at=timezone.now())
    published(post, commenter=commenter, body=text, content_hash=content_hash(KNOWN, text))

    first, _ = assert_same_answer(
        lambda c, e: c.post(comment_url(post), form_data(email=e, body=text)),
        captured,
        same_queries=True,
    )

    assert first.status == 302 and "Check your email" in first.page


def _follow(post):
    request_follow(post, KNOWN)
    return lambda c, e: c.post(f"/comments/follow/{post.pk}/", {"email": e})


def _comment(post):
    Commenter.objects.create(email=KNOWN, name="K", confirmed_at=timezone.now())
    return lambda c, e: c.post(comment_url(post), form_data(email=e, body="Thank you."))


def _my_data(post):
    published(post, commenter=Commenter.objects.create(email=KNOWN, name="K"))
    return lambda c, e: c.post("/comments/my-data/", {"email": e})


def _consent(post):
    Subscriber.objects.create(email=KNOWN, status="confirmed", confirmed_at=timezone.now())
    return consent


@pytest.mark.parametrize("flow", [_consent, _follow, _comment, _my_data])
def test_known_and_unknown_addresses_cost_the_same_queries(post, captured, flow):
    assert_same_answer(flow(post), captured, same_queries=True)


# --- Guest posts --------------------------------------------------------------------------------


def test_submitting_with_an_address_that_already_submitted_looks_the_same(site_tree, captured):
    submitting.submitted(Client(), captured, email=KNOWN)

    def submit(client, email):
        return client.post(submitting.SUBMIT_URL, submitting.form_data(email=email))

    first, second = assert_same_answer(submit, captured, same_queries=True)
    assert first.status == 302


def test_a_forged_status_link_looks_like_an_expired_one(site_tree, captured):
    submission, status_url = submitting.submitted(Client(), captured)
    from submissions import privacy

    erased_url = status_url
    privacy.erase(submission, withdrawn=True)
    forged = "/submissions/" + "x" * 40 + "/"
    one, other = Client().get(erased_url), Client().get(forged)
    assert one.status_code == other.status_code == 404
    assert normalise(one.content.decode(), "") == normalise(other.content.decode(), "")
