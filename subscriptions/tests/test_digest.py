"""The weekly digest: on the configured weekday and hour, once a week, only when something new
was published, listing what is in each subscriber's topics."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from blog.models import Topic
from subscriptions import alerts
from subscriptions.models import Delivery, Mailing, Subscriber

# Mailings go out only with the organisation's postal address set (EU law).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postal_address")]


@pytest.fixture
def digest_time(settings):
    """Mondays from 08:00, Brussels time; returns a datetime helper for that week."""
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY = 0
    settings.SUBSCRIPTIONS_DIGEST_HOUR = 8
    settings.TIME_ZONE = "Europe/Brussels"

    def at(day, hour, minute=0):
        monday = datetime.datetime(2026, 11, 30, hour, minute)  # 30 November 2026 is a Monday
        return timezone.make_aware(monday + datetime.timedelta(days=day))

    return at


def weekly(email, topics=(), **fields):
    fields.setdefault("status", Subscriber.Status.CONFIRMED)
    subscriber = Subscriber.objects.create(email=email, frequency="weekly", **fields)
    subscriber.choose(topics=topics)
    return subscriber


def run_digest(now, capture):
    with capture(execute=True):
        return alerts.start_weekly_digest(now=now)


def test_nothing_happens_outside_the_digest_weekday_and_hour(digest_time, make_post):
    make_post(at=digest_time(-1, 12))
    assert alerts.start_weekly_digest(now=digest_time(0, 7, 59)) is None
    assert alerts.start_weekly_digest(now=digest_time(1, 9)) is None
    assert not Mailing.objects.filter(kind=Mailing.Kind.DIGEST).exists()


def test_weekly_subscribers_get_one_digest_of_the_weeks_posts(
    digest_time, make_post, mailoutbox, django_capture_on_commit_callbacks
):
    weekly("weekly@example.org")
    Subscriber.objects.create(email="instant@example.org", status="confirmed")
    weekly("paused@example.org", paused=True)
    weekly("pending@example.org", status=Subscriber.Status.PENDING)
    make_post(title="Older than a week", at=digest_time(-9, 12))
    make_post(title="Tuesday's news", at=digest_time(-6, 10))
    make_post(title="Sunday's column", at=digest_time(-1, 18))
    make_post(title="A correction", at=digest_time(-2, 9), send_alert=False)

    mailing = run_digest(digest_time(0, 8, 5), django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [["weekly@example.org"]]
    message = mailoutbox[0]
    assert message.subject == "This week on The Cancer Blog: 2 new posts"
    assert message.body.index("Sunday's column") < message.body.index("Tuesday's news")
    assert "Older than a week" not in message.body
    assert "A correction" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE

    # Every later tick that day, and the next Monday's hours before 08:00, do nothing more.
    assert run_digest(digest_time(0, 8, 6), django_capture_on_commit_callbacks) is None
    assert run_digest(digest_time(0, 23), django_capture_on_commit_callbacks) is None
    assert len(mailoutbox) == 1


def test_the_next_digest_starts_where_the_last_one_ended(
    digest_time, make_post, mailoutbox, django_capture_on_commit_callbacks
):
    weekly("weekly@example.org")
    make_post(title="Last week's post", at=digest_time(-2, 12))
    run_digest(digest_time(0, 8), django_capture_on_commit_callbacks)
    make_post(title="This week's post", at=digest_time(3, 12))
    mailoutbox.clear()

    run_digest(digest_time(7, 8), django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    assert "This week's post" in mailoutbox[0].body
    assert "Last week's post" not in mailoutbox[0].body


def test_a_week_with_nothing_new_sends_nothing(
    digest_time, mailoutbox, django_capture_on_commit_callbacks
):
    weekly("weekly@example.org")
    mailing = run_digest(digest_time(0, 9), django_capture_on_commit_callbacks)

    assert mailoutbox == []
    assert mailing.status == Mailing.Status.SKIPPED
    assert not Delivery.objects.exists()


def test_a_digest_lists_only_the_subscribers_topics(
    digest_time, make_post, topic, mailoutbox, django_capture_on_commit_callbacks
):
    screening = Topic.objects.create(name="Screening", slug="screening")
    weekly("everything@example.org")
    weekly("immuno@example.org", topics=[topic])
    weekly("screening@example.org", topics=[screening])
    weekly("nothing-new@example.org", topics=[Topic.objects.create(name="Rare", slug="rare")])
    make_post(title="On immunotherapy", topics=[topic], at=digest_time(-1, 12))
    make_post(title="On screening", topics=[screening], at=digest_time(-2, 12))

    run_digest(digest_time(0, 8), django_capture_on_commit_callbacks)

    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert set(bodies) == {
        "everything@example.org",
        "immuno@example.org",
        "screening@example.org",
    }
    assert "On immunotherapy" in bodies["everything@example.org"]
    assert "On screening" in bodies["everything@example.org"]
    assert "On screening" not in bodies["immuno@example.org"]
    assert "On immunotherapy" not in bodies["screening@example.org"]


def test_the_scheduler_starts_the_digest(digest_time, make_post, settings, mailoutbox):
    weekly("weekly@example.org")
    make_post(title="Fresh", at=timezone.now() - datetime.timedelta(hours=1))
    now = timezone.localtime()
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY = now.weekday()
    settings.SUBSCRIPTIONS_DIGEST_HOUR = now.hour

    call_command("run_scheduler", "--once")

    assert Mailing.objects.filter(kind=Mailing.Kind.DIGEST).count() == 1
