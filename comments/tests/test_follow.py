"""Following a conversation by email: ask, confirm by a button, be told once, stop in one click."""

from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from comments import services
from comments.checks import Verdict
from comments.follow import follow_token_value, purge_unconfirmed_follows
from comments.models import Comment, CommentNotice, ConversationFollow
from comments.tasks import notify_of_publication
from comments.tests.commenting import html_part, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_rate_limits():
    cache.clear()
    yield
    cache.clear()


def follow_url(post):
    return f"/comments/follow/{post.pk}/"


def confirm_link(message):
    return link_in(message, r"/comments/follow/confirm/[^\s]+/")


def stop_link(message):
    return link_in(message, r"/comments/follow/stop/[^\s]+/")


def comment_by(post, name, email, body, parent=None, notify_replies=False):
    """A comment submitted and confirmed by its writer, waiting for a moderator."""
    rules = services.rules_for(None)
    comment, _ = services.submit_comment(
        services.Submission(
            post=post,
            name=name,
            email=email,
            body=body,
            parent=parent,
            notify_replies=notify_replies,
        ),
        rules,
        Verdict(),
    )
    services.confirm_comment(comment.pk, rules)
    return comment


def approve(comment, capture):
    with capture(execute=True):
        services.moderate(Comment.objects.filter(pk=comment.pk), "approve")


def confirmed_follow(post, email="fatima@example.org"):
    return ConversationFollow.objects.create(post=post, email=email, confirmed_at=timezone.now())


def test_the_post_links_to_a_follow_page_with_its_own_protected_form(client, make_post):
    post = make_post()
    assert f'href="{follow_url(post)}"' in client.get(post.url).content.decode()

    page = client.get(follow_url(post))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<label class="field__label" for="id_email">Email address</label>' in html
    assert ">Follow</button>" in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert html.count("<h1") == 1


def test_following_takes_an_emailed_link_and_a_button_press(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post(title="Immunotherapy & the over-80s")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(follow_url(post), {"email": " Fatima@Example.org "})
    assert response.status_code == 302
    assert response["Location"] == f"/comments/follow/{post.pk}/sent/"
    assert "Check your email" in client.get(response["Location"]).content.decode()

    follow = ConversationFollow.objects.get()
    assert follow.email == "fatima@example.org" and follow.confirmed_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fatima@example.org"]
    assert message.subject == "Confirm: follow the conversation on “Immunotherapy & the over-80s”"
    link = confirm_link(message)
    assert "fatima" not in link.lower(), "the address never travels in a URL"

    page = client.get(link)
    assert page.status_code == 200
    assert "Follow this conversation</button>" in page.content.decode()
    follow.refresh_from_db()
    assert follow.confirmed_at is None, "opening the link (as mail scanners do) confirms nothing"

    response = client.post(link)
    assert response.status_code == 302
    follow.refresh_from_db()
    assert follow.confirmed_at is not None
    assert "You follow this conversation" in client.get(response["Location"]).content.decode()


def test_each_confirmed_follower_gets_one_email_when_a_comment_is_first_approved(
    make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    other_post = make_post()
    confirmed_follow(post, "fatima@example.org")
    confirmed_follow(post, "jon@example.org")
    ConversationFollow.objects.create(post=post, email="unconfirmed@example.org")
    confirmed_follow(other_post, "elsewhere@example.org")
    comment = comment_by(post, "Maria", "maria@example.org", "Does this apply to <b>me</b>?")

    approve(comment, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["fatima@example.org", "jon@example.org"]
    message = next(m for m in mail.outbox if m.to == ["fatima@example.org"])
    assert message.subject == f"Maria commented on “{post.title}”"
    assert "Does this apply to <b>me</b>?" in message.body
    assert "Does this apply to &lt;b&gt;me&lt;/b&gt;?" in html_part(message)
    stop = stop_link(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.BASE_URL}{stop}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stop in html_part(message) and "Stop these emails" in html_part(message)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate(Comment.objects.filter(pk=comment.pk), "pending")
        services.moderate(Comment.objects.filter(pk=comment.pk), "approve")
    notify_of_publication.call(comment.pk)  # a retried task
    assert mail.outbox == [], "only the first approval is news, and only once"


def test_the_writer_of_the_comment_is_not_told_about_their_own_comment(
    make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    confirmed_follow(post, "maria@example.org")
    comment = comment_by(post, "Maria", "Maria@Example.org", "My own words.")
    approve(comment, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_reply_emails_still_go_out_and_a_follower_replied_to_gets_only_one_email(
    make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    first = comment_by(post, "Maria", "maria@example.org", "First.", notify_replies=True)
    approve(first, django_capture_on_commit_callbacks)
    confirmed_follow(post, "maria@example.org")
    confirmed_follow(post, "fatima@example.org")
    mail.outbox.clear()

    reply = comment_by(post, "Jon", "jon@example.org", "A reply.", parent=first)
    approve(reply, django_capture_on_commit_callbacks)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["fatima@example.org", "maria@example.org"]
    assert "Jon replied" in by_address["maria@example.org"].subject
    assert "Jon commented" in by_address["fatima@example.org"].subject


def test_one_click_stop_works_by_post_without_a_csrf_token_and_not_by_get(
    make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    confirmed_follow(post, "fatima@example.org")
    approve(
        comment_by(post, "Maria", "maria@example.org", "Hello."), django_capture_on_commit_callbacks
    )
    stop = stop_link(mail.outbox[0])
    mail_client = Client(enforce_csrf_checks=True)

    page = mail_client.get(stop)
    assert page.status_code == 200
    assert "Stop these emails</button>" in page.content.decode()
    assert ConversationFollow.objects.filter(email="fatima@example.org").exists()

    response = mail_client.post(stop, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You no longer follow this conversation" in response.content.decode()
    assert not ConversationFollow.objects.filter(email="fatima@example.org").exists()
    assert mail_client.post(stop).status_code == 200, "a repeated one-click request still succeeds"

    mail.outbox.clear()
    approve(comment_by(post, "Jon", "jon@example.org", "Hi."), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_repeated_requests_look_the_same_and_send_one_link_per_ten_minutes(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    confirmed_follow(post, "known@example.org")
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("new@example.org", "new@example.org", "known@example.org"):
            responses.append(client.post(follow_url(post), {"email": email}))
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, f"/comments/follow/{post.pk}/sent/")
    }
    assert [m.to for m in mail.outbox] == [["new@example.org"], ["known@example.org"]]
    assert "You already follow" in mail.outbox[1].body, "only the owner learns they follow"
    assert ConversationFollow.objects.get(email="known@example.org").confirmed_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        client.post(follow_url(post), {"email": "known@example.org"})
    assert len(mail.outbox) == 2


def test_one_address_gets_at_most_five_links_an_hour_whatever_the_posts(
    client, make_post, django_capture_on_commit_callbacks
):
    posts = [make_post() for _ in range(7)]
    with django_capture_on_commit_callbacks(execute=True):
        for post in posts:
            response = client.post(follow_url(post), {"email": "target@example.org"})
            assert response.status_code == 302
    assert len(mail.outbox) == 5


def test_one_connection_cannot_send_links_to_a_list_of_addresses(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(follow_url(post), {"email": f"person{n}@example.org"}).status_code
            for n in range(21)
        ]
    assert statuses == [302] * 20 + [429]
    assert (
        "many links in the last hour"
        in client.post(follow_url(post), {"email": "late@example.org"}).content.decode()
    )
    assert len(mail.outbox) == 20
    assert not ConversationFollow.objects.filter(
        email__in=["person20@example.org", "late@example.org"]
    ).exists()


def test_a_forged_or_expired_confirmation_link_shows_a_clear_page_and_changes_nothing(
    client, make_post
):
    post = make_post()
    follow = ConversationFollow.objects.create(post=post, email="fatima@example.org")
    real = services.make_token("follow", follow_token_value(follow))
    forged = real[:-3] + ("abc" if not real.endswith("abc") else "xyz")
    for_someone_else = services.make_token("follow", [follow.pk, "0" * 32])
    eight_days_ago = timezone.now().timestamp() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        expired = services.make_token("follow", follow_token_value(follow))

    for token in (forged, for_someone_else, expired, "not-a-token"):
        response = client.post(f"/comments/follow/confirm/{token}/")
        assert response.status_code == 404
        assert "This link has expired or is not valid" in response.content.decode()
    stop = services.make_token("unfollow", follow_token_value(follow))
    for token in (stop[:-3] + ("abc" if not stop.endswith("abc") else "xyz"), "not-a-token"):
        response = Client(enforce_csrf_checks=True).post(f"/comments/follow/stop/{token}/")
        assert response.status_code == 404
    follow.refresh_from_db()
    assert follow.confirmed_at is None
    assert ConversationFollow.objects.count() == 1


@pytest.mark.parametrize(
    "email",
    [
        "a" * 300 + "@example.org",
        "<script>alert(1)</script>@example.org",
        "maría@example.org",
        "fatima@example.org\x00",
        "fatima@example.org\nBcc: everyone@example.org",
        "",
    ],
)
def test_a_bad_address_gets_a_clear_error_and_stores_nothing(
    client, make_post, email, django_capture_on_commit_callbacks
):
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(follow_url(post), {"email": email})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="field__error" id="id_email-error"' in html
    assert 'aria-describedby="id_email-help id_email-error"' in html
    assert "<script>alert" not in html
    assert ConversationFollow.objects.count() == 0
    assert mail.outbox == []


def test_no_follow_page_for_a_missing_post_or_a_closed_conversation(client, make_post):
    assert client.get("/comments/follow/999999/").status_code == 404
    closed = make_post(comments_closed=True)
    assert client.get(follow_url(closed)).status_code == 403
    assert client.post(follow_url(closed), {"email": "a@example.org"}).status_code == 403
    assert f'href="{follow_url(closed)}"' not in client.get(closed.url).content.decode()
    assert ConversationFollow.objects.count() == 0


def test_unconfirmed_requests_are_forgotten_once_their_link_expires(make_post):
    post = make_post()
    old = timezone.now() - timezone.timedelta(days=8)
    ConversationFollow.objects.create(post=post, email="old@example.org", created_at=old)
    ConversationFollow.objects.create(post=post, email="new@example.org")
    ConversationFollow.objects.create(
        post=post, email="kept@example.org", created_at=old, confirmed_at=old
    )
    assert purge_unconfirmed_follows() == 1
    assert sorted(ConversationFollow.objects.values_list("email", flat=True)) == [
        "kept@example.org",
        "new@example.org",
    ]


def test_notices_are_kept_in_a_ledger_that_a_cache_flush_does_not_empty(
    make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    first = comment_by(post, "Maria", "maria@example.org", "First.", notify_replies=True)
    approve(first, django_capture_on_commit_callbacks)
    confirmed_follow(post, "fatima@example.org")
    mail.outbox.clear()
    reply = comment_by(post, "Jon", "jon@example.org", "A reply.", parent=first)
    approve(reply, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["fatima@example.org", "maria@example.org"]

    cache.clear()
    notify_of_publication.call(reply.pk)  # retried after a flush or a restart
    notify_of_publication.call(reply.pk)

    assert len(mail.outbox) == 2
    kinds = sorted(CommentNotice.objects.filter(comment=reply).values_list("kind", flat=True))
    assert kinds == ["follow", "reply"]
    assert all(n.sent_at for n in CommentNotice.objects.all())
    assert not CommentNotice.objects.filter(recipient__contains="@").exists(), "hashes only"


def test_a_notice_that_could_not_be_sent_is_sent_by_the_retry(
    make_post, django_capture_on_commit_callbacks, settings
):
    post = make_post()
    confirmed_follow(post, "fatima@example.org")
    comment = comment_by(post, "Maria", "maria@example.org", "Hello.")
    mail_settings = settings.MAILERS
    settings.MAILERS = {  # nothing listens there: the SMTP connection is refused
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 18499, "timeout": 5},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate(Comment.objects.filter(pk=comment.pk), "approve")  # the task fails
    assert not CommentNotice.objects.exists(), "the claim is given back"

    settings.MAILERS = mail_settings
    notify_of_publication.call(comment.pk)
    notify_of_publication.call(comment.pk)

    assert [m.to for m in mail.outbox] == [["fatima@example.org"]]


def test_erasing_an_address_forgets_its_notices(make_post, django_capture_on_commit_callbacks):
    from comments.privacy import erase_data

    post = make_post()
    confirmed_follow(post, "fatima@example.org")
    approve(
        comment_by(post, "Maria", "maria@example.org", "Hi."), django_capture_on_commit_callbacks
    )
    assert CommentNotice.objects.count() == 1

    erase_data("fatima@example.org")

    assert not CommentNotice.objects.exists()
