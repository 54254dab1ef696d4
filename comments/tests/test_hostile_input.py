"""Hostile input gets a clear message and stores nothing unsafe: pages, emails and feeds."""

from unittest import mock

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from comments.models import Comment, Commenter
from comments.services import make_token, moderate
from comments.tests.commenting import (
    comment_url,
    confirm_path,
    edit_path,
    form_data,
    html_part,
    post_confirm_and_approve,
    published,
)

pytestmark = pytest.mark.django_db

SCRIPT_NAME = '<script>alert("name")</script>Eve'
SCRIPT_BODY = (
    '<script>alert("body")</script>\n\n<img src=x onerror="alert(1)"> '
    '<a href="javascript:alert(2)">win</a> "quotes" & ampersands'
)
WAS_PARENT_MESSAGE = "The comment you replied to is not on this page, or is no longer shown."


def nothing_stored():
    return not Comment.objects.exists() and not Commenter.objects.exists()


def assert_no_live_markup(text):
    for live in ("<script>alert", "<img src=x", 'href="javascript', 'onerror="', "<svg"):
        assert live not in text, live


@pytest.fixture
def hostile_thread(client, make_commentable, django_capture_on_commit_callbacks):
    """A published comment and a published reply, both written by someone hostile."""
    post = make_commentable()
    first = post_confirm_and_approve(
        client,
        post,
        django_capture_on_commit_callbacks,
        name=SCRIPT_NAME,
        body=SCRIPT_BODY,
        notify_replies="on",
    )
    other = Client()
    reply = post_confirm_and_approve(
        other,
        post,
        django_capture_on_commit_callbacks,
        name='Mallory"><svg onload=alert(3)>',
        email="mallory@example.org",
        body="</textarea><script>alert(4)</script>",
        parent=first.pk,
    )
    return post, first, reply


def test_html_in_names_and_bodies_is_escaped_on_the_post_page(hostile_thread):
    post, first, reply = hostile_thread
    text = Client().get(post.url).content.decode()
    assert_no_live_markup(text)
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;Eve" in text
    page = BeautifulSoup(text, "html.parser")
    assert page.find(id=first.anchor).find(class_="comment__author").get_text() == SCRIPT_NAME
    assert (
        page.find(id=first.anchor)
        .find(class_="comment__body")
        .get_text()
        .startswith('<script>alert("body")</script>')
    )
    reply_link = page.find(id=first.anchor).find("a", attrs={"data-reply-to": str(first.pk)})
    assert reply_link["data-reply-name"] == SCRIPT_NAME, "quoted safely inside the attribute"


def test_html_in_names_and_bodies_is_escaped_on_the_reply_and_report_pages(hostile_thread):
    post, first, reply = hostile_thread
    for path in (
        comment_url(post) + f"?reply_to={first.pk}",
        f"/comments/{first.pk}/report/",
        f"/comments/{reply.pk}/report/",
    ):
        response = Client().get(path)
        assert response.status_code == 200
        assert_no_live_markup(response.content.decode())


def test_html_in_names_and_bodies_is_escaped_in_emails(hostile_thread):
    post, first, reply = hostile_thread
    confirmation = mail.outbox[0]
    reply_email = mail.outbox[-1]
    assert reply_email.to == [first.commenter.email] and "replied" in reply_email.subject
    for message in (confirmation, reply_email):
        html = html_part(message)
        assert_no_live_markup(html)
    for part in (confirmation.subject, confirmation.body, html_part(confirmation)):
        assert "script" not in part and "Eve" not in part, "nothing the writer chose"
    assert "&lt;/textarea&gt;&lt;script&gt;alert(4)" in html_part(reply_email)
    assert "\n" not in reply_email.subject and "\r" not in reply_email.subject


def test_html_in_names_and_bodies_is_escaped_in_the_comment_feed(hostile_thread):
    post, first, reply = hostile_thread
    response = Client().get(f"/comments/feed/{post.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"<script" not in response.content and b"<svg" not in response.content
    assert b"<img" not in response.content
    feed = feedparser.parse(response.content, sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    entries = {entry.id.rsplit("#", 1)[1]: entry for entry in feed.entries}
    entry = entries[first.anchor]
    assert entry.author == SCRIPT_NAME
    assert_no_live_markup(entry.summary)
    assert "&lt;script&gt;alert(" in entry.summary
    assert entries[reply.anchor].author == 'Mallory"><svg onload=alert(3)>'
    assert_no_live_markup(entries[reply.anchor].summary)


def test_a_one_megabyte_comment_is_refused_with_a_message(client, make_commentable):
    post = make_commentable()
    response = client.post(comment_url(post), form_data(body="a" * (1024 * 1024)))
    assert response.status_code == 400
    assert "Please keep your comment under 5,000 characters (it has 1,048,576)." in (
        response.content.decode()
    )
    assert nothing_stored()


def test_a_too_long_name_is_refused_with_a_message(client, make_commentable):
    post = make_commentable()
    response = client.post(comment_url(post), form_data(name="N" * 81))
    assert response.status_code == 400
    assert "at most 80 characters" in response.content.decode()
    assert nothing_stored()


def test_control_characters_are_stripped(client, make_commentable):
    post = make_commentable()
    body = "Hello\x00 there\x07\x08,\x1b[31m red\x7f\r\nnext line\u0085\u200b."
    response = client.post(comment_url(post), form_data(name="Ma\x00ria\x1b\n\tK.", body=body))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == "Hello there,[31m red\nnext line."
    assert comment.author_name == "Maria K."


RTL_AND_EMOJI = (
    "שלום לכולם, תודה על המאמר.\n\nمرحبا، شكرا على المقال 🌷\n\n"
    "Family: 👩\u200d👩\u200d👧\u200d👦 · 👩🏽\u200d⚕️ · 🏳️\u200d🌈 · ❤️ · 🏴\U000e0067\U000e0062"
    "\U000e0073\U000e0063\U000e0074\U000e007f · 🇵🇹"
)


def test_rtl_text_and_emoji_are_kept_intact(client, make_commentable):
    post = make_commentable()
    response = client.post(comment_url(post), form_data(name="نور 🌙", body=RTL_AND_EMOJI))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == RTL_AND_EMOJI
    assert comment.author_name == "نور 🌙"
    moderate(Comment.objects.all(), "approve")
    page = BeautifulSoup(Client().get(post.url).content.decode(), "html.parser")
    shown = page.find(id=comment.anchor)
    assert shown.find(class_="comment__body").get_text() == RTL_AND_EMOJI.replace("\n\n", "")
    assert shown.find(class_="comment__author").get_text() == "نور 🌙"


def test_bidi_override_characters_are_removed(client, make_commentable):
    post = make_commentable()
    body = "Invoice for \u202eexe.pdf\u202c and \u2066isolated\u2069 text"
    response = client.post(comment_url(post), form_data(name="Eve\u202e", body=body))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == "Invoice for exe.pdf and isolated text"
    assert comment.author_name == "Eve"


@pytest.mark.parametrize("forged", ["other_post", "missing", "pending", "abc", "-3"])
def test_a_forged_parent_gets_a_clear_message_and_nothing_is_stored(
    client, make_commentable, forged
):
    post, other_post = make_commentable(), make_commentable()
    parents = {
        "other_post": lambda: published(other_post).pk,
        "missing": lambda: 999_999,
        "pending": lambda: published(post, status=Comment.Status.PENDING).pk,
        "abc": lambda: "abc",
        "-3": lambda: "-3",
    }
    parent = parents[forged]()
    before = Comment.objects.count()
    response = client.post(comment_url(post), form_data(parent=parent))
    assert response.status_code == 400
    page = BeautifulSoup(response.content.decode(), "html.parser")
    errors = page.find(id="comment-form-errors")
    assert errors is not None and errors["role"] == "alert"
    assert WAS_PARENT_MESSAGE in errors.get_text()
    assert Comment.objects.count() == before
    assert not Commenter.objects.exists()


def test_a_reply_link_to_a_hidden_comment_opens_an_ordinary_form(client, make_commentable):
    post = make_commentable()
    hidden = published(post, status=Comment.Status.SPAM, body="Spam.")
    response = client.get(comment_url(post) + f"?reply_to={hidden.pk}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Spam." not in text and "Write a comment" in text
    assert client.get(comment_url(post) + "?reply_to=abc").status_code == 200


def test_a_replayed_form_is_refused_because_its_time_stamp_is_used(client, make_commentable):
    post = make_commentable()
    data = form_data()
    assert client.post(comment_url(post), data).status_code == 302
    response = client.post(comment_url(post), data)
    assert response.status_code == 400
    assert "This form has already been sent" in response.content.decode()
    assert Comment.objects.count() == 1
    page = BeautifulSoup(response.content.decode(), "html.parser")
    fresh = page.find("input", attrs={"name": "started"})["value"]
    assert fresh != data["started"], "the form comes back with a new stamp"
    again = client.post(comment_url(post), {**data, "started": fresh, "body": "Another one."})
    assert again.status_code == 400, "a new stamp is not old enough to be a person's"
    assert Comment.objects.count() == 1


def test_a_post_without_a_csrf_token_is_shown_again_with_one_and_nothing_is_stored(
    make_commentable,
):
    post = make_commentable()
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(comment_url(post), form_data())
    assert response.status_code == 200
    assert "post it again" in response.content.decode()
    assert nothing_stored()
    page = BeautifulSoup(response.content.decode(), "html.parser")
    token = page.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert token
    assert page.find("textarea").get_text() == form_data()["body"], "the text is kept"

    # Posting again from that page works.
    again = {
        field["name"]: field.get("value", "")
        for field in page.find("form", id="comment-form").find_all("input")
        if field.get("type") != "checkbox"
    }
    again["body"] = page.find("textarea").get_text()
    response = browser.post(comment_url(post), again)
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_a_page_from_cache_gets_its_token_from_the_token_endpoint(make_commentable):
    post = make_commentable()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(post.url)
    assert not page.cookies
    token = browser.get("/comments/token/")
    assert "no-cache" in token["Cache-Control"] or "max-age=0" in token["Cache-Control"]
    data = token.json()
    assert browser.cookies.get("csrftoken")
    response = browser.post(comment_url(post), form_data(csrfmiddlewaretoken=data["csrf"]))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_a_wrong_csrf_token_stores_nothing(make_commentable):
    post = make_commentable()
    browser = Client(enforce_csrf_checks=True)
    browser.get("/comments/token/")
    response = browser.post(comment_url(post), form_data(csrfmiddlewaretoken="x" * 64))
    assert response.status_code == 200
    assert "post it again" in response.content.decode()
    assert nothing_stored()


# Signed links


def tampered(token):
    return token[:-3] + ("abc" if not token.endswith("abc") else "xyz")


def old_token(purpose, value, seconds_ago):
    with mock.patch(
        "django.core.signing.time.time", return_value=timezone.now().timestamp() - seconds_ago
    ):
        return make_token(purpose, value)


def test_a_forged_or_expired_status_link_shows_a_clear_page(client, make_commentable):
    post = make_commentable()
    client.post(comment_url(post), form_data())
    comment = Comment.objects.get()
    for token in (
        "nonsense",
        tampered(make_token("status", [comment.pk, "published"])),
        old_token("status", [comment.pk, "published"], 2 * 24 * 3600),
        make_token("confirm", comment.pk),  # signed, but for another purpose
    ):
        response = client.get(f"/comments/status/{token}/")
        assert response.status_code == 404
        assert "This link has expired or is not valid" in response.content.decode()


def test_a_forged_or_expired_confirmation_link_changes_nothing(
    client, make_commentable, django_capture_on_commit_callbacks
):
    post = make_commentable()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_url(post), form_data())
    comment = Comment.objects.get()
    real = confirm_path(mail.outbox[0]).split("/")[-2]
    for token in (
        tampered(real),
        old_token("confirm", comment.pk, 8 * 24 * 3600),
        make_token("edit", comment.pk),
        signing.dumps(comment.pk),
    ):
        for method in (client.get, client.post):
            response = method(f"/comments/confirm/{token}/")
            assert response.status_code == 404
            assert "This link has expired or is not valid" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.UNCONFIRMED
    assert not comment.commenter.is_confirmed
    assert not client.cookies.get("commenter")


def test_a_forged_or_expired_edit_link_changes_nothing(
    make_commentable, django_capture_on_commit_callbacks
):
    post = make_commentable()
    writer = Client()
    with django_capture_on_commit_callbacks(execute=True):
        writer.post(comment_url(post), form_data())
    comment = Comment.objects.get()
    other = published(post, body="Someone else's comment.")
    real = edit_path(mail.outbox[0])
    stranger = Client()
    for path in (
        tampered(real[:-1]) + "/",
        f"/comments/{comment.pk}/edit/{old_token('edit', comment.pk, 16 * 60)}/",
        f"/comments/{other.pk}/edit/{real.split('/')[-2]}/",  # a real token for another comment
        f"/comments/{comment.pk}/edit/{make_token('confirm', comment.pk)}/",
    ):
        response = stranger.get(path)
        assert response.status_code == 403
        assert "can no longer be edited" in response.content.decode()
        assert stranger.post(path, {"body": "Hijacked."}).status_code == 403
        assert stranger.post(path, {"delete": "1"}).status_code == 403
    assert not Comment.objects.filter(body="Hijacked.").exists()
    assert not Comment.objects.filter(status=Comment.Status.REMOVED).exists()


def test_a_forged_stop_link_shows_a_clear_page(client):
    response = client.get("/comments/stop/nonsense/")
    assert response.status_code == 404
    assert "This link has expired or is not valid" in response.content.decode()
    assert client.post("/comments/stop/nonsense/").status_code == 404
