"""Real worker processes (`manage.py db_worker`) sending one alert on PostgreSQL through a real
SMTP server: two at once never send anyone two messages, and a worker killed while the server
is taking a message is replaced without loss or duplicate."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from subscriptions import sending
from subscriptions.models import Delivery, Mailing, Subscriber
from subscriptions.tests.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Mailings go out only with the organisation's postal address set (EU law).
    pytest.mark.usefixtures("leave_the_migrated_data_behind", "postal_address"),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several processes sharing one database: PostgreSQL",
    ),
]


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database queue, where the worker processes find them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def sink(settings):
    with SmtpSink() as sink:
        settings.MAILERS = sink.mailer_settings()
        yield sink


def start_worker(sink, senders=2):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TASKS_BACKEND": "database",
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "ALERT_SENDERS": str(senders),
        "SECRET_KEY": django_settings.SECRET_KEY,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(*workers):
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def subscribers(count):
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n:04d}@example.org", status=Subscriber.Status.CONFIRMED)
        for n in range(count)
    )
    return sorted(f"reader{n:04d}@example.org" for n in range(count))


def all_sent(mailing):
    return not Delivery.objects.filter(mailing=mailing).exclude(status="sent").exists()


def test_two_workers_sending_the_same_post_send_each_subscriber_one_message(
    database_tasks, sink, make_post
):
    expected = subscribers(600)
    workers = [start_worker(sink), start_worker(sink)]
    try:
        mailing = Mailing.objects.get(post=make_post(at=None))
        # More senders than workers, all on the same mailing, to make them compete.
        from subscriptions import sending_tasks

        for _ in range(4):
            sending_tasks.send.enqueue(mailing.pk)
        assert wait_for(lambda: sink.recorder.count >= len(expected) and all_sent(mailing))
        time.sleep(0.5)  # any duplicate would arrive now
    finally:
        stop(*workers)

    received = Counter(sink.recorder.recipients())
    assert sorted(received) == expected
    assert set(received.values()) == {1}
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE

    from django_tasks_db.models import DBTaskResult

    senders = DBTaskResult.objects.filter(task_path="subscriptions.sending_tasks.send")
    workers_that_sent = {worker for result in senders for worker in result.worker_ids}
    assert len(workers_that_sent) == 2, "both workers took part"


def test_a_worker_killed_mid_send_is_replaced_without_loss_or_duplicate(
    database_tasks, sink, make_post
):
    expected = subscribers(250)
    sink.recorder.hold_after = 60  # the 61st message waits for an answer that never comes
    first = start_worker(sink, senders=1)
    try:
        mailing = Mailing.objects.get(post=make_post(at=None))
        assert sink.recorder.held.wait(timeout=90), "the worker never reached the 61st message"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    sink.recorder.hold_after = None
    sink.recorder.release.set()

    assert sink.recorder.count == 60
    assert Delivery.objects.filter(mailing=mailing, status="sent").count() == 60
    assert Delivery.objects.filter(mailing=mailing, status="sending").exists()

    # The scheduler, once the dead worker's lease is over, hands the rows to a new worker.
    later = timezone.now() + sending.LEASE + timezone.timedelta(seconds=1)
    assert sending.resume_stalled(now=later) == 1
    second = start_worker(sink, senders=1)
    try:
        assert wait_for(lambda: all_sent(mailing))
        time.sleep(0.5)
    finally:
        stop(second)

    received = Counter(sink.recorder.recipients())
    assert sorted(received) == expected
    assert set(received.values()) == {1}
