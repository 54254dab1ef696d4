"""What an editor does with a submission: each move allowed from some statuses only, once."""

import pytest
from django.core import mail

from submissions import editorial, privacy
from submissions.models import Submission, SubmissionEvent
from submissions.tests.submitting import submitted

pytestmark = pytest.mark.django_db

Status = Submission.Status


@pytest.fixture
def sent(client, django_capture_on_commit_callbacks):
    submission, _ = submitted(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return submission


def at(submission, status):
    Submission.objects.filter(pk=submission.pk).update(status=status)
    submission.refresh_from_db()
    return submission


def act(capture, action, submission, **kwargs):
    with capture(execute=True):
        return action(submission, **kwargs)


def author_emails():
    return [m for m in mail.outbox if m.to == ["lena@example.org"]]


# Which actions each status allows


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.RECEIVED, ["start_review", "request_changes", "decline", "accept", "note"]),
        (Status.IN_REVIEW, ["request_changes", "decline", "accept", "note"]),
        (Status.CHANGES_REQUESTED, ["decline", "accept", "note"]),
        (Status.ACCEPTED, ["decline", "note"]),
        (Status.SCHEDULED, ["note"]),
        (Status.PUBLISHED, ["note"]),
        (Status.DECLINED, ["note"]),
        (Status.WITHDRAWN, ["note"]),
    ],
)
def test_it_lists_only_the_actions_the_status_allows(sent, status, actions):
    assert editorial.actions_for(at(sent, status)) == actions


def test_it_offers_nothing_once_the_data_is_erased(sent):
    privacy.erase(sent)
    sent.refresh_from_db()
    assert editorial.actions_for(sent) == []


# start_review


def test_it_starts_a_review_and_records_who_and_when_without_email(
    sent, editor, django_capture_on_commit_callbacks
):
    event = act(django_capture_on_commit_callbacks, editorial.start_review, sent, by=editor)
    sent.refresh_from_db()
    assert sent.status == Status.IN_REVIEW
    assert (event.actor, event.status_from, event.status_to) == (
        editor,
        Status.RECEIVED,
        Status.IN_REVIEW,
    )
    assert event.created_at is not None and not event.internal and not event.by_author
    assert mail.outbox == []


@pytest.mark.parametrize(
    "status",
    [s for s in Status if s != Status.RECEIVED],
)
def test_it_refuses_to_start_a_review_from_any_other_status(sent, editor, status):
    at(sent, status)
    with pytest.raises(editorial.NotAllowed, match="Reload the page"):
        editorial.start_review(sent, by=editor)
    assert sent.events.count() == 1


# request_changes


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.IN_REVIEW])
def test_it_asks_for_changes_and_emails_the_author(
    sent, editor, status, django_capture_on_commit_callbacks
):
    at(sent, status)
    event = act(
        django_capture_on_commit_callbacks,
        editorial.request_changes,
        sent,
        by=editor,
        message="  Please shorten the second half.  ",
    )
    sent.refresh_from_db()
    assert sent.status == Status.CHANGES_REQUESTED
    assert event.actor == editor and event.status_from == status
    assert event.message == "Please shorten the second half."
    [message] = author_emails()
    assert "Please shorten the second half." in message.body


@pytest.mark.parametrize(
    "status",
    [Status.CHANGES_REQUESTED, Status.ACCEPTED, Status.PUBLISHED, Status.DECLINED],
)
def test_it_refuses_to_ask_for_changes_from_other_statuses(sent, editor, status):
    at(sent, status)
    with pytest.raises(editorial.NotAllowed):
        editorial.request_changes(sent, by=editor, message="More, please.")


@pytest.mark.parametrize("message", ["", "   \n\t  ", None])
def test_a_request_for_changes_needs_a_message(sent, editor, message):
    with pytest.raises(editorial.NotAllowed, match="cannot be empty"):
        editorial.request_changes(sent, by=editor, message=message)
    sent.refresh_from_db()
    assert sent.status == Status.RECEIVED and sent.events.count() == 1


def test_an_oversized_message_is_refused_with_its_length(sent, editor):
    with pytest.raises(editorial.NotAllowed, match="5001 characters long; keep it to 5000"):
        editorial.request_changes(sent, by=editor, message="x" * 5001)
    assert sent.events.count() == 1
    event = editorial.request_changes(sent, by=editor, message="x" * 5000)
    assert len(event.message) == 5000


def test_unicode_messages_are_kept_as_written(sent, editor, django_capture_on_commit_callbacks):
    text = "Merci — could you cite the ESMO 2024 data? 🙏 Ελληνικά, 日本語, עברית"
    event = act(
        django_capture_on_commit_callbacks,
        editorial.request_changes,
        sent,
        by=editor,
        message=text,
    )
    assert SubmissionEvent.objects.get(pk=event.pk).message == text
    [message] = author_emails()
    assert text in message.body


def test_control_characters_are_dropped_from_messages(sent, editor):
    event = editorial.add_note(sent, by=editor, message="Null\x00 and\r\nbell\x07.")
    assert SubmissionEvent.objects.get(pk=event.pk).message == "Null and\nbell."


def test_a_double_click_makes_one_event_and_one_email(
    sent, editor, django_capture_on_commit_callbacks
):
    act(
        django_capture_on_commit_callbacks,
        editorial.request_changes,
        sent,
        by=editor,
        message="First click.",
    )
    stale = Submission.objects.get(pk=sent.pk)
    stale.status = Status.IN_REVIEW  # the page the second click came from
    with pytest.raises(editorial.NotAllowed):
        act(
            django_capture_on_commit_callbacks,
            editorial.request_changes,
            stale,
            by=editor,
            message="First click.",
        )
    assert sent.events.filter(status_to=Status.CHANGES_REQUESTED).count() == 1
    assert len(author_emails()) == 1


# decline


@pytest.mark.parametrize(
    "status",
    [Status.RECEIVED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ACCEPTED],
)
def test_it_declines_records_when_and_emails_the_author(
    sent, editor, status, django_capture_on_commit_callbacks
):
    at(sent, status)
    event = act(
        django_capture_on_commit_callbacks,
        editorial.decline,
        sent,
        by=editor,
        message="Not for us, sorry.",
    )
    sent.refresh_from_db()
    assert sent.status == Status.DECLINED
    assert sent.declined_at is not None
    assert (event.actor, event.status_from, event.message) == (
        editor,
        status,
        "Not for us, sorry.",
    )
    [message] = author_emails()
    assert "Not for us, sorry." in message.body


@pytest.mark.parametrize(
    "status", [Status.SCHEDULED, Status.PUBLISHED, Status.DECLINED, Status.WITHDRAWN]
)
def test_it_refuses_to_decline_from_other_statuses(sent, editor, status):
    at(sent, status)
    with pytest.raises(editorial.NotAllowed):
        editorial.decline(sent, by=editor, message="No.")
    assert mail.outbox == []


def test_declining_twice_sends_one_email(sent, editor, django_capture_on_commit_callbacks):
    act(django_capture_on_commit_callbacks, editorial.decline, sent, by=editor, message="No.")
    with pytest.raises(editorial.NotAllowed):
        act(django_capture_on_commit_callbacks, editorial.decline, sent, by=editor, message="No.")
    assert sent.events.filter(status_to=Status.DECLINED).count() == 1
    assert len(author_emails()) == 1


def test_a_decline_needs_a_message(sent, editor):
    with pytest.raises(editorial.NotAllowed):
        editorial.decline(sent, by=editor, message=" ")


# notes


def test_a_note_is_internal_changes_no_status_and_sends_nothing(
    sent, editor, django_capture_on_commit_callbacks
):
    at(sent, Status.PUBLISHED)
    event = act(
        django_capture_on_commit_callbacks,
        editorial.add_note,
        sent,
        by=editor,
        message="Checked the figures with Dr Ribeiro.",
    )
    sent.refresh_from_db()
    assert sent.status == Status.PUBLISHED
    assert event.internal and event.actor == editor
    assert (event.status_from, event.status_to) == ("", "")
    assert mail.outbox == []


def test_notes_may_repeat(sent, editor):
    editorial.add_note(sent, by=editor, message="Same.")
    editorial.add_note(sent, by=editor, message="Same.")
    assert sent.events.filter(internal=True).count() == 2


def test_a_note_is_checked_like_any_message(sent, editor):
    with pytest.raises(editorial.NotAllowed):
        editorial.add_note(sent, by=editor, message="")
    with pytest.raises(editorial.NotAllowed):
        editorial.add_note(sent, by=editor, message="x" * 5001)


# erased


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        (editorial.start_review, {}),
        (editorial.request_changes, {"message": "More."}),
        (editorial.decline, {"message": "No."}),
        (editorial.add_note, {"message": "Note."}),
    ],
)
def test_nothing_can_be_done_to_an_erased_submission(sent, editor, action, kwargs):
    privacy.erase(sent)
    with pytest.raises(editorial.NotAllowed, match="erased"):
        action(sent, by=editor, **kwargs)


def test_the_callers_object_follows_the_row(sent, editor):
    editorial.decline(sent, by=editor, message="No.")
    assert sent.status == Status.DECLINED and sent.declined_at is not None
