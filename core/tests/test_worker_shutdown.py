"""A task worker asked to stop (SIGTERM: a deploy, a host going down) finishes the mailing it is
sending and takes nothing new; the next worker does the rest. No subscriber gets the alert
twice or not at all, and no delivery row is left claimed for the scheduler to rescue. Both task
backends: RQ (`rqworker`) and the database queue (`db_worker`)."""

import asyncio
import signal
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings as django_settings

from core.tests import hosts
from subscriptions.models import Delivery, Mailing, Subscriber
from subscriptions.tests.smtp_sink import Recorder, SmtpSink

SUBSCRIBERS = 150

pytestmark = [
    # Redis databases of their own (core/tests/hosts.py): one such test at a time.
    pytest.mark.usefixtures("one_host_test_at_a_time"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_the_migrated_data_behind"),
    # Mailings go out only with the organisation's postal address set (EU law).
    pytest.mark.usefixtures("postal_address"),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several processes sharing one database: PostgreSQL",
    ),
]


class SlowRecorder(Recorder):
    """A mail server that takes 30 ms per message, so a mailing lasts a few seconds."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.03)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_sink():
    sink = SmtpSink()
    sink.recorder = sink.controller.handler = SlowRecorder()
    with sink:
        yield sink


def start(kind, name, env, log_path):
    if kind == "rq":
        return hosts.start_rq_worker(name, env, log_path)
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"],
        cwd=hosts.ROOT,
        env={**env, "TASKS_BACKEND": "database"},
        stdout=open(log_path, "ab"),  # noqa: SIM115 - the child's, closed when it ends
        stderr=subprocess.STDOUT,
    )


@pytest.mark.parametrize("kind", ["rq", "database"])
def test_a_worker_stopped_mid_mailing_finishes_it_and_the_next_takes_the_rest(
    kind, make_post, slow_sink, settings, tmp_path, tmp_path_factory
):
    hosts.empty_redis()
    if kind == "rq":
        hosts.use_the_same_services(settings)
    else:
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n:04d}@example.org", status=Subscriber.Status.CONFIRMED)
        for n in range(SUBSCRIBERS)
    )
    # Two senders per mailing: the first worker runs one, the other waits in the queue.
    static_root = tmp_path_factory.getbasetemp() / "static"
    hosts.collectstatic(static_root)
    env = hosts.host_environment(slow_sink.port, static_root, ALERT_SENDERS="2")
    first = start(kind, "first", env, tmp_path / "first.log")
    second = None
    try:
        mailing = Mailing.objects.get(post=make_post(at=None))
        assert hosts.wait_for(lambda: slow_sink.recorder.count >= 20), "sending never started"
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 0, "the worker did not stop cleanly"
        sent_by_first = slow_sink.recorder.count
        assert 20 < sent_by_first, "the worker stopped in the middle of its mailing"
        assert not Delivery.objects.filter(mailing=mailing, status="sending").exists()

        second = start(kind, "second", env, tmp_path / "second.log")
        assert hosts.wait_for(lambda: not queued_senders(kind, mailing), timeout=60), (
            "the second worker never ran the waiting sender"
        )
    finally:
        hosts.stop(*[worker for worker in (first, second) if worker])
        hosts.empty_redis()

    received = Counter(slow_sink.recorder.recipients())
    assert sorted(received) == [f"reader{n:04d}@example.org" for n in range(SUBSCRIBERS)]
    assert set(received.values()) == {1}
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE


def queued_senders(kind, mailing):
    """Senders of the mailing still waiting for a worker."""
    if kind == "rq":
        import django_rq

        queue = django_rq.get_queue("default")
        waiting = [queue.fetch_job(job_id) for job_id in queue.get_job_ids()]
        registry = queue.started_job_registry
        running = [queue.fetch_job(job_id) for job_id in registry.get_job_ids()]
        return [
            job
            for job in waiting + running
            if job and job.func_name == "subscriptions.sending_tasks.send"
        ]
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(
            task_path="subscriptions.sending_tasks.send", status__in=["READY", "RUNNING"]
        )
    )
