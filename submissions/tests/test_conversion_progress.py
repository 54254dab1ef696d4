"""While a Word document is converted, the submission's admin page says whether it waits for
the task worker or is being converted, and follows it until the converted text is there."""

from datetime import timedelta

import pytest
from django.utils import timezone

from submissions import tasks
from submissions.models import Conversion, Submission
from submissions.tests import docx_files
from submissions.tests.submitting import docx_upload, submitted

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def review_url(submission):
    return f"/admin/guest-posts/inspect/{submission.pk}/"


def status_url(submission):
    return f"/admin/guest-posts/conversion/{submission.pk}/"


@pytest.fixture
def pending(client, django_capture_on_commit_callbacks):
    """A document submission whose conversion waits for the worker."""
    submission, _ = submitted(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=docx_upload(docx_files.simple_docx("Converted at last.")),
    )
    Submission.objects.filter(pk=submission.pk).update(
        conversion=Conversion.PENDING, body_html="", conversion_started_at=None
    )
    client.logout()
    submission.refresh_from_db()
    return submission


def test_a_queued_conversion_says_it_waits_for_the_worker(client, editor, pending):
    client.force_login(editor)

    data = client.get(status_url(pending), **XHR).json()
    page = client.get(review_url(pending)).content.decode()

    assert data["state"] == "queued" and data["finished"] is False
    assert data["label"] == "Waiting for the task worker to convert the Word document."
    assert 'for="gs-conversion-bar">Converting the Word document</label>' in page
    assert 'data-progress-region="gs-post"' in page
    assert "Waiting for the task worker" in page
    assert "refresh the page" in page  # without JavaScript
    assert "js/progress.js" in page


def test_once_a_worker_takes_it_up_it_is_running_then_done(
    client, editor, pending, settings, monkeypatch
):
    settings.SUBMISSIONS_CONVERSION_TIMEOUT = 60
    seen = []
    convert = tasks.convert_with_time_limit

    def watch(data):
        seen.append(Submission.objects.get(pk=pending.pk).conversion_started_at)
        return convert(data)

    monkeypatch.setattr(tasks, "convert_with_time_limit", watch)
    assert tasks.convert_document.call(pending.pk, pending.version) is True
    client.force_login(editor)

    data = client.get(status_url(pending), **XHR).json()
    page = client.get(review_url(pending)).content.decode()

    assert seen[0] is not None  # running while it converted
    assert data["state"] == "done" and data["finished"] is True
    assert data["message"] == "The Word document is converted: its text is shown below."
    assert "Converted at last." in page
    assert "gs-conversion-bar" not in page and "js/progress.js" not in page


def test_a_running_conversion_and_one_that_stalled(client, editor, pending, settings):
    settings.SUBMISSIONS_CONVERSION_TIMEOUT = 60
    client.force_login(editor)
    Submission.objects.filter(pk=pending.pk).update(conversion_started_at=timezone.now())

    running = client.get(status_url(pending), **XHR).json()
    Submission.objects.filter(pk=pending.pk).update(
        conversion_started_at=timezone.now() - timedelta(minutes=10)
    )
    stalled = client.get(status_url(pending), **XHR).json()

    assert running["state"] == "running" and running["label"] == "Converting the Word document."
    assert running["total"] is None  # a bar that shows it is busy, not a share
    assert stalled["state"] == "running" and "task worker may have stopped" in stalled["label"]


def test_a_failed_conversion_is_said_plainly(client, editor, pending):
    Submission.objects.filter(pk=pending.pk).update(
        conversion=Conversion.FAILED, conversion_messages=["We could not convert it."]
    )
    client.force_login(editor)

    data = client.get(status_url(pending), **XHR).json()
    page = client.get(review_url(pending)).content.decode()

    assert data["state"] == "failed" and data["finished"] is True
    assert data["message"] == "The Word document could not be converted."
    assert "We could not convert it." in page


def test_a_new_document_waits_again(client, editor, pending):
    Submission.objects.filter(pk=pending.pk).update(conversion_started_at=timezone.now())
    from submissions.services import _apply_body

    class Body:
        source = "docx"
        document = docx_files.simple_docx("Second go.")
        text = ""

    submission = Submission.objects.get(pk=pending.pk)
    _apply_body(submission, Body)
    assert submission.conversion_started_at is None


@pytest.mark.parametrize("who", ["anonymous", "not staff", "writer"])
def test_only_those_who_see_submissions_see_the_conversion(client, make_user, pending, who):
    if who == "not staff":
        client.force_login(make_user("reader"))
    elif who == "writer":
        client.force_login(make_user("writer", "Writers"))

    status = client.get(status_url(pending), **XHR)
    plain = client.get(status_url(pending))

    if who == "anonymous":
        assert plain.status_code == 302 and "/admin/login/" in plain.url
    else:
        assert status.status_code == 403
    assert "state" not in plain.content.decode()


def test_an_unknown_submission_is_not_found(client, editor):
    client.force_login(editor)
    assert client.get("/admin/guest-posts/conversion/999999/", **XHR).status_code == 404
