"""Erasing an author's personal data: on their request, or some time after a decline.

What stays names nobody: the submission row with its dates and status, and its history of
status changes without messages, so the editors' counts and the audit trail still add up.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from submissions.models import Submission, SubmissionEvent, SubmissionImage, SubmissionVersion


def _delete_files(submission):
    names = [(submission.photo.storage, submission.photo.name)]
    names.append((submission.original.storage, submission.original.name))
    for version in SubmissionVersion.objects.filter(submission=submission):
        names.append((version.original.storage, version.original.name))
    for image in SubmissionImage.objects.filter(submission=submission):
        names.append((image.file.storage, image.file.name))
    return [(storage, name) for storage, name in names if name]


def _remove(files):
    for storage, name in files:
        storage.delete(name)


@transaction.atomic
def erase(submission, *, withdrawn=False, now=None):
    """Blank every personal field and delete every file; True if this call erased it."""
    now = now or timezone.now()
    locked = Submission.objects.select_for_update().filter(pk=submission.pk).first()
    if locked is None or locked.erased_at:
        return False
    files = _delete_files(locked)
    previous = locked.status
    SubmissionImage.objects.filter(submission=locked).delete()
    SubmissionVersion.objects.filter(submission=locked).delete()
    locked.topics.clear()
    SubmissionEvent.objects.filter(submission=locked).update(message="")
    blank = {
        "name": "",
        "email": "",
        "affiliation": "",
        "role": "",
        "bio": "",
        "photo": "",
        "title": "",
        "standfirst": "",
        "body_text": "",
        "body_html": "",
        "original": "",
        "conversion_messages": [],
        "references": "",
        "conflicts_of_interest": "",
        "funding": "",
        "ip_hash": "",
        "email_hash": "",
        "erased_at": now,
    }
    if withdrawn:
        blank["status"] = Submission.Status.WITHDRAWN
    Submission.objects.filter(pk=locked.pk).update(**blank)
    SubmissionEvent.objects.create(
        submission=locked,
        by_author=withdrawn,
        status_from=previous,
        status_to=blank.get("status", previous),
        message="Personal data erased" + (" at the author's request." if withdrawn else "."),
        internal=True,
    )
    # Files go only once the erasure is certain to stand.
    transaction.on_commit(lambda: _remove(files))
    return True


def purge_declined(now=None):
    """Erase declined submissions older than SUBMISSIONS_DECLINED_RETENTION_DAYS; returns how
    many were erased. Safe to run as often as the scheduler likes."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.SUBMISSIONS_DECLINED_RETENTION_DAYS)
    erased = 0
    for pk in Submission.objects.declined_before(cutoff).values_list("pk", flat=True):
        erased += erase(Submission(pk=pk), now=now)
    return erased
