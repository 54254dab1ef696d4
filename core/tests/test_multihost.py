"""The several-host layout, for real: two gunicorn web processes and two RQ workers, with
production settings, sharing PostgreSQL and Redis. A post published for 2,000 subscribers
reaches each of them exactly once, and both web processes serve the same, fresh pages."""

from collections import Counter

import pytest
from django.conf import settings as django_settings

from core.tests import hosts
from subscriptions.models import Delivery, Mailing, Subscriber
from subscriptions.tests.smtp_sink import SmtpSink, free_port

SUBSCRIBERS = 2000

pytestmark = [
    # Redis databases of their own (core/tests/hosts.py): one such test at a time.
    pytest.mark.usefixtures("one_host_test_at_a_time"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_the_migrated_data_behind"),
    # Mailings go out only with the organisation's postal address set (EU law).
    pytest.mark.usefixtures("postal_address"),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several hosts share PostgreSQL and Redis",
    ),
]


@pytest.fixture
def sink():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def deployment(settings, sink, tmp_path_factory, tmp_path):
    """Two web processes and two task workers; yields the web ports."""
    hosts.empty_redis()
    hosts.use_the_same_services(settings)
    static_root = tmp_path_factory.getbasetemp() / "static"
    hosts.collectstatic(static_root)
    env = hosts.host_environment(sink.port, static_root)
    ports = [free_port(), free_port()]
    webs = [
        hosts.start_web(port, env, tmp_path / f"web{n}.log", workers=1)
        for n, port in enumerate(ports)
    ]
    workers = [
        hosts.start_rq_worker(f"worker{n}-{ports[0]}", env, tmp_path / f"worker{n}.log")
        for n in range(2)
    ]
    try:
        for port, web in zip(ports, webs, strict=True):
            assert hosts.wait_until_serving(port, web), f"web process on {port} never served"
        yield ports
    finally:
        hosts.stop(*webs, *workers)
        hosts.empty_redis()


def subscribers(count):
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n:04d}@example.org", status=Subscriber.Status.CONFIRMED)
        for n in range(count)
    )
    return sorted(f"reader{n:04d}@example.org" for n in range(count))


def pages(ports, paths):
    """{path: [body from each port]}, each answered 200."""
    found = {}
    for path in paths:
        found[path] = []
        for port in ports:
            status, _, body = hosts.get(port, path)
            assert status == 200, f"{path} on {port}: {status}"
            found[path].append(body)
    return found


def test_two_web_processes_and_two_workers_publish_to_2000_subscribers_once(
    blog_index, contributor, topic, deployment, sink
):
    from blog.services import add_post

    ports = deployment
    expected = subscribers(SUBSCRIBERS)
    post = add_post(
        blog_index,
        title="Several hosts, one story",
        standfirst="What happens when the blog runs on more than one machine.",
        contributors=[contributor],
        topics=[topic],
        publish=False,
    )
    paths = ["/", f"/blog/{post.slug}/", f"/topics/{topic.slug}/", "/feed/"]
    public = paths[:1] + paths[2:]

    # Both web processes have served (and cached) the pages before the post is out.
    before = pages(ports, public)
    assert all(b"Several hosts, one story" not in body for pair in before.values() for body in pair)

    # The editor publishes; the alert is queued on RQ and taken by the workers.
    post.get_latest_revision().publish()
    mailing = Mailing.objects.get(post=post)

    def done():
        waiting = Delivery.objects.filter(mailing=mailing).exclude(status="sent").exists()
        return sink.recorder.count >= SUBSCRIBERS and not waiting

    assert hosts.wait_for(done, timeout=100), (
        f"{sink.recorder.count} of {SUBSCRIBERS} sent; mailing {mailing.status}"
    )
    hosts.wait_for(lambda: False, timeout=0.5)  # any duplicate would arrive now

    received = Counter(sink.recorder.recipients())
    assert sorted(received) == expected
    assert set(received.values()) == {1}
    assert Delivery.objects.filter(mailing=mailing, status="sent").count() == SUBSCRIBERS
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE
    assert workers_that_sent() == 2, "both workers took part in the mailing"

    # Every page now lists the post, the same on both web processes.
    after = pages(ports, paths)
    for path, (first, second) in after.items():
        assert b"Several hosts, one story" in first, f"{path} does not show the new post"
        assert first == second, f"{path} differs between the two web processes"


def workers_that_sent():
    """How many RQ workers ran a sender of the mailing, from RQ's own records."""
    import redis
    from rq.job import Job
    from rq.registry import FinishedJobRegistry

    # The queue's own connection, not django_rq's: it reads RQ_QUEUES once per process, and
    # with several test processes an earlier test may have set it to another Redis.
    connection = redis.Redis.from_url(hosts.QUEUE_URL)
    registry = FinishedJobRegistry("default", connection=connection)
    names = set()
    for job_id in registry.get_job_ids():
        job = Job.fetch(job_id, connection=connection)
        if job.func_name == "subscriptions.sending_tasks.send" and job.return_value():
            names.update(result.worker_name for result in job.results())
    return len(names)
