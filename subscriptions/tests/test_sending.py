"""Sending through a real SMTP server: one connection for many messages, temporary failures
retried later, permanent ones marked, lost connections and dead workers resumed, and nobody
getting the same alert twice."""

from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from django.core.mail import mailers
from django.utils import timezone

from subscriptions import alerts, sending
from subscriptions.compose import composer_for
from subscriptions.models import Delivery, Mailing, Subscriber
from subscriptions.tests.smtp_sink import SmtpSink

# Mailings go out only with the organisation's postal address set (EU law).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postal_address")]


@pytest.fixture
def sink(settings):
    with SmtpSink() as sink:
        settings.MAILERS = sink.mailer_settings()
        yield sink


@pytest.fixture
def mailing(make_post):
    """An alert for a fresh post to five confirmed subscribers, ready to send."""
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.org", status=Subscriber.Status.CONFIRMED)
        for n in range(5)
    )
    mailing = Mailing.objects.get(post=make_post(at=None))
    alerts.prepare(mailing.pk)
    mailing.refresh_from_db()
    return mailing


def statuses(mailing):
    return dict(Delivery.objects.filter(mailing=mailing).values_list("subscriber__email", "status"))


def test_every_subscriber_gets_one_message_over_one_connection(sink, mailing):
    assert sending.send_mailing(mailing.pk) == 5

    assert sorted(sink.recorder.recipients()) == [f"reader{n}@example.org" for n in range(5)]
    assert set(statuses(mailing).values()) == {"sent"}
    for row in Delivery.objects.filter(mailing=mailing):
        assert abs(row.sent_at - timezone.now()) < timezone.timedelta(minutes=1)
        assert row.claimed_at is None and row.attempts == 1
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE and mailing.finished_at
    # A second sender finds nothing left to do.
    assert sending.send_mailing(mailing.pk) == 0
    assert sink.recorder.count == 5


def test_a_temporary_refusal_is_retried_later_and_then_delivered(sink, mailing):
    sink.recorder.refuse["reader2@example.org"] = "450 4.2.1 Mailbox busy, try later"
    sending.send_mailing(mailing.pk)

    row = Delivery.objects.get(mailing=mailing, subscriber__email="reader2@example.org")
    assert row.status == Delivery.Status.QUEUED and row.attempts == 1
    assert row.next_attempt_at > timezone.now()
    assert "Mailbox busy" in row.error
    assert sink.recorder.count == 4

    # Not before its time...
    assert sending.send_mailing(mailing.pk) == 0
    # ...but once due, and the server has recovered, it goes out, once.
    del sink.recorder.refuse["reader2@example.org"]
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert sending.send_mailing(mailing.pk) == 1
    assert sorted(sink.recorder.recipients()).count("reader2@example.org") == 1
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE


def test_a_permanent_refusal_is_marked_failed_and_not_retried(sink, mailing):
    sink.recorder.refuse["reader3@example.org"] = "550 5.1.1 No such user"
    sending.send_mailing(mailing.pk)

    row = Delivery.objects.get(mailing=mailing, subscriber__email="reader3@example.org")
    assert row.status == Delivery.Status.FAILED
    assert "No such user" in row.error
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE


def test_a_message_refused_too_many_times_fails_in_the_end(sink, mailing):
    sink.recorder.refuse["reader1@example.org"] = "451 4.3.0 Temporary trouble"
    for _ in range(len(sending.RETRY_DELAYS) + 1):
        Delivery.objects.filter(mailing=mailing).update(next_attempt_at=None)
        sending.send_mailing(mailing.pk)

    row = Delivery.objects.get(mailing=mailing, subscriber__email="reader1@example.org")
    assert row.status == Delivery.Status.FAILED
    assert row.attempts == len(sending.RETRY_DELAYS) + 1


def test_when_the_server_is_down_nothing_is_lost_and_it_resumes_later(settings, mailing):
    with SmtpSink() as sink:
        port = sink.port
    settings.MAILERS = SmtpSink(port=port).mailer_settings()  # nobody listens there now

    sending.send_mailing(mailing.pk)
    assert set(statuses(mailing).values()) == {"queued"}
    assert Delivery.objects.filter(mailing=mailing, attempts__gt=1).count() == 0

    with SmtpSink(port=port) as sink:
        later = timezone.now() + timezone.timedelta(minutes=5)
        assert sending.resume_stalled(now=later) == 1
        Delivery.objects.filter(mailing=mailing).update(next_attempt_at=None)
        sending.send_mailing(mailing.pk)
        assert sorted(sink.recorder.recipients()) == [f"reader{n}@example.org" for n in range(5)]


def test_rows_held_by_a_dead_worker_are_sent_once_after_the_lease(sink, mailing):
    # A worker claimed two rows, sent one, and died before the other.
    claimed = sending.claim(mailing.pk, now=timezone.now(), size=2)
    first = Delivery.objects.select_related("subscriber").get(pk=claimed[0])
    mailers["default"].send_messages([composer_for(mailing).message(first, first.subscriber)])
    Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENT)

    # Another worker meanwhile sends the rest, but leaves the dead worker's row alone.
    sending.send_mailing(mailing.pk)
    assert sink.recorder.count == 4
    assert Delivery.objects.get(pk=claimed[1]).status == Delivery.Status.SENDING

    # After the lease the scheduler hands the row on, and it goes out once.
    sending.resume_stalled(now=timezone.now() + sending.LEASE + timezone.timedelta(seconds=1))
    sending.send_mailing(mailing.pk)
    assert sorted(sink.recorder.recipients()) == [f"reader{n}@example.org" for n in range(5)]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE


def test_a_mailing_whose_preparation_died_is_prepared_again(
    sink, make_post, settings, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(email="ana@example.org", status=Subscriber.Status.CONFIRMED)
    mailing = Mailing.objects.get(post=make_post(at=None))  # prepare task never ran
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.resume_stalled(now=timezone.now()) == 0  # too early to tell
    with django_capture_on_commit_callbacks(execute=True):
        sending.resume_stalled(now=timezone.now() + sending.LEASE * 2)

    assert sink.recorder.recipients() == ["ana@example.org"]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE


def test_the_messages_on_the_wire_are_whole_personal_and_readable(sink, make_post, settings):
    settings.DEFAULT_FROM_EMAIL = "The Cancer Blog <alerts@cancerblog.example>"
    Subscriber.objects.create(email="o'hara&co@example.org", status="confirmed")
    Subscriber.objects.create(email="zoe@bücher.example", status="confirmed")
    post = make_post(
        at=None,
        title="Ärztinnen und Patienten: « dialogue » — 対話",
        standfirst="Ce qui change pour les patients atteints d’un cancer.",
    )
    mailing = Mailing.objects.get(post=post)
    alerts.prepare(mailing.pk)

    assert sending.send_mailing(mailing.pk) == 2

    by_address = {}
    for recipients, content in sink.recorder.accepted:
        by_address[recipients[0]] = message_from_bytes(content, policy=default_policy)
    plain = by_address["o'hara&co@example.org"]
    assert plain["Subject"] == f"New on The Cancer Blog: {post.title}"
    assert plain["From"] == "The Cancer Blog <alerts@cancerblog.example>"
    assert plain["To"] == "o'hara&co@example.org"
    assert plain["Date"].datetime
    assert plain["Message-ID"].startswith(f"<alert.{mailing.pk}.")
    assert plain["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop_url = plain["List-Unsubscribe"].strip("<>")
    text = plain.get_body(("plain",)).get_content()
    html = plain.get_body(("html",)).get_content()
    assert post.title in text and post.title in html
    assert "d’un cancer" in text
    assert stop_url in text and stop_url in html
    assert "o'hara&co@example.org" in text
    assert "o&#x27;hara&amp;co@example.org" in html
    assert "__CB_" not in plain.as_string()
    # An international address is sent the slower way, and arrives all the same.
    international = by_address["zoe@xn--bcher-kva.example"]
    assert international["Subject"] == plain["Subject"]
    assert "__CB_" not in international.as_string()


def test_a_sender_slower_than_half_its_lease_hands_the_rest_of_its_batch_back(
    sink, mailing, monkeypatch
):
    monkeypatch.setattr(sending, "LEASE", timezone.timedelta(0))

    assert sending.send_mailing(mailing.pk) == 5

    assert sorted(sink.recorder.recipients()) == [f"reader{n}@example.org" for n in range(5)]
    rows = Delivery.objects.filter(mailing=mailing)
    assert {row.status for row in rows} == {"sent"}
    assert {row.attempts for row in rows} == {1}, "a handed-back row is not an attempt"


def test_a_refusal_is_recorded_without_the_address_and_erasure_leaves_no_trace(sink, mailing):
    from subscriptions import privacy

    sink.recorder.refuse["reader3@example.org"] = "550 5.1.1 reader3@example.org: no such user"
    sending.send_mailing(mailing.pk)
    row = Delivery.objects.get(mailing=mailing, subscriber__email="reader3@example.org")
    assert row.status == Delivery.Status.FAILED
    assert row.error.startswith("Recipient refused: 550")

    privacy.erase(Subscriber.objects.get(email="reader3@example.org"))

    row.refresh_from_db()
    assert row.subscriber is None and row.error == ""
