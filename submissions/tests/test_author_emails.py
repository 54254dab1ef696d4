"""What the author hears from the editors, and what the editor hears of a withdrawal."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from submissions import editorial, tasks
from submissions.models import Submission
from submissions.tests.submitting import editor_emails, html_part, submitted

pytestmark = pytest.mark.django_db

Status = Submission.Status
HOSTILE = 'Please <script>alert("x")</script> fix the <b>bold</b> claim & cite it.'


@pytest.fixture
def sent(client, django_capture_on_commit_callbacks):
    submission, path = submitted(
        client,
        django_capture_on_commit_callbacks,
        title="My <i>post</i>\nBcc: victim@example.net",
        notify_on_publish="on",
    )
    mail.outbox.clear()
    return submission, path


def to_author():
    return [m for m in mail.outbox if m.to == ["lena@example.org"]]


def link_in(message):
    found = re.search(
        rf"{re.escape(django_settings.BASE_URL)}(/submissions/[^\s/]+/)", message.body
    )
    assert found, message.body
    return found.group(1)


def changes_requested(capture, submission, editor, message=HOSTILE):
    with capture(execute=True):
        editorial.request_changes(submission, by=editor, message=message)
    [email] = to_author()
    return email


# Changes requested


def test_a_request_for_changes_quotes_the_message_as_plain_text_in_both_parts(
    sent, editor, django_capture_on_commit_callbacks
):
    submission, _ = sent
    email = changes_requested(django_capture_on_commit_callbacks, submission, editor)
    assert HOSTILE in email.body
    html = html_part(email)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&amp; cite it" in html
    assert email.reply_to == ["editor@example.org"], "a reply reaches the editor"


def test_the_subject_carries_nothing_the_author_or_editor_typed(
    sent, editor, django_capture_on_commit_callbacks
):
    submission, _ = sent
    email = changes_requested(django_capture_on_commit_callbacks, submission, editor)
    assert email.subject == "Your guest post for The Cancer Blog: the editor asks for changes"
    assert "\n" not in email.subject and "Bcc" not in email.message().as_string().split("\n\n")[0]


def test_the_link_in_the_email_opens_the_status_page_with_the_reply_form(
    client, sent, editor, django_capture_on_commit_callbacks
):
    submission, path = sent
    email = changes_requested(django_capture_on_commit_callbacks, submission, editor)
    # The same signed value; the time stamp in the signature may have moved on by a second.
    assert link_in(email).split(":")[0] == path.split(":")[0]
    assert f'href="{django_settings.BASE_URL}{link_in(email)}"' in html_part(email)
    response = client.get(link_in(email))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reply to the editor" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html


def test_unicode_reaches_the_author_intact(sent, editor, django_capture_on_commit_callbacks):
    submission, _ = sent
    text = "Ďakujem — please add the 2024 ESMO figures 🙂 (日本語 / עברית)"
    email = changes_requested(django_capture_on_commit_callbacks, submission, editor, text)
    assert text in email.body and text in html_part(email)


# Declined


def test_a_decline_gives_the_message_and_when_the_data_goes(
    settings, sent, editor, django_capture_on_commit_callbacks
):
    settings.SUBMISSIONS_DECLINED_RETENTION_DAYS = 30
    submission, _ = sent
    with django_capture_on_commit_callbacks(execute=True):
        editorial.decline(submission, by=editor, message=HOSTILE)
    [email] = to_author()
    submission.refresh_from_db()
    erase_on = timezone.localtime(submission.declined_at + timezone.timedelta(days=30))
    assert HOSTILE in email.body
    assert "30 days after this decision" in " ".join(email.body.split())
    assert erase_on.strftime("%-d %B %Y") in " ".join(email.body.split())
    assert "<script>" not in html_part(email) and "&lt;b&gt;" in html_part(email)
    assert "cannot publish" in email.body


# Accepted


def test_an_acceptance_says_what_happens_next_with_or_without_a_message(
    sent, editor, django_capture_on_commit_callbacks
):
    submission, _ = sent
    event = submission.set_status(Status.ACCEPTED, by=editor)
    assert tasks.notify_author.call(event.pk) == 1
    [email] = to_author()
    flat = " ".join(email.body.split())
    assert "You will see the edited version before it is published." in flat
    assert "clarity, length and house style" in flat
    assert "editor's message" not in flat
    mail.outbox.clear()
    event = submission.set_status(Status.ACCEPTED, by=editor, message=HOSTILE)
    tasks.notify_author.call(event.pk)
    [email] = to_author()
    assert HOSTILE in email.body and "&lt;script&gt;" in html_part(email)


# Published


@pytest.fixture
def published(sent, make_post, editor):
    submission, _ = sent
    post = make_post(title="What the day unit taught me, edited")
    Submission.objects.filter(pk=submission.pk).update(post=post)
    submission.refresh_from_db()
    return submission, post, submission.set_status(Status.PUBLISHED, by=editor)


def test_the_published_email_goes_once_with_the_posts_address(published):
    submission, post, event = published
    assert tasks.notify_author.call(event.pk) == 1
    assert tasks.notify_author.call(event.pk) == 0
    [email] = to_author()
    assert post.full_url.startswith(django_settings.BASE_URL + "/")
    assert post.full_url in email.body and f'href="{post.full_url}"' in html_part(email)
    assert "edited" in email.body
    submission.refresh_from_db()
    assert submission.notified_published_at is not None


def test_the_published_email_goes_only_if_the_author_asked(published):
    submission, _, event = published
    Submission.objects.filter(pk=submission.pk).update(notify_on_publish=False)
    assert tasks.notify_author.call(event.pk) == 0
    assert to_author() == []


def test_a_failed_published_email_can_be_retried(published, monkeypatch):
    submission, _, event = published

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(tasks, "send_email", broken)
    with pytest.raises(OSError):
        tasks.notify_author.call(event.pk)
    submission.refresh_from_db()
    assert submission.notified_published_at is None
    monkeypatch.undo()
    assert tasks.notify_author.call(event.pk) == 1


# Nothing sent


def test_internal_notes_and_other_moves_send_nothing(
    sent, editor, django_capture_on_commit_callbacks
):
    submission, _ = sent
    with django_capture_on_commit_callbacks(execute=True):
        note = editorial.add_note(submission, by=editor, message="Editors only")
        review = editorial.start_review(submission, by=editor)
    internal = submission.set_status(Status.DECLINED, message="Not sent", internal=True)
    scheduled = submission.set_status(Status.SCHEDULED, by=editor)
    for event in (note, review, internal, scheduled):
        assert tasks.notify_author.call(event.pk) == 0
    assert mail.outbox == []


def test_nothing_goes_to_an_erased_author(client, sent, editor):
    submission, path = sent
    event = submission.set_status(Status.CHANGES_REQUESTED, by=editor, message="More.")
    client.post(path + "withdraw/")
    mail.outbox.clear()
    assert tasks.notify_author.call(event.pk) == 0
    assert tasks.notify_author.call(10**9) == 0
    assert mail.outbox == []


# Withdrawn


def test_the_editor_hears_of_a_withdrawal_without_any_personal_data(
    client, sent, django_capture_on_commit_callbacks
):
    submission, path = sent
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path + "withdraw/")
    [email] = editor_emails()
    received = timezone.localtime(submission.created_at).strftime("%-d %B %Y")
    for part in (email.subject, email.body, html_part(email)):
        flat = " ".join(part.split())
        assert f"#{submission.pk}" in flat
        for personal in ("Lena", "Novak", "lena@", "Ljubljana", "day unit", "post</i>"):
            assert personal not in part
    assert f"received on {received}" in " ".join(email.body.split())
    assert "withdrawn by its author" in email.subject


def test_a_second_withdrawal_or_one_of_a_published_post_tells_the_editor_nothing(
    client, sent, django_capture_on_commit_callbacks
):
    submission, path = sent
    Submission.objects.filter(pk=submission.pk).update(status=Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path + "withdraw/")
        client.post(path + "withdraw/")
    submission.refresh_from_db()
    assert submission.erased_at is not None
    assert editor_emails() == []
