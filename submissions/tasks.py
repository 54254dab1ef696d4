"""Background work for submissions: converting documents and every email."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task

from core.email import send_email
from core.links import absolute
from submissions.models import Conversion, Submission, SubmissionEvent, SubmissionImage


@task()
def convert_document(submission_id, version):
    """Turn the stored .docx of one version into clean HTML and images, once.

    Two workers may both convert; only the first to write wins, the other's result is dropped.
    """
    from submissions.conversion import convert_with_time_limit

    submission = Submission.objects.filter(
        pk=submission_id, version=version, conversion=Conversion.PENDING, erased_at=None
    ).first()
    if submission is None or not submission.original:
        return False
    with submission.original.open("rb") as handle:
        data = handle.read()
    outcome = convert_with_time_limit(data)
    with transaction.atomic():
        claimed = Submission.objects.filter(
            pk=submission_id, version=version, conversion=Conversion.PENDING, erased_at=None
        ).update(
            conversion=Conversion.DONE if outcome.ok else Conversion.FAILED,
            body_html=outcome.html,
            conversion_messages=outcome.messages,
        )
        if claimed != 1:
            return False
        for image in outcome.images:
            row = SubmissionImage(
                submission_id=submission_id,
                key=image["name"],
                name=image["name"],
                alt=image["alt"][:500],
            )
            row.file.save(image["name"], ContentFile(image["data"]), save=False)
            row.save()
    return outcome.ok


def _editor():
    from submissions.services import editor_address

    return editor_address()


@task()
def send_received(submission_id):
    """The author's confirmation, with the private status link."""
    from submissions.services import status_path

    submission = Submission.objects.filter(pk=submission_id, erased_at=None).first()
    if submission is None:
        return 0
    return send_email(
        "submission_received",
        submission.email,
        {"submission": submission, "status_url": absolute(status_path(submission))},
    )


@task()
def notify_editor_new(submission_id):
    submission = (
        Submission.objects.filter(pk=submission_id, erased_at=None)
        .prefetch_related("topics")
        .first()
    )
    editor = _editor()
    if submission is None or not editor:
        return 0
    return send_email(
        "submission_new",
        editor,
        {"submission": submission, "topics": [topic.name for topic in submission.topics.all()]},
    )


@task()
def notify_editor_reply(event_id):
    event = (
        SubmissionEvent.objects.filter(pk=event_id, submission__erased_at=None)
        .select_related("submission")
        .first()
    )
    editor = _editor()
    if event is None or not editor:
        return 0
    return send_email("submission_reply", editor, {"submission": event.submission, "event": event})
