"""The editor's optional daily summary of new subscribers: once a day from 07:00, counts only."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Site

from core.models import SiteSettings
from subscriptions.models import Mailing, Subscriber
from subscriptions.summary import send_daily_summary

pytestmark = pytest.mark.django_db


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, minute))


MORNING = local(10, 7, 5)


@pytest.fixture
def site_settings(site_tree):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.daily_subscriber_summary = True
    settings.editor_email = "editor@cancerblog.example"
    settings.save()
    return settings


@pytest.fixture
def changes():
    """Yesterday's news: two confirmed, one left, one bounced; plus older and pending ones."""
    hours = datetime.timedelta(hours=1)
    for n in range(2):
        Subscriber.objects.create(
            email=f"new{n}@example.org", status="confirmed", confirmed_at=MORNING - 3 * hours
        )
    Subscriber.objects.create(
        email="old@example.org", status="confirmed", confirmed_at=MORNING - 30 * hours
    )
    Subscriber.objects.create(
        email="left@example.org",
        status="unsubscribed",
        confirmed_at=MORNING - 90 * hours,
        unsubscribed_at=MORNING - 5 * hours,
    )
    Subscriber.objects.create(
        email="bounced@example.org",
        status="suppressed",
        confirmed_at=MORNING - 90 * hours,
        suppressed_at=MORNING - 2 * hours,
    )
    Subscriber.objects.create(email="waiting@example.org", status="pending")


def test_it_emails_the_editor_the_days_counts(site_settings, changes):
    mailing = send_daily_summary(now=MORNING)

    assert mailing.kind == Mailing.Kind.SUMMARY and mailing.status == Mailing.Status.DONE
    assert mailing.key == "summary:2026-03-10"
    [message] = mail.outbox
    assert message.to == ["editor@cancerblog.example"]
    assert "2 new subscribers, 2 left" in message.subject
    assert "New subscribers, confirmed: 2" in message.body
    assert "Unsubscribed: 1" in message.body
    assert "Stopped after a bounce or complaint: 1" in message.body
    assert "Confirmed subscribers now: 3" in message.body
    assert "/admin/reports/email-alerts/" in message.body


def test_it_names_no_subscriber(site_settings, changes):
    send_daily_summary(now=MORNING)

    [message] = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert "@example.org" not in text


def test_it_sends_once_a_day_however_often_it_is_called(site_settings, changes):
    for minute in range(0, 60, 1):
        send_daily_summary(now=local(10, 7, minute))
    send_daily_summary(now=local(10, 23, 59))
    assert len(mail.outbox) == 1

    Subscriber.objects.create(
        email="later@example.org", status="confirmed", confirmed_at=local(10, 12)
    )
    send_daily_summary(now=local(11, 7, 0))
    assert len(mail.outbox) == 2
    assert "1 new subscriber, 0 left" in mail.outbox[1].subject
    assert Mailing.objects.filter(kind="summary").count() == 2


def test_it_waits_until_seven_in_the_morning(site_settings, changes):
    assert send_daily_summary(now=local(10, 6, 59)) is None
    assert mail.outbox == []
    assert not Mailing.objects.exists()


def test_it_sends_nothing_when_the_editor_did_not_ask(site_settings, changes):
    site_settings.daily_subscriber_summary = False
    site_settings.save()

    assert send_daily_summary(now=MORNING) is None
    assert mail.outbox == []
    assert not Mailing.objects.exists()


def test_a_day_with_nothing_new_is_skipped_without_email(site_settings):
    Subscriber.objects.create(
        email="old@example.org",
        status="confirmed",
        confirmed_at=MORNING - datetime.timedelta(days=3),
    )

    mailing = send_daily_summary(now=MORNING)
    send_daily_summary(now=local(10, 12))

    assert mailing.status == Mailing.Status.SKIPPED
    assert mail.outbox == []
    assert Mailing.objects.count() == 1


def test_a_failed_send_is_tried_again_on_the_next_call(site_settings, changes, monkeypatch):
    from subscriptions import summary

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(summary, "send_email", broken)
    with pytest.raises(ConnectionError):
        send_daily_summary(now=MORNING)
    assert not Mailing.objects.exists()

    monkeypatch.undo()
    send_daily_summary(now=local(10, 7, 30))
    assert len(mail.outbox) == 1


def test_two_processes_at_once_send_one_summary(site_settings, changes, monkeypatch):
    """Both find no summary for today; the other process claims the day first."""
    from subscriptions import summary

    real_counts = summary.summary_counts
    other_process_ran = []

    def counts_while_another_process_sends(since, until):
        if not other_process_ran:
            other_process_ran.append(True)
            assert send_daily_summary(now=MORNING) is not None
        return real_counts(since, until)

    monkeypatch.setattr(summary, "summary_counts", counts_while_another_process_sends)

    assert send_daily_summary(now=MORNING) is None
    assert other_process_ran
    assert len(mail.outbox) == 1
    assert Mailing.objects.filter(kind="summary").count() == 1
