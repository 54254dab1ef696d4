"""Erasing an author's personal data: withdrawn on request, or some time after a decline."""

import pytest
from django.utils import timezone

from submissions.models import Submission, SubmissionEvent, SubmissionImage
from submissions.privacy import purge_declined
from submissions.tests import docx_files
from submissions.tests.submitting import docx_upload, photo_upload, request_changes, submitted

pytestmark = pytest.mark.django_db

PERSONAL = (
    "name",
    "email",
    "affiliation",
    "role",
    "bio",
    "title",
    "standfirst",
    "body_text",
    "body_html",
    "references",
    "conflicts_of_interest",
    "funding",
    "ip_hash",
    "email_hash",
)


@pytest.fixture
def with_files(client, site_tree, django_capture_on_commit_callbacks):
    submission, path = submitted(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=docx_upload(docx_files.full_docx()),
        photo=photo_upload(),
    )
    submission.refresh_from_db()
    return submission, path


def stored_files(settings):
    roots = (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def assert_erased(submission, settings):
    submission.refresh_from_db()
    assert submission.erased_at is not None
    for field in PERSONAL:
        assert getattr(submission, field) == "", field
    assert not submission.photo and not submission.original
    assert not submission.topics.exists() and not submission.versions.exists()
    assert not SubmissionImage.objects.exists()
    assert not SubmissionEvent.objects.exclude(message="").filter(internal=False).exists()
    assert stored_files(settings) == []


def test_withdrawing_asks_first_and_a_get_changes_nothing(client, with_files):
    submission, path = with_files
    response = client.get(f"{path}withdraw/")
    assert response.status_code == 200
    assert "This cannot be undone" in response.content.decode()
    submission.refresh_from_db()
    assert submission.erased_at is None


def test_withdrawing_erases_personal_data_and_files_and_keeps_an_anonymous_record(
    client, with_files, settings, django_capture_on_commit_callbacks
):
    submission, path = with_files
    request_changes(submission, "Please cut the table.")
    assert len(stored_files(settings)) == 4  # photo, original and two images
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{path}withdraw/")
    assert response.status_code == 302 and response.url == "/submissions/withdrawn/"
    assert_erased(submission, settings)
    assert submission.status == Submission.Status.WITHDRAWN
    last = submission.events.latest("pk")
    assert last.internal and last.status_to == Submission.Status.WITHDRAWN
    assert client.get(path).status_code == 404


def test_purge_erases_declined_submissions_after_the_retention_period_only(
    client, with_files, settings, django_capture_on_commit_callbacks
):
    old, _ = with_files
    recent, _ = submitted(client, django_capture_on_commit_callbacks, email="b@example.org")
    kept, _ = submitted(client, django_capture_on_commit_callbacks, email="c@example.org")
    old.set_status(Submission.Status.DECLINED, message="Not for us, sorry.")
    recent.set_status(Submission.Status.DECLINED)
    settings.SUBMISSIONS_DECLINED_RETENTION_DAYS = 30
    later = timezone.now() + timezone.timedelta(days=20)
    Submission.objects.filter(pk=old.pk).update(declined_at=later - timezone.timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_declined(now=later) == 1
        assert purge_declined(now=later) == 0
    assert_erased(old, settings)
    assert old.status == Submission.Status.DECLINED
    recent.refresh_from_db()
    kept.refresh_from_db()
    assert recent.email == "b@example.org" and kept.email == "c@example.org"
