"""Hostile markup typed into every reader-facing field comes out as text wherever it is shown:
public pages, the Wagtail admin, every email the flow sends, and the feeds."""

import json
import re

import pytest
from django.core import mail
from django.test import Client

from blog.models import Contributor
from comments.models import Comment, CommentReport
from comments.services import make_token as comment_token
from comments.services import moderate
from comments.tests.commenting import comment_url, confirm_path, form_data
from core.tests.security import hostile
from core.tests.security.hostile import (
    ALL,
    SHORT,
    assert_safe_email,
    assert_safe_html,
    assert_template_syntax_inert,
    feed_item_html,
)
from submissions.models import Submission
from submissions.tests.submitting import request_changes, submitted
from subscriptions import preferences
from subscriptions import services as subscription_services
from subscriptions.models import Subscriber
from subscriptions.tests.pages import post_form

pytestmark = pytest.mark.django_db

# A quoted local part may hold almost anything and is still a valid address (RFC 5321).
HOSTILE_EMAIL = "\"<script>alert('xss')</script>\"@example.org"
HOSTILE_NEW_EMAIL = "\"'><svg/onload=alert('xss')>\"@example.org"
NAME = (SHORT + hostile.SCRIPT)[:80]


def assert_all_emails_safe():
    assert mail.outbox, "the flow sent no email to check"
    for message in mail.outbox:
        assert_safe_email(message)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    html = response.content.decode()
    assert_safe_html(html, url)
    return html


# --- Comments ---------------------------------------------------------------------------------


@pytest.fixture
def hostile_comment(make_post, django_capture_on_commit_callbacks):
    """A hostile comment posted, confirmed by its emailed link and approved, with a hostile
    reply that notifies it (so the reply email carries both)."""
    post = make_post(title="Living with lymphoma")
    writer = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.post(
            comment_url(post),
            form_data(name=NAME, body=hostile.long_text(4000), notify_replies="on"),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    status_url = response["Location"]
    first = Comment.objects.get()
    confirm = confirm_path(mail.outbox[-1])
    page(writer, status_url)
    page(writer, confirm)
    with django_capture_on_commit_callbacks(execute=True):
        writer.post(confirm)
        moderate(Comment.objects.filter(pk=first.pk), "approve")
    replier = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = replier.post(
            comment_url(post),
            form_data(
                name="Eve" + hostile.SINGLE_QUOTE_BREAK,
                email="eve@example.org",
                body=ALL,
                parent=first.pk,
            ),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    with django_capture_on_commit_callbacks(execute=True):
        replier.post(confirm_path(mail.outbox[-1]))
        reply = Comment.objects.latest("pk")
        moderate(Comment.objects.filter(pk=reply.pk), "approve")
    first.refresh_from_db()
    assert first.status == Comment.Status.APPROVED
    assert first.author_name == NAME
    return post, first, reply, writer


def test_comment_payloads_are_text_on_the_post_page(hostile_comment):
    post, first, reply, _ = hostile_comment
    html = page(Client(), post.url)
    assert first.anchor in html and reply.anchor in html
    assert "&lt;script&gt;alert(&quot;xss-script&quot;)&lt;/script&gt;" in html
    assert_template_syntax_inert(html, post.url)


def test_comment_payloads_are_text_on_the_writers_own_pages(hostile_comment, client):
    post, first, _, writer = hostile_comment
    page(writer, f"/comments/{first.pk}/edit/{comment_token('edit', first.pk)}/")
    page(writer, f"/comments/post/{post.pk}/?reply_to={first.pk}")
    page(writer, f"/comments/{first.pk}/report/")


def test_comment_payloads_are_text_in_every_email(hostile_comment):
    subjects = [m.subject for m in mail.outbox]
    assert sum("Confirm your comment" in s for s in subjects) == 2, subjects
    assert any("replied to your comment" in s for s in subjects), subjects
    assert_all_emails_safe()


def test_comment_payloads_are_text_in_the_comment_feed(hostile_comment):
    post, first, _, _ = hostile_comment
    response = Client().get(f"/comments/feed/{post.pk}/")
    assert response.status_code == 200
    parts = feed_item_html(response.content.decode())
    assert any("xss-script" in part for part in parts)
    for part in parts:
        assert_safe_html(part, "comment feed")


def test_comment_payloads_are_text_in_the_moderation_queue(
    hostile_comment, client, moderator, django_capture_on_commit_callbacks
):
    post, first, reply, _ = hostile_comment
    moderate(Comment.objects.filter(pk=reply.pk), "pending")
    CommentReport.objects.create(comment=first, reason=CommentReport.Reason.choices[0][0])
    client.force_login(moderator)
    for url in (
        "/admin/comments/",
        "/admin/comments/?status=pending",
        "/admin/comments/?status=reported",
        f"/admin/comments/?q={hostile.SCRIPT}",
        f"/admin/comments/{first.pk}/",
        f"/admin/comments/{reply.pk}/",
        "/admin/comments/blocks/",
    ):
        page(client, url)


def test_a_made_up_report_reason_is_refused_and_not_shown(hostile_comment):
    _, first, _, _ = hostile_comment
    response = Client().post(f"/comments/{first.pk}/report/", {"reason": hostile.SCRIPT})
    assert response.status_code == 400
    assert_safe_html(response.content.decode(), "report form")
    assert not CommentReport.objects.exists()


def test_a_refused_comment_shows_its_payloads_as_text(make_post):
    post = make_post()
    data = form_data(name=NAME, body="", email="bad", website=hostile.ATTRIBUTE_BREAK)
    response = Client().post(comment_url(post), data)
    assert response.status_code == 400
    assert_safe_html(response.content.decode(), "write again")
    assert not Comment.objects.exists()


def test_hostile_addresses_are_refused_or_shown_as_text_on_reader_data_pages(
    client, site_tree, django_capture_on_commit_callbacks
):
    for url in ("/comments/my-data/",):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": HOSTILE_EMAIL})
        assert response.status_code in (302, 400)
        if response.status_code == 400:
            assert_safe_html(response.content.decode(), url)
    for message in mail.outbox:
        assert_safe_email(message)


# --- Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [*hostile.PAYLOADS, hostile.long_text(5000)])
def test_search_queries_are_text_on_the_results_page(client, make_post, query):
    make_post(title="Alert dogs and script writers", standfirst="Scripts, images and alerts.")
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400)
    assert_safe_html(response.content.decode(), f"search {query[:30]!r}")


# --- Subscriptions ----------------------------------------------------------------------------


@pytest.fixture
def hostile_subscriber(client, site_tree, django_capture_on_commit_callbacks):
    """Signed up through the box with a hostile (but valid) address and source path."""
    response = client.post(
        "/subscribe/", {"email": HOSTILE_EMAIL, "source": "/blog/" + hostile.ATTRIBUTE_BREAK}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert_safe_html(response.content.decode(), "consent page")
    data = {
        "email": HOSTILE_EMAIL,
        "source": "/blog/" + hostile.ATTRIBUTE_BREAK,
        "consent": "on",
        "wording_version": subscription_services.WORDING_VERSION,
    }
    consent_page = client.post("/subscribe/", {"email": HOSTILE_EMAIL}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', consent_page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/subscribe/consent/", {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.content.decode()[:2000]
    subscriber = Subscriber.objects.get()
    assert subscriber.email == HOSTILE_EMAIL.lower()
    return subscriber


def test_a_hostile_address_is_text_in_the_confirmation_email_and_pages(
    client, hostile_subscriber, django_capture_on_commit_callbacks
):
    assert_all_emails_safe()
    link = re.search(r"/subscribe/confirm/[^\s]+/", mail.outbox[-1].body).group(0)
    page(client, link)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    manage = preferences.manage_path(Subscriber.objects.get())
    page(client, manage)


def test_a_hostile_new_address_is_text_in_the_manage_page_and_its_email(
    client, hostile_subscriber, django_capture_on_commit_callbacks
):
    subscription_services.confirm_subscription(hostile_subscriber, ip_hash="")
    manage = preferences.manage_path(hostile_subscriber)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, manage, {"action": "address", "new_email": HOSTILE_NEW_EMAIL})
    assert response.status_code == 302
    page(client, manage)
    assert_all_emails_safe()
    link = re.search(r"/subscribe/address/[^\s]+/", mail.outbox[-1].body).group(0)
    page(client, link)


def test_hostile_addresses_are_text_in_the_subscribers_admin(client, hostile_subscriber, editor):
    client.force_login(editor)
    for url in (
        "/admin/subscribers/",
        f"/admin/subscribers/?q={HOSTILE_EMAIL}",
        f"/admin/subscribers/inspect/{hostile_subscriber.pk}/",
        f"/admin/subscribers/erase/{hostile_subscriber.pk}/",
    ):
        html = page(client, url)
        if "inspect" in url:
            assert "&lt;script&gt;" in html


# --- Guest submissions ------------------------------------------------------------------------

SUBMISSION_FIELDS = {
    "name": NAME,
    "affiliation": ALL[:200],
    "role": ALL[:150],
    "bio": ALL,
    "title": (hostile.ATTRIBUTE_BREAK + hostile.SCRIPT)[:150],
    "standfirst": ALL[:400],
    "body_text": "## " + hostile.SCRIPT + "\n\n" + hostile.long_text(8000) + "\n\n- " + ALL,
    "references": ALL + "\n" + hostile.JS_URL + "\nhttps://example.org/" + hostile.ATTRIBUTE_BREAK,
    "conflicts_of_interest": ALL,
    "funding": ALL,
}


@pytest.fixture
def hostile_submission(client, site_tree, django_capture_on_commit_callbacks):
    submission, status_url = submitted(
        client, django_capture_on_commit_callbacks, **SUBMISSION_FIELDS
    )
    return submission, status_url


def test_submission_payloads_are_text_on_the_status_page_and_emails(client, hostile_submission):
    submission, status_url = hostile_submission
    html = page(client, status_url)
    assert_template_syntax_inert(html, status_url)
    page(client, status_url + "withdraw/")
    assert len(mail.outbox) == 2  # the author's receipt and the editor's notice
    assert_all_emails_safe()
    data = client.get(status_url + "data/")
    assert data["Content-Type"].startswith("application/json")
    assert json.loads(data.content)["post"]["title"] == SUBMISSION_FIELDS["title"]


def test_a_hostile_reply_is_text_on_the_status_page_the_admin_and_the_email(
    client, hostile_submission, editor, django_capture_on_commit_callbacks
):
    submission, status_url = hostile_submission
    request_changes(submission, message="Please add references.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(status_url, {"message": ALL, "body_text": hostile.long_text(3000)})
    assert response.status_code == 302
    page(client, status_url)
    assert_all_emails_safe()
    client.force_login(editor)
    page(client, f"/admin/guest-posts/inspect/{submission.pk}/")


def test_submission_payloads_are_text_in_the_guest_posts_admin(client, hostile_submission, editor):
    submission, _ = hostile_submission
    client.force_login(editor)
    for url in (
        "/admin/guest-posts/",
        f"/admin/guest-posts/?q={hostile.SCRIPT}",
        f"/admin/guest-posts/inspect/{submission.pk}/",
        f"/admin/guest-posts/erase/{submission.pk}/",
        "/admin/",
    ):
        page(client, url)


def test_an_accepted_hostile_submission_is_text_on_public_pages_and_feeds(
    client, hostile_submission, editor, django_capture_on_commit_callbacks
):
    """Accepting makes a draft post (title, body, bio, references, disclosures from what the
    author typed); once published it reaches the post page, listings, author page and feeds."""
    submission, status_url = hostile_submission
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/guest-posts/inspect/{submission.pk}/", {"action": "accept", "message": ""}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    post = submission.post.specific
    page(client, f"/admin/pages/{post.pk}/edit/")
    with django_capture_on_commit_callbacks(execute=True):
        post.save_revision(user=editor).publish()
    post.refresh_from_db()
    reader = Client()
    html = page(reader, post.url)
    assert "xss-script" in html
    page(reader, "/")
    page(reader, "/blog/")
    page(reader, "/authors/")
    guest = Contributor.objects.get(name=NAME)
    assert "xss" in page(reader, f"/authors/{guest.slug}/")
    page(reader, "/search/?q=script")
    author_feeds = [f"/authors/{guest.slug}/feed/", f"/authors/{guest.slug}/feed/atom/"]
    for url in ("/feed/", "/feed/atom/", *author_feeds):
        response = reader.get(url)
        assert response.status_code == 200
        parts = feed_item_html(response.content.decode())
        assert any("xss" in part for part in parts), url
        for part in parts:
            assert_safe_html(part, url)
    author_json = json.loads(reader.get(f"/authors/{guest.slug}/feed/json/").content)
    for item in author_json["items"]:
        assert_safe_html(item.get("content_html", ""), "author json feed")
    feed = json.loads(reader.get("/feed/json/").content)
    mine = [item for item in feed["items"] if item["url"].endswith(post.url)]
    assert mine, feed["items"]
    for item in feed["items"]:
        # JSON Feed 1.1: content_html is HTML; title and summary are plain text.
        assert_safe_html(item.get("content_html", ""), "json feed")
    assert_all_emails_safe()


# --- The checker itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        hostile.SCRIPT,
        hostile.ATTRIBUTE_BREAK,
        hostile.SINGLE_QUOTE_BREAK,
        hostile.TEXTAREA_BREAK,
        hostile.UNICODE,
        f'<a href="{hostile.JS_URL}">x</a>',
        f'<a href="{hostile.URL_BREAK}">x</a>',
        '<input value="x"><img src=x onerror=alert("xss")>',
    ],
)
def test_the_checker_sees_markup_a_payload_made_and_passes_it_escaped(raw):
    """The assertions above would catch a real injection: unescaped, each payload is found;
    escaped, as text or in an attribute value, none is."""
    from django.utils.html import escape

    assert hostile.injected_markup(f"<p>{raw}</p>")
    assert not hostile.injected_markup(f"<p>{escape(raw)}</p>")
    assert not hostile.injected_markup(f'<input value="{escape(raw)}">')


def test_a_hostile_author_name_is_escaped_in_the_rss_channel_description(site_tree):
    """RSS readers render a channel's <description> as HTML, like an item's: a guest author's
    name in "Posts by … on The Cancer Blog." must arrive escaped (fixed in blog/feeds.py)."""
    Contributor.objects.create(name=NAME, slug="hostile", kind="columnist")
    response = Client().get("/authors/hostile/feed/")
    assert response.status_code == 200
    parts = feed_item_html(response.content.decode())
    assert any("xss" in part for part in parts)
    for part in parts:
        assert_safe_html(part, "author feed")
