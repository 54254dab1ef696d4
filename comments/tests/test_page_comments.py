"""Standard pages take comments when an editor says so: off (the default: an About page has
none), open (a conversation as under a post) or closed (the comments stay, no new ones)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from blog.models import StandardPage
from comments.models import Comment, ConversationFollow
from comments.moderation import reply_as_staff
from comments.privacy import export_data
from comments.services import moderate
from comments.tests.commenting import comment_url, form_data, link_in, published

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_a_new_standard_page_takes_no_comments(make_page):
    assert StandardPage().comment_mode == "off"
    page = make_page(title="About us")
    html = soup(Client().get(page.url))
    assert html.find(id="comments") is None
    assert html.find(id="comment-form") is None


def test_an_open_page_shows_its_published_comments_and_the_form(client, make_page):
    page = make_page(title="Ask the nurses", comment_mode="open")
    first = published(page, body="Is the clinic open on Saturdays?", name="Lena")
    published(page, body="Yes, from nine to one.", name="Nurse Ada", parent=first)
    Comment.objects.create(post=page, author_name="Wait", body="Held back.", status="pending")
    Comment.objects.create(post=page, author_name="Spammer", body="Cheap pills.", status="spam")

    html = soup(client.get(page.url))

    section = html.find(id="comments")
    assert "(2 comments)" in section.get_text(" ", strip=True)
    text = section.get_text(" ", strip=True)
    assert "Is the clinic open on Saturdays?" in text and "Yes, from nine to one." in text
    assert "Held back." not in text and "Cheap pills." not in text
    form = html.find(id="comment-form")
    assert form is not None and form["action"] == comment_url(page)
    for label in ("Name", "Email address", "Comment"):
        assert html.find("label", string=lambda s, label=label: s and s.strip() == label)
    assert html.find("button", string=lambda s: s and "Post comment" in s)
    assert section.find("a", href=f"/comments/follow/{page.pk}/")
    assert section.find("a", href=f"/comments/feed/{page.pk}/")


def test_a_closed_page_shows_its_comments_but_no_form_and_refuses_new_ones(client, make_page):
    page = make_page(comment_mode="closed")
    published(page, body="Thank you for the guide.")

    html = soup(client.get(page.url))

    assert "Thank you for the guide." in html.find(id="comments").get_text()
    assert html.find(id="comment-form") is None
    assert "Comments are closed on this page." in html.get_text()
    assert client.post(comment_url(page), form_data()).status_code == 403
    assert (
        client.post(f"/comments/follow/{page.pk}/", {"email": "a@example.org"}).status_code == 403
    )
    assert not Comment.objects.filter(body=form_data()["body"]).exists()
    assert not ConversationFollow.objects.exists()
    assert client.get(f"/comments/feed/{page.pk}/").status_code == 200


def test_a_page_with_comments_off_shows_none_and_refuses_them_even_if_it_has_some(
    client, make_page
):
    page = make_page()  # off, with comments an editor chose to hide (or a hand-made row)
    published(page, body="Old words nobody should see.")

    html = client.get(page.url).content.decode()

    assert "Old words nobody should see." not in html
    assert 'id="comments"' not in html
    for url in (comment_url(page), f"/comments/follow/{page.pk}/", f"/comments/feed/{page.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(comment_url(page), form_data()).status_code == 404
    assert Comment.objects.count() == 1


def test_a_draft_or_private_page_takes_no_comments(client, make_page):
    page = make_page(comment_mode="open")
    page.unpublish()
    assert client.post(comment_url(page), form_data()).status_code == 404
    assert not Comment.objects.exists()


def test_a_page_comment_goes_through_confirmation_moderation_and_follow_emails(
    client, make_page, django_capture_on_commit_callbacks
):
    page = make_page(title="Questions for our nurses", comment_mode="open")
    follower = Client()
    with django_capture_on_commit_callbacks(execute=True):
        follower.post(f"/comments/follow/{page.pk}/", {"email": "carer@example.org"})
    follower.post(link_in(mail.outbox[-1], r"/comments/follow/confirm/[^\s]+/"))
    assert ConversationFollow.objects.get(post=page).confirmed_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(comment_url(page), form_data(notify_replies="on"))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.post_id == page.pk and comment.status == Comment.Status.UNCONFIRMED
    assert mail.outbox[-1].to == ["maria@example.org"]
    assert "Questions for our nurses" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[-1], r"/comments/confirm/[^\s]+/"))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "Thank you for this clear explanation" not in client.get(page.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        moderate(Comment.objects.filter(pk=comment.pk), "approve")

    assert "Thank you for this clear explanation" in Client().get(page.url).content.decode()
    told = mail.outbox[-1]
    assert told.to == ["carer@example.org"]
    assert f"{page.full_url}#comment-{comment.pk}" in told.body


def test_a_moderator_replies_to_a_page_comment_and_the_writer_is_told(
    make_page, make_user, django_capture_on_commit_callbacks
):
    page = make_page(comment_mode="open")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_url(page), form_data(notify_replies="on"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[-1], r"/comments/confirm/[^\s]+/"))
    comment = Comment.objects.get()
    moderator = make_user("mod", "Moderators")
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_as_staff(comment, body="Thank you, we will answer soon.", by=moderator)

    assert reply.post_id == page.pk and reply.status == Comment.Status.APPROVED
    assert mail.outbox[-1].to == ["maria@example.org"]
    assert "Thank you, we will answer soon." in Client().get(page.url).content.decode()


def test_the_moderation_queue_links_a_page_comment_to_its_page(client, make_page, make_user):
    page = make_page(title="Volunteer with us", comment_mode="open")
    Comment.objects.create(post=page, author_name="Rui", body="How do I join?", status="pending")
    client.force_login(make_user("editor", "Editors"))

    html = client.get("/admin/comments/").content.decode()

    assert "How do I join?" in html and "Volunteer with us" in html


def test_someone_who_commented_on_a_page_gets_it_in_their_data(make_page, settings):
    page = make_page(title="Support groups", comment_mode="open")
    client = Client()
    client.post(comment_url(page), form_data())
    ConversationFollow.objects.create(post=page, email="maria@example.org")

    data = json.loads(json.dumps(export_data("maria@example.org")))

    [comment] = data["comments"]
    assert comment["post_title"] == "Support groups"
    assert comment["post_url"] == f"{settings.BASE_URL}{page.url}"
    assert comment["url"] == f"{settings.BASE_URL}{page.url}#comment-{comment['id']}"
    assert data["follows"][0]["post_url"] == f"{settings.BASE_URL}{page.url}"


def queries_for(client, url):
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_page_costs_the_same_queries_whatever_its_number_of_comments(client, make_page):
    page = make_page(comment_mode="open")
    published(page)
    baseline = queries_for(client, page.url)
    for n in range(12):
        parent = published(page, body=f"Comment {n}.", name=f"Reader {n}")
        published(page, body=f"Reply {n}.", parent=parent)
    assert queries_for(client, page.url) == baseline


def test_a_page_with_comments_off_costs_no_comment_query(client, make_page):
    off, open_ = make_page(), make_page(comment_mode="open")
    assert queries_for(client, off.url) < queries_for(client, open_.url)


def test_an_editor_opens_a_page_to_comments_in_the_wagtail_editor(client, make_page, make_user):
    page = make_page(title="Patient voices")
    client.force_login(make_user("editor", "Editors"))
    form = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="comment_mode"' in form

    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        {
            "title": page.title,
            "slug": page.slug,
            "intro": "",
            "body-count": "0",
            "comment_mode": "open",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-publish": "action-publish",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.comment_mode == "open"
    assert soup(Client().get(page.url)).find(id="comment-form") is not None
