"""Writing a comment: the form, plain text, limits, closed posts, trust, and editing one's own."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from comments.services import moderate
from comments.tests.commenting import (
    comment_url,
    confirm_path,
    edit_path,
    form_data,
    post_confirm_and_approve,
    rules,
)

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def label_texts(page):
    return {label.get_text(strip=True): label.get("for") for label in page.find_all("label")}


# The form


def test_a_post_page_has_a_form_with_name_email_comment_and_a_post_button(client, make_post):
    post = make_post()
    page = soup(client.get(post.url))
    form = page.find("form", id="comment-form")
    labels = label_texts(form)
    for label, name in (("Name", "name"), ("Email address", "email"), ("Comment", "body")):
        field = form.find(id=labels[label])
        assert field is not None and field["name"] == name, label
        assert "required" in field.attrs
    assert form.find("button", string="Post comment")["type"] == "submit"
    assert form["action"] == comment_url(post)


def test_the_comment_box_has_a_length_limit_and_a_counter(client, make_post):
    rules(max_length=1200)
    post = make_post()
    area = soup(client.get(post.url)).find("textarea", attrs={"name": "body"})
    assert area["maxlength"] == "1200"
    counter = soup(client.get(post.url)).find(id=area["data-counter"])
    assert counter is not None and counter.get("aria-live") == "polite"
    assert area["data-counter"] in area["aria-describedby"]


def test_a_too_long_comment_gets_a_clear_message_and_nothing_is_stored(client, make_post):
    rules(max_length=100)
    post = make_post()
    response = client.post(comment_url(post), form_data(body="x" * 101))
    assert response.status_code == 400
    assert "Please keep your comment under 100 characters (it has 101)." in (
        response.content.decode()
    )
    assert soup(response).find("textarea")["maxlength"] == "100"
    assert not Comment.objects.exists()


def test_an_empty_form_says_what_is_missing(client, make_post):
    post = make_post()
    response = client.post(comment_url(post), form_data(name=" ", body="  \n ", email="nope"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Please give a name" in text or "This field is required" in text
    assert "Enter a valid email address." in text
    assert "Please write a comment" in text or "This field is required" in text
    assert not Comment.objects.exists()


def test_the_email_address_is_never_shown_in_public(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    comment = post_confirm_and_approve(
        client, post, django_capture_on_commit_callbacks, email="secret.maria@example.org"
    )
    reader = Client()
    pages = [
        reader.get(post.url),
        reader.get(post.url + "?comments=newest"),
        reader.get(f"/comments/feed/{post.pk}/"),
        reader.get(f"/comments/{comment.pk}/report/"),
        reader.get(comment_url(post) + f"?reply_to={comment.pk}"),
    ]
    assert comment.body in pages[0].content.decode()
    for response in pages:
        assert response.status_code == 200
        assert b"secret.maria" not in response.content


# Plain text


def test_text_keeps_its_paragraphs_and_links_become_nofollow_ugc_links(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    body = (
        "First paragraph,\nsame paragraph.\n\n\n\n"
        "See https://example.org/trial?id=1&arm=b. And www.esmo.org"
    )
    comment = post_confirm_and_approve(client, post, django_capture_on_commit_callbacks, body=body)
    html = soup(client.get(post.url)).find(id=comment.anchor).find(class_="comment__body")
    paragraphs = html.find_all("p")
    assert len(paragraphs) == 2
    assert paragraphs[0].find("br") is not None
    links = html.find_all("a")
    assert [a["href"] for a in links] == [
        "https://example.org/trial?id=1&arm=b",
        "https://www.esmo.org",
    ]
    for link in links:
        assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert paragraphs[1].get_text().startswith("See https://example.org/trial?id=1&arm=b.")


def test_html_is_shown_as_typed_and_never_runs(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    body = '<b>bold</b> <a href="javascript:alert(1)">click</a> <img src=x onerror=alert(2)>'
    comment = post_confirm_and_approve(client, post, django_capture_on_commit_callbacks, body=body)
    text = client.get(post.url).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "<b>bold</b>" not in text and "<img src=x" not in text
    assert 'href="javascript' not in text
    shown = soup(client.get(post.url)).find(id=comment.anchor).find(class_="comment__body")
    assert shown.get_text() == body


# Closed conversations


def test_a_post_with_comments_closed_has_no_form_and_refuses_posts(client, make_post):
    post = make_post(comments_closed=True)
    page = client.get(post.url).content.decode()
    assert 'id="comment-form"' not in page
    assert "Comments are closed on this page." in page
    response = client.post(comment_url(post), form_data())
    assert response.status_code == 403
    assert "Comments are closed" in response.content.decode()
    assert client.get(comment_url(post)).status_code == 403
    assert not Comment.objects.exists()


def test_comments_close_on_their_own_after_the_configured_number_of_days(client, make_post):
    rules(close_after_days=30)
    old = make_post(at=timezone.now() - timezone.timedelta(days=31))
    recent = make_post(at=timezone.now() - timezone.timedelta(days=29))
    assert 'id="comment-form"' not in client.get(old.url).content.decode()
    assert 'id="comment-form"' in client.get(recent.url).content.decode()
    assert client.post(comment_url(old), form_data()).status_code == 403
    assert not Comment.objects.exists()
    assert client.post(comment_url(recent), form_data()).status_code == 302


def test_comments_switched_off_site_wide_refuse_posts(client, make_post):
    rules(comments_enabled=False)
    post = make_post()
    assert 'id="comment-form"' not in client.get(post.url).content.decode()
    assert client.post(comment_url(post), form_data()).status_code == 403
    assert not Comment.objects.exists()


# Confirmation and trust


def test_a_first_comment_waits_for_the_email_confirmation(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(comment_url(post), form_data(), follow=True)
    assert "Check your email" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.UNCONFIRMED
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]
    assert comment.body not in client.get(post.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_path(mail.outbox[0]), follow=True)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING, "a first comment also waits for a moderator"
    assert "waiting for a moderator" in response.content.decode()
    assert comment.commenter.is_confirmed


def test_a_trusted_commenter_is_published_at_once_only_from_the_browser_that_proved_the_address(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    assert client.cookies.get("commenter"), "confirming sets a signed cookie in this browser"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(comment_url(post), form_data(body="A second thought."), follow=True)
    second = Comment.objects.get(body="A second thought.")
    assert second.status == Comment.Status.APPROVED
    assert "Your comment is published" in response.content.decode()
    assert "A second thought." in client.get(post.url).content.decode()

    # Someone else typing the same address must prove it again.
    impostor = Client()
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = impostor.post(
            comment_url(post), form_data(body="Not really Maria."), follow=True
        )
    third = Comment.objects.get(body="Not really Maria.")
    assert third.status == Comment.Status.UNCONFIRMED
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == ["maria@example.org"]
    assert "Not really Maria." not in client.get(post.url).content.decode()

    # A forged "proven" cookie is ignored.
    forger = Client()
    forger.cookies["commenter"] = "maria@example.org"
    forger.post(comment_url(post), form_data(body="Forged cookie."))
    assert Comment.objects.get(body="Forged cookie.").status == Comment.Status.UNCONFIRMED


def test_trust_can_be_switched_off(client, make_post, django_capture_on_commit_callbacks):
    post = make_post()
    post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    rules(trust_confirmed_commenters=False)
    client.post(comment_url(post), form_data(body="A second thought."))
    second = Comment.objects.get(body="A second thought.")
    assert second.status == Comment.Status.PENDING


def test_a_confirmed_commenter_whose_comments_were_rejected_is_not_trusted(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    first = post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    moderate(Comment.objects.filter(pk=first.pk), "reject")
    client.post(comment_url(post), form_data(body="Another try."))
    assert Comment.objects.get(body="Another try.").status == Comment.Status.PENDING


def test_staff_replies_are_published_and_marked_staff(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    reader = Client()
    question = post_confirm_and_approve(
        reader, post, django_capture_on_commit_callbacks, body="Is this approved in the EU?"
    )
    editor = get_user_model().objects.create_user(
        username="editor", email="editor@example.org", password="x", is_staff=True
    )
    client.force_login(editor)
    client.post(
        comment_url(post),
        form_data(
            name="Ana (editor)",
            email="editor@example.org",
            body="Yes, since May.",
            parent=question.pk,
        ),
    )
    answer = Comment.objects.get(body="Yes, since May.")
    assert answer.status == Comment.Status.APPROVED and answer.staff_user == editor
    item = soup(Client().get(post.url)).find(id=answer.anchor)
    assert "comment--staff" in item["class"]
    assert item.find(class_="badge").get_text() == "Staff"
    reader_item = soup(Client().get(post.url)).find(id=question.anchor).find("article")
    assert reader_item.find(class_="badge") is None


# Editing and deleting one's own comment


def test_the_writer_can_edit_their_comment_from_the_same_browser(client, make_post):
    post = make_post()
    client.post(comment_url(post), form_data())
    comment = Comment.objects.get()
    edit = f"/comments/{comment.pk}/edit/"
    page = client.get(edit)
    assert page.status_code == 200
    assert "Edit your comment" in page.content.decode()
    response = client.post(edit, {"body": "Thank you, this was clear.", "save": ""})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Thank you, this was clear." and comment.edited_at is not None
    assert "Your comment is updated" in client.get(response.url).content.decode()


def test_the_writer_can_delete_their_comment_from_the_same_browser(client, make_post):
    post = make_post()
    client.post(comment_url(post), form_data())
    comment = Comment.objects.get()
    response = client.post(f"/comments/{comment.pk}/edit/", {"delete": "1"})
    assert response.status_code == 200
    assert "Your comment is deleted" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert comment.body == "" and comment.author_name == ""


def test_the_edit_link_in_the_confirmation_email_works_from_any_browser(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_url(post), form_data())
    comment = Comment.objects.get()
    phone = Client()
    link = edit_path(mail.outbox[0])
    assert phone.get(link).status_code == 200
    response = phone.post(link, {"body": "Edited from my phone."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Edited from my phone."
    assert phone.post(link, {"delete": "1"}).status_code == 200
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED


def test_editing_is_refused_after_fifteen_minutes(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_url(post), form_data())
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timezone.timedelta(minutes=16)
    )
    for path in (f"/comments/{comment.pk}/edit/", edit_path(mail.outbox[0])):
        response = client.get(path)
        assert response.status_code == 403
        assert "can no longer be edited" in response.content.decode()
        assert client.post(path, {"body": "Too late."}).status_code == 403
        assert client.post(path, {"delete": "1"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == form_data()["body"] and comment.status == Comment.Status.UNCONFIRMED


def test_another_browser_cannot_edit_or_delete_a_comment(client, make_post):
    post = make_post()
    client.post(comment_url(post), form_data())
    mine = Comment.objects.get()
    other = Client()
    other.post(comment_url(post), form_data(email="jon@example.org", name="Jon", body="Hello."))
    theirs = Comment.objects.get(author_name="Jon")
    stranger = Client()
    for browser, comment in ((stranger, mine), (other, mine), (client, theirs)):
        path = f"/comments/{comment.pk}/edit/"
        assert browser.get(path).status_code == 403
        assert browser.post(path, {"body": "Changed by someone else."}).status_code == 403
        assert browser.post(path, {"delete": "1"}).status_code == 403
    # A cookie copied from one comment to another does not open it either.
    cookie = client.cookies[f"comment_edit_{mine.pk}"].value
    stranger.cookies[f"comment_edit_{theirs.pk}"] = cookie
    assert stranger.get(f"/comments/{theirs.pk}/edit/").status_code == 403
    assert not Comment.objects.filter(body="Changed by someone else.").exists()
    assert not Comment.objects.filter(status=Comment.Status.REMOVED).exists()


def test_an_edit_is_checked_like_a_new_comment(
    client, make_post, django_capture_on_commit_callbacks
):
    rules(blocklist="cheap pills")
    post = make_post()
    post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    client.post(comment_url(post), form_data(body="Trusted and published."))
    comment = Comment.objects.get(body="Trusted and published.")
    assert comment.status == Comment.Status.APPROVED
    edit = f"/comments/{comment.pk}/edit/"

    response = client.post(edit, {"body": "Call me on +44 20 7946 0958."})
    assert response.status_code == 200
    assert "check for private information" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Trusted and published."

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {"body": "Buy cheap pills at https://spam.example"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert "cheap pills" not in client.get(post.url).content.decode()


def test_an_edit_with_distress_language_shows_support_and_is_held(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    client.post(comment_url(post), form_data(body="Trusted and published."))
    comment = Comment.objects.get(body="Trusted and published.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/comments/{comment.pk}/edit/",
            {"body": "Honestly I want to die some days."},
            follow=True,
        )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.distress
    assert "116 123" in response.content.decode()
    assert re.search("distress", comment.hold_reason)
