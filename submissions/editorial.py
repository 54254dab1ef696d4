"""What an editor does with a guest submission: review, ask for changes, decline, note.

Each action locks the row, checks the status it finds there and records one history line, so
a double click or two editors at once give one event and one email; the second gets
NotAllowed. Accepting lives in submissions.publishing, because it also makes the draft post.
"""

from django.db import transaction

from core.tasks import enqueue_on_commit
from core.text import clean_text
from submissions.models import Submission

MAX_MESSAGE = 5000

Status = Submission.Status

START_REVIEW_FROM = (Status.RECEIVED,)
REQUEST_CHANGES_FROM = (Status.RECEIVED, Status.IN_REVIEW)
DECLINE_FROM = (Status.RECEIVED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ACCEPTED)
ACCEPT_FROM = (Status.RECEIVED, Status.IN_REVIEW, Status.CHANGES_REQUESTED)

ALLOWED_FROM = {
    "start_review": START_REVIEW_FROM,
    "request_changes": REQUEST_CHANGES_FROM,
    "decline": DECLINE_FROM,
    "accept": ACCEPT_FROM,
}


class NotAllowed(Exception):
    """The action does not fit the submission as it is now; str() says why, for the editor."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def actions_for(submission):
    """The names of the actions an editor may take now, in the order the admin shows them."""
    if submission.erased_at:
        return []
    allowed = [name for name, before in ALLOWED_FROM.items() if submission.status in before]
    return [*allowed, "note"]


def _clean_message(message, *, required):
    message = clean_text(message or "").strip()
    if required and not message:
        raise NotAllowed("Write a message for the author: it cannot be empty.")
    if len(message) > MAX_MESSAGE:
        raise NotAllowed(
            f"The message is {len(message)} characters long; keep it to {MAX_MESSAGE}."
        )
    return message


def _locked(submission, allowed_from, action):
    """The row, locked for this transaction, if the action fits its status."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.erased_at:
        raise NotAllowed("This submission's data has been erased; nothing more can be done.")
    if allowed_from is not None and locked.status not in allowed_from:
        raise NotAllowed(
            f"You cannot {action} a submission that is “{locked.get_status_display().lower()}”; "
            "someone may have acted on it already. Reload the page to see where it stands."
        )
    return locked


def _sync(submission, locked):
    """Keep the caller's object in step with the row it handed in."""
    submission.status = locked.status
    submission.declined_at = locked.declined_at
    submission.updated_at = locked.updated_at


def _notify_author(event):
    enqueue_on_commit("submissions.tasks.notify_author", event.pk)


@transaction.atomic
def start_review(submission, *, by):
    """received → in_review; the author sees it on the status page, no email."""
    locked = _locked(submission, START_REVIEW_FROM, "start reviewing")
    event = locked.set_status(Status.IN_REVIEW, by=by)
    _sync(submission, locked)
    return event


@transaction.atomic
def request_changes(submission, *, by, message):
    """Ask the author for changes; they reply from their status page. Emails the author."""
    return _move_with_message(
        submission,
        Status.CHANGES_REQUESTED,
        REQUEST_CHANGES_FROM,
        "ask for changes on",
        by,
        message,
    )


@transaction.atomic
def decline(submission, *, by, message):
    """Decline it, with a message to the author; their data goes after the retention period."""
    return _move_with_message(submission, Status.DECLINED, DECLINE_FROM, "decline", by, message)


def _move_with_message(submission, status, allowed_from, verb, by, message):
    """A status change the author is told about, with the editor's message."""
    message = _clean_message(message, required=True)
    locked = _locked(submission, allowed_from, verb)
    event = locked.set_status(status, by=by, message=message)
    _sync(submission, locked)
    _notify_author(event)
    return event


@transaction.atomic
def add_note(submission, *, by, message):
    """An internal note for the editors; the author never sees it. No status change."""
    message = _clean_message(message, required=True)
    locked = _locked(submission, None, "add a note to")
    return locked.events.create(actor=by, message=message, internal=True)
