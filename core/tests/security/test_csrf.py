"""Cross-site forged POSTs: every state-changing endpoint either refuses a request without a
CSRF token, or (the forms on cached pages, and one-click links) cannot be made to do harm by one.

The forger's browser holds no CSRF cookie of ours and cannot read one, so every request here
comes from a fresh client with `enforce_csrf_checks=True` and a foreign Origin."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments.models import Comment, Commenter, CommentReport
from comments.services import make_token as comment_token
from comments.tests.commenting import comment_url, form_data, published
from submissions import services as submission_services
from submissions.models import Submission
from submissions.tests import submitting
from subscriptions import services as subscription_services
from subscriptions.models import ConsentRecord, Subscriber

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example"


def forger(user=None):
    client = Client(enforce_csrf_checks=True, headers={"origin": EVIL, "referer": EVIL + "/"})
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def subscriber(site_tree):
    return Subscriber.objects.create(
        email="sam@example.org", status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now()
    )


@pytest.fixture
def comment(make_post):
    post = make_post()
    commenter = Commenter.objects.create(
        email="maria@example.org", name="Maria", confirmed_at=timezone.now()
    )
    return published(post, commenter=commenter, name="Maria")


@pytest.fixture
def submission(client, site_tree, django_capture_on_commit_callbacks):
    made, _ = submitting.submitted(client, django_capture_on_commit_callbacks)
    made.set_status(Submission.Status.CHANGES_REQUESTED, message="Please shorten it.")
    mail.outbox.clear()
    return made


# --- Endpoints that need a token refuse a forged POST ----------------------------------------


def test_reader_forms_with_a_token_refuse_a_forged_post(comment, subscriber, submission):
    sub_manage = subscription_services.make_token("manage", subscriber)
    sub_confirm = subscription_services.make_token("confirm", subscriber)
    sub_token = submission_services.make_token(submission)
    endpoints = {
        f"/comments/confirm/{comment_token('confirm', comment.pk)}/": {},
        f"/comments/{comment.pk}/edit/{comment_token('edit', comment.pk)}/": {
            "body": "Forged",
            "delete": "1",
        },
        f"/comments/{comment.pk}/report/": {"reason": CommentReport.Reason.choices[0][0]},
        f"/comments/follow/{comment.post_id}/": {"email": "victim@example.org"},
        f"/comments/follow/confirm/{comment_token('follow', 1)}/": {},
        "/comments/my-data/": {"email": "maria@example.org"},
        "/comments/my-data/forged-token/": {"action": "erase_confirmed"},
        "/subscribe/consent/": {
            "email": "victim@example.org",
            "consent": "on",
            "wording_version": subscription_services.WORDING_VERSION,
        },
        f"/subscribe/confirm/{sub_confirm}/": {},
        f"/subscribe/manage/{sub_manage}/": {"action": "leave"},
        f"/subscribe/manage/{sub_manage}/erase/": {"confirm": "on"},
        f"/subscribe/address/{sub_manage}/": {},
        submitting.SUBMIT_URL: submitting.form_data(),
        f"/submissions/{sub_token}/": {"message": "Forged reply"},
        f"/submissions/{sub_token}/withdraw/": {},
    }
    before = (
        Comment.objects.count(),
        CommentReport.objects.count(),
        ConsentRecord.objects.count(),
        Submission.objects.count(),
        submission.events.count(),
    )
    for url, data in endpoints.items():
        response = forger().post(url, data)
        assert response.status_code == 403, (url, response.status_code)
    after = (
        Comment.objects.count(),
        CommentReport.objects.count(),
        ConsentRecord.objects.count(),
        Submission.objects.count(),
        submission.events.count(),
    )
    assert after == before
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    comment.refresh_from_db()
    assert comment.body == "A published comment."
    assert mail.outbox == []


def test_admin_forms_refuse_a_forged_post_from_a_logged_in_editor(
    comment, subscriber, submission, make_user
):
    editor = make_user("sec-editor", "Editors")
    endpoints = {
        "/admin/comments/": {"action": "reject", "selected": [comment.pk]},
        f"/admin/comments/{comment.pk}/moderate/": {"action": "reject"},
        f"/admin/comments/{comment.pk}/": {"action": "reject", "body": "Forged"},
        "/admin/comments/blocks/": {"email": "maria@example.org"},
        f"/admin/guest-posts/inspect/{submission.pk}/": {"action": "decline", "message": "No"},
        f"/admin/guest-posts/erase/{submission.pk}/": {},
        f"/admin/subscribers/erase/{subscriber.pk}/": {},
        f"/admin/pages/{comment.post_id}/delete/": {},
        f"/admin/pages/{comment.post_id}/unpublish/": {},
        "/admin/logout/": {},
    }
    client = forger(editor)
    for url, data in endpoints.items():
        response = client.post(url, data)
        assert response.status_code == 403, (url, response.status_code)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CHANGES_REQUESTED
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    comment.post.refresh_from_db()
    assert comment.post.live
    assert mail.outbox == []


def test_the_admin_login_refuses_a_forged_post(make_user):
    """Login CSRF: a forger must not sign a victim's browser in to the forger's account."""
    make_user("sec-admin", is_staff=True, is_superuser=True)
    client = forger()
    response = client.post("/admin/login/", {"username": "sec-admin", "password": "pw-123456"})
    assert response.status_code == 403
    assert client.get("/admin/").status_code == 302, "still signed out"


def test_the_same_forms_work_with_the_pages_own_token(site_tree):
    """The refusals above are the CSRF check, not a broken form: with the token they work."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/comments/my-data/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/comments/my-data/", {"email": "maria@example.org", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


# --- Token-less forms on cached pages: a forged POST stores and sends nothing ---------------


def test_a_forged_comment_is_shown_back_and_stores_nothing(make_post):
    post = make_post()
    response = forger().post(comment_url(post), form_data(notify_replies="on"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html, "the page to post it from carries a token"
    assert not Comment.objects.exists() and not Commenter.objects.exists()
    assert mail.outbox == []


def test_a_forged_comment_from_a_logged_in_moderators_browser_is_no_staff_comment(
    make_post, make_user
):
    moderator = make_user("sec-mod", "Moderators")
    post = make_post()
    response = forger(moderator).post(comment_url(post), form_data(name="Official reply"))
    assert response.status_code == 200
    assert not Comment.objects.exists()


def test_a_forged_subscribe_only_shows_the_consent_page(site_tree):
    response = forger().post("/subscribe/", {"email": "victim@example.org"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="consent"' in html and 'name="csrfmiddlewaretoken"' in html
    assert not Subscriber.objects.exists() and not ConsentRecord.objects.exists()
    assert mail.outbox == []


def test_a_forged_subscribe_then_consent_still_stores_nothing(site_tree):
    """Even a forger who chains both steps cannot get past the consent page's token."""
    client = forger()
    client.post("/subscribe/", {"email": "victim@example.org"})
    response = client.post(
        "/subscribe/consent/",
        {
            "email": "victim@example.org",
            "consent": "on",
            "wording_version": subscription_services.WORDING_VERSION,
        },
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists() and mail.outbox == []


# --- One-click links: the signed token in the URL is the authority -------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/subscribe/stop/{manage}/",  # a token for another purpose
        "/subscribe/stop/forged/",
        "/comments/stop/forged/",
        "/comments/follow/stop/forged/",
    ],
)
def test_one_click_endpoints_do_nothing_without_their_own_signed_token(subscriber, url):
    url = url.format(manage=subscription_services.make_token("manage", subscriber))
    response = forger().post(url)
    assert response.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_the_bounce_webhook_ignores_an_unsigned_forged_event(subscriber):
    response = forger().post(
        "/anymail/mailgun/tracking/",
        {"event-data": {"event": "failed", "severity": "permanent", "recipient": subscriber.email}},
        content_type="application/json",
    )
    assert response.status_code in (400, 401, 403)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
