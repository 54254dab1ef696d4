"""Background work for submissions: converting documents and every email."""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from core.email import send_email
from core.links import absolute
from submissions.conversion import convert_with_time_limit
from submissions.models import Conversion, Submission, SubmissionEvent, SubmissionImage
from submissions.services import editor_address, status_path


@task()
def convert_document(submission_id, version):
    """Turn the stored .docx of one version into clean HTML and images, once.

    Two workers may both convert; only the first to write wins, the other's result is dropped.
    """
    pending = Submission.objects.filter(
        pk=submission_id, version=version, conversion=Conversion.PENDING, erased_at=None
    )
    submission = pending.first()
    if submission is None or not submission.original:
        return False
    pending.update(conversion_started_at=timezone.now())  # the admin shows it as running
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
    return editor_address()


@task()
def send_received(submission_id):
    """The author's confirmation, with the private status link."""
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


def _editor_reply_to():
    """An author answering an editor's email writes to the editor, not to the robot."""
    editor = _editor()
    return [editor] if editor else None


def _author_context(submission, event):
    return {
        "submission": submission,
        "event": event,
        "status_url": absolute(status_path(submission)),
    }


def _post_url(post):
    page = post.specific
    return page.full_url or absolute(page.url or "")


def _notify_published(submission, event):
    """Once only, however often it runs: the row is claimed before the email goes."""
    post = submission.post
    if not submission.notify_on_publish or post is None or not post.live:
        return 0
    context = {**_author_context(submission, event), "post": post, "post_url": _post_url(post)}
    now = timezone.now()
    claimed = Submission.objects.filter(
        pk=submission.pk, erased_at=None, notified_published_at=None
    ).update(notified_published_at=now)
    if claimed != 1:
        return 0
    try:
        return send_email(
            "submission_published", submission.email, context, reply_to=_editor_reply_to()
        )
    except Exception:
        # Not sent: give the claim back so a retry can send it.
        Submission.objects.filter(pk=submission.pk, notified_published_at=now).update(
            notified_published_at=None
        )
        raise


AUTHOR_EMAILS = {
    Submission.Status.CHANGES_REQUESTED: "submission_changes_requested",
    Submission.Status.DECLINED: "submission_declined",
    Submission.Status.ACCEPTED: "submission_accepted",
}


@task()
def notify_author(event_id):
    """Tell the author about an editor's status change; internal notes and other moves send
    nothing. Returns the number of emails sent (0 or 1)."""
    event = (
        SubmissionEvent.objects.filter(
            pk=event_id, internal=False, by_author=False, submission__erased_at=None
        )
        .select_related("submission", "submission__post")
        .first()
    )
    if event is None or not event.submission.email:
        return 0
    submission = event.submission
    if event.status_to == Submission.Status.PUBLISHED:
        return _notify_published(submission, event)
    name = AUTHOR_EMAILS.get(event.status_to)
    if name is None:
        return 0
    context = _author_context(submission, event)
    if event.status_to == Submission.Status.DECLINED:
        days = settings.SUBMISSIONS_DECLINED_RETENTION_DAYS
        declined_at = submission.declined_at or event.created_at
        context.update(retention_days=days, erase_on=declined_at + timedelta(days=days))
    return send_email(name, submission.email, context, reply_to=_editor_reply_to())


@task()
def notify_editor_withdrawn(submission_id):
    """The editor learns that an open submission was withdrawn; nothing personal is left."""
    submission = Submission.objects.filter(pk=submission_id).first()
    editor = _editor()
    if submission is None or not editor:
        return 0
    return send_email("submission_withdrawn", editor, {"submission": submission})
