"""What the confirmation step gives away: the email anyone can have sent to any address, and
the cookie that lets a browser skip it next time."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.http import HttpResponse
from django.test import Client

from comments.models import Comment
from comments.tests.commenting import (
    comment_url,
    confirm_path,
    form_data,
    html_part,
    post_confirm_and_approve,
)

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "Your bank: call +44 20 7946 0000 or visit https://evil.example/login"
HOSTILE_BODY = (
    "URGENT: your account is locked. Unlock it at http://phish.example/unlock or "
    'www.evil.example <a href="https://evil.example">here</a> <script>alert(1)</script>'
)


def test_the_confirmation_email_carries_nothing_the_writer_chose(
    client, make_commentable, django_capture_on_commit_callbacks
):
    post = make_commentable(title="Living with lymphoma")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            comment_url(post),
            form_data(name=HOSTILE_NAME, email="victim@example.org", body=HOSTILE_BODY),
        )

    [message] = mail.outbox
    assert message.to == ["victim@example.org"]
    for part in (message.subject, message.body, html_part(message)):
        for chosen in ("evil", "phish", "bank", "7946", "URGENT", "locked", "script"):
            assert chosen not in part, (chosen, part)
    hrefs = re.findall(r'href="([^"]+)"', html_part(message))
    assert hrefs and all(href.startswith(f"{django_settings.BASE_URL}/comments/") for href in hrefs)
    assert "Living with lymphoma" in message.subject and "Living with lymphoma" in message.body
    assert confirm_path(message) in html_part(message)
    links = [word for word in message.body.split() if "://" in word]
    assert links and all(link.startswith(f"{django_settings.BASE_URL}/comments/") for link in links)


def test_the_confirmation_page_shows_the_comment_on_the_site_before_it_is_confirmed(
    client, make_commentable, django_capture_on_commit_callbacks
):
    post = make_commentable()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_url(post), form_data(name=HOSTILE_NAME, body=HOSTILE_BODY))

    page = Client().get(confirm_path(mail.outbox[0])).content.decode()

    assert "URGENT: your account is locked." in page, "the owner sees what they would confirm"
    assert "<script>alert(1)</script>" not in page and 'href="https://evil' not in page
    assert Comment.objects.get().status == Comment.Status.UNCONFIRMED


def test_the_commenter_cookie_holds_no_address(
    client, make_commentable, django_capture_on_commit_callbacks
):
    post = make_commentable()
    post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)

    value = client.cookies["commenter"].value

    assert "maria" not in value.lower() and "@" not in value
    assert client.cookies["commenter"]["httponly"]


def test_the_cookie_proves_only_the_address_it_was_made_for(
    client, make_commentable, django_capture_on_commit_callbacks
):
    post = make_commentable()
    post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    post_confirm_and_approve(
        Client(), post, django_capture_on_commit_callbacks, email="bo@example.org"
    )

    client.post(comment_url(post), form_data(email="bo@example.org", body="Pretending to be Bo."))

    assert Comment.objects.get(body="Pretending to be Bo.").status == Comment.Status.UNCONFIRMED


def test_an_old_cookie_that_held_the_address_still_counts_once_and_is_replaced(
    make_commentable, django_capture_on_commit_callbacks
):
    post = make_commentable()
    post_confirm_and_approve(Client(), post, django_capture_on_commit_callbacks)
    browser = Client()
    earlier = HttpResponse()  # what views.confirm set before: the address itself, signed
    earlier.set_signed_cookie("commenter", "maria@example.org", salt="comments.proven")
    old = earlier.cookies["commenter"].value
    browser.cookies["commenter"] = old

    with django_capture_on_commit_callbacks(execute=True):
        browser.post(comment_url(post), form_data(body="Back with an old cookie."))

    assert Comment.objects.get(body="Back with an old cookie.").status == Comment.Status.APPROVED
    new = browser.cookies["commenter"].value
    assert new != old and "@" not in new and "maria" not in new
    browser.post(comment_url(post), form_data(body="And with the new one."))
    assert Comment.objects.get(body="And with the new one.").status == Comment.Status.APPROVED
