"""Converting a Word document in the background, in a child process with a time limit."""

import pytest

from submissions import tasks
from submissions.conversion import TIMED_OUT, convert_with_time_limit
from submissions.models import Conversion
from submissions.tests import docx_files
from submissions.tests.submitting import docx_upload, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(client, site_tree, django_capture_on_commit_callbacks, settings):
    """A document submission whose conversion has not run yet."""
    settings.SUBMISSIONS_CONVERSION_TIMEOUT = 0.001
    submission, path = submitted(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=docx_upload(docx_files.simple_docx("Converted at last.")),
    )
    submission.refresh_from_db()
    return submission, path


def test_a_conversion_that_runs_out_of_time_is_marked_failed_with_a_message(client, pending):
    submission, path = pending
    assert submission.conversion == Conversion.FAILED
    assert submission.conversion_messages == [TIMED_OUT]
    assert submission.body_html == ""
    html = client.get(path).content.decode()
    assert "took too long" in html


def test_a_conversion_runs_once_whoever_asks_twice(pending, settings):
    submission, _ = pending
    settings.SUBMISSIONS_CONVERSION_TIMEOUT = 60
    type(submission).objects.filter(pk=submission.pk).update(conversion=Conversion.PENDING)
    assert tasks.convert_document.call(submission.pk, submission.version) is True
    assert tasks.convert_document.call(submission.pk, submission.version) is False
    submission.refresh_from_db()
    assert submission.conversion == Conversion.DONE
    assert submission.body_html == "<p>Converted at last.</p>"


def test_a_conversion_for_a_replaced_version_changes_nothing(pending, settings):
    submission, _ = pending
    settings.SUBMISSIONS_CONVERSION_TIMEOUT = 60
    type(submission).objects.filter(pk=submission.pk).update(conversion=Conversion.PENDING)
    assert tasks.convert_document.call(submission.pk, submission.version - 1) is False


def test_a_document_the_converter_refuses_gives_its_message():
    outcome = convert_with_time_limit(docx_files.pdf_file(), timeout=60)
    assert not outcome.ok
    assert "PDF" in outcome.messages[0]
