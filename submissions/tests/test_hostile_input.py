"""Whatever an author types shows as text: on the status page and in both emails."""

import re

import pytest
from django.core import mail

from submissions.tests.submitting import (
    author_email,
    editor_emails,
    html_part,
    request_changes,
    submitted,
)

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror="alert(1)">'
TEXT_FIELDS = (
    "name",
    "affiliation",
    "role",
    "bio",
    "title",
    "standfirst",
    "body_text",
    "references",
    "conflicts_of_interest",
    "funding",
)


def assert_no_live_markup(text):
    for live in ("<script>alert", "<img src=x"):
        assert live not in text, live
    assert not re.search(r"<[^>]*onerror", text)


@pytest.fixture
def hostile(client, site_tree, django_capture_on_commit_callbacks):
    values = {field: f"{field} {SCRIPT}" for field in TEXT_FIELDS}
    return submitted(client, django_capture_on_commit_callbacks, **values)


def test_hostile_markup_in_every_field_is_escaped_on_the_status_page(client, hostile):
    _, path = hostile
    html = client.get(path).content.decode()
    assert_no_live_markup(html)
    for field in ("name", "bio", "title", "standfirst", "conflicts_of_interest", "funding"):
        assert f"{field} &lt;script&gt;" in html, field
    assert "body_text &lt;script&gt;" in html


def test_hostile_markup_is_escaped_in_the_authors_email(hostile):
    message = author_email()
    assert_no_live_markup(html_part(message))
    assert "name &lt;script&gt;" in html_part(message)
    assert "\n" not in message.subject


def test_hostile_markup_is_escaped_in_the_editors_email(hostile):
    [message] = editor_emails()
    html = html_part(message)
    assert_no_live_markup(html)
    assert "funding &lt;script&gt;" in html and "role &lt;script&gt;" in html
    assert "title <script>" in message.subject  # a subject is plain text, shown as text
    assert "\n" not in message.subject


def test_a_hostile_reply_is_escaped_on_the_page_and_in_the_editors_email(
    client, hostile, django_capture_on_commit_callbacks
):
    submission, path = hostile
    request_changes(submission, message=SCRIPT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"message": SCRIPT, "body_text": SCRIPT})
    assert_no_live_markup(client.get(path).content.decode())
    [message] = mail.outbox
    assert_no_live_markup(html_part(message))


@pytest.mark.parametrize("topic", ["9999999999999999999999999", "9223372036854775808", "0", "-1"])
def test_a_topic_no_row_can_have_is_refused_and_nothing_stored(
    client, site_tree, django_capture_on_commit_callbacks, topic
):
    from submissions.models import Submission
    from submissions.tests.submitting import submit

    response = submit(client, django_capture_on_commit_callbacks, topics=[topic])

    assert response.status_code == 400
    assert "Please choose topics from the list." in response.content.decode()
    assert not Submission.objects.exists()
    assert not mail.outbox
