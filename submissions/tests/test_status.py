"""The author's private status page: reached only by its signed link, replying when asked."""

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from submissions import services
from submissions.models import BodySource, Conversion, Submission
from submissions.tests import docx_files
from submissions.tests.submitting import (
    docx_upload,
    editor_emails,
    request_changes,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(client, django_capture_on_commit_callbacks):
    return submitted(client, django_capture_on_commit_callbacks)


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        signing.dumps([1, "0" * 32], salt="submissions.status"),
        signing.dumps([1, "0" * 32], salt="comments.status"),
    ],
)
def test_a_tampered_or_foreign_token_gets_the_not_found_page(client, sent, token):
    submission, _ = sent
    response = client.get(f"/submissions/{token}/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert submission.title not in response.content.decode()


def test_a_token_stops_working_when_the_address_changes(client, sent):
    submission, path = sent
    Submission.objects.filter(pk=submission.pk).update(
        email_hash=services.email_hash("someone@else.org")
    )
    assert client.get(path).status_code == 404


def test_the_page_shows_status_in_words_and_the_editors_messages_but_not_internal_notes(
    client, sent
):
    submission, path = sent
    submission.set_status(Submission.Status.IN_REVIEW)
    submission.set_status(Submission.Status.IN_REVIEW, message="Editors only", internal=True)
    request_changes(submission, "Please add references for the second claim.")
    html = client.get(path).content.decode()
    assert "Changes requested" in html
    assert "Please add references for the second claim." in html
    assert "Editors only" not in html
    assert "Reply to the editor" in html


def test_the_status_page_costs_the_same_queries_however_long_the_history(client, sent, topic):
    submission, path = sent
    client.get(path)  # settle the one-off look-ups (site, settings)
    with CaptureQueriesContext(connection) as short:
        client.get(path)
    submission.topics.add(topic)
    for n in range(15):
        submission.set_status(Submission.Status.IN_REVIEW, message=f"Note {n}")
    with CaptureQueriesContext(connection) as long:
        client.get(path)
    assert len(long) == len(short)


def test_no_reply_form_and_no_reply_accepted_unless_changes_were_requested(client, sent):
    submission, path = sent
    assert "Reply to the editor" not in client.get(path).content.decode()
    response = client.post(path, {"message": "Any news?"})
    assert response.status_code == 302
    assert submission.events.count() == 1
    assert not editor_emails()[1:]


def test_a_revised_text_becomes_the_new_version_and_the_editor_hears_of_it(
    client, sent, django_capture_on_commit_callbacks
):
    submission, path = sent
    request_changes(submission)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            path, {"message": "Shortened as asked.", "body_text": "A *shorter* post."}
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.version == 2
    assert submission.body_html == "<p>A <em>shorter</em> post.</p>"
    old = submission.versions.get()
    assert old.number == 1 and "A first morning" in old.body_text
    event = submission.events.latest("pk")
    assert event.by_author and event.message == "Shortened as asked."
    [to_editor] = mail.outbox
    assert to_editor.to == ["editor@example.org"]
    assert "Shortened as asked." in to_editor.body
    assert "In review" in client.get(path).content.decode()


def test_a_revised_document_is_converted_like_the_first(
    client, sent, django_capture_on_commit_callbacks
):
    submission, path = sent
    request_changes(submission)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"document": docx_upload(docx_files.simple_docx("Revised text."))})
    submission.refresh_from_db()
    assert submission.body_source == BodySource.DOCX
    assert submission.conversion == Conversion.DONE
    assert submission.body_html == "<p>Revised text.</p>"
    assert submission.body_text == ""


def test_a_hostile_revision_is_refused_and_changes_nothing(
    client, sent, django_capture_on_commit_callbacks
):
    submission, path = sent
    request_changes(submission)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"document": docx_upload(docx_files.macro_docm())})
    assert response.status_code == 400
    assert "macros" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CHANGES_REQUESTED
    assert submission.version == 1 and not submission.versions.exists()


def test_an_empty_reply_is_refused(client, sent):
    submission, path = sent
    request_changes(submission)
    response = client.post(path, {"message": "  "})
    assert response.status_code == 400
    assert "Please write a message, or send a revised text" in response.content.decode()


def test_images_of_another_submission_are_not_served(
    client, sent, django_capture_on_commit_callbacks
):
    _, path = sent
    other, _ = submitted(
        client,
        django_capture_on_commit_callbacks,
        email="other@example.org",
        body_text="",
        document=docx_upload(docx_files.full_docx()),
    )
    image = other.images.first()
    assert client.get(f"{path}images/{image.pk}/").status_code == 404
