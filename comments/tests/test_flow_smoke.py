"""The main path: write, confirm by email, approve, show; a reply notifies the first writer."""

from django.core import mail
from django.test import Client

from comments.models import Comment, CommentSettings
from comments.privacy import erase_data
from comments.services import moderate
from comments.tests.commenting import form_data, link_in


def test_a_new_reader_comments_confirms_and_is_published_after_approval(
    client, make_commentable, django_capture_on_commit_callbacks
):
    post = make_commentable()
    page = client.get(post.url)
    assert b'name="body"' in page.content and b"Post comment" in page.content
    assert not page.cookies

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/comments/post/{post.pk}/", form_data(notify_replies="on"))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.UNCONFIRMED
    assert len(mail.outbox) == 1
    confirm_path = link_in(mail.outbox[0], r"/comments/confirm/[^\s]+/")

    assert client.get(confirm_path).status_code == 200
    comment.refresh_from_db()
    assert comment.status == Comment.Status.UNCONFIRMED, "a GET must not confirm"
    response = client.post(confirm_path)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "Thank you for this clear explanation" not in client.get(post.url).content.decode()

    moderate(Comment.objects.filter(pk=comment.pk), "approve")
    assert "Thank you for this clear explanation" in client.get(post.url).content.decode()

    other = Client()
    with django_capture_on_commit_callbacks(execute=True):
        other.post(
            f"/comments/post/{post.pk}/",
            form_data(name="Jon", email="jon@example.org", body="I agree.", parent=comment.pk),
        )
    reply = Comment.objects.get(author_name="Jon")
    with django_capture_on_commit_callbacks(execute=True):
        other.post(link_in(mail.outbox[-1], r"/comments/confirm/[^\s]+/"))
        moderate(Comment.objects.filter(pk=reply.pk), "approve")
    assert mail.outbox[-1].to == ["maria@example.org"]
    assert "Jon replied" in mail.outbox[-1].subject


def test_a_trusted_commenter_is_published_at_once(
    client, make_commentable, django_capture_on_commit_callbacks
):
    post = make_commentable()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/comments/post/{post.pk}/", form_data())
    client.post(link_in(mail.outbox[0], r"/comments/confirm/[^\s]+/"))
    moderate(Comment.objects.all(), "approve")
    client.post(f"/comments/post/{post.pk}/", form_data(body="A second thought."))
    assert Comment.objects.get(body="A second thought.").status == Comment.Status.APPROVED


def test_a_cached_page_without_a_token_asks_again_and_stores_nothing(make_commentable):
    post = make_commentable()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/comments/post/{post.pk}/", form_data())
    assert response.status_code == 200
    assert b"post it again" in response.content
    assert Comment.objects.count() == 0
    assert b'name="csrfmiddlewaretoken" value="' in response.content
    CommentSettings  # noqa: B018


def test_posting_the_same_unconfirmed_comment_again_resends_the_link_once(
    client, make_commentable, django_capture_on_commit_callbacks
):
    """Only a browser that proved the address hears that it posted this already: here one
    that confirmed it before the writer erased their data (a new commenter, unconfirmed)."""
    post = make_commentable()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/comments/post/{post.pk}/", form_data(body="An earlier thought."))
    client.post(link_in(mail.outbox[0], r"/comments/confirm/[^\s]+/"))
    erase_data("maria@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/comments/post/{post.pk}/", form_data())
    assert len(mail.outbox) == 1
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/comments/post/{post.pk}/", form_data())
        assert response.status_code == 400
        assert "sent the link again" in response.content.decode()
    assert Comment.objects.filter(status=Comment.Status.UNCONFIRMED).count() == 1
    assert len(mail.outbox) == 2, "resent once, not on every attempt"
