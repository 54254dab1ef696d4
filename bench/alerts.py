"""Benchmark of email alerts: one post published to N confirmed subscribers, sent by real task
workers to a local SMTP sink, against the sink's own ceiling measured in the same run.

Run through `make bench`. It owns the database named in DATABASE_URL (dropped and created
again), which must have "bench" in its name, and with RQ the Redis database in BENCH_RQ_URL
(flushed). Environment knobs: BENCH_ENGINES (task engines measured one after the other, each in
a process of its own: "database" runs `manage.py db_worker`, "rq" runs `manage.py rqworker`;
default "database,rq"), BENCH_SIZES (default "10000,100000"), BENCH_WORKERS (default "2"),
BENCH_RUN_LIMIT (seconds a run may send before it is stopped and projected, default 240; 0 for
no limit), BENCH_RQ_URL (default redis://127.0.0.1:6379/12).
"""

import multiprocessing
import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def _sizes(name, default):
    return [int(x) for x in os.environ.get(name, default).split(",") if x.strip()]


# The sink and the clients run in processes of their own (spawned, so they carry no Django
# state and no share of the measured code's GIL). time.monotonic() is CLOCK_MONOTONIC, one
# clock for every process on the machine, so the sink's timestamps compare with ours.


def _sink_main(conn):
    sys.path.insert(0, str(ROOT))
    import resource

    from subscriptions.tests.smtp_sink import SmtpSink, free_port

    sink = SmtpSink(free_port(), keep_content=False).start()
    conn.send(sink.port)
    while (command := conn.recv()) != "stop":
        if command == "stats":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            recorder = sink.recorder
            conn.send((recorder.count, recorder.last_accepted_at, usage.ru_utime + usage.ru_stime))
    sink.stop()
    conn.send("stopped")


class Sink:
    """An SMTP sink in its own process, asked for its count over a pipe."""

    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_sink_main, args=(child,), daemon=True)
        self.process.start()
        self.port = self.conn.recv()

    def stats(self):
        """(messages accepted, monotonic time of the last one, sink CPU seconds)"""
        self.conn.send("stats")
        return self.conn.recv()

    def wait_for(self, count, timeout, alive=lambda: True):
        """Stats once `count` messages are in, or after `timeout` seconds, whichever is first."""
        deadline = time.monotonic() + timeout
        while True:
            stats = self.stats()
            if stats[0] >= count or time.monotonic() > deadline:
                return stats
            if not alive():
                raise RuntimeError(f"a worker died; the sink got {stats[0]} of {count}")
            time.sleep(0.05)

    def stop(self):
        self.conn.send("stop")
        self.conn.recv()
        self.process.join(5)


def _push_main(port, sender, recipient, raw, count, ready, go):
    client = smtplib.SMTP("127.0.0.1", port)
    client.ehlo()
    ready.set()
    go.wait()
    for _ in range(count):
        client.sendmail(sender, [recipient], raw)
    client.quit()


def sink_ceiling(raw, sender, recipient, count, connections):
    """Messages per second the sink accepts from `connections` tight loops resending `raw`."""
    context = multiprocessing.get_context("spawn")
    sink = Sink()
    go = context.Event()
    clients = []
    for share in _split(count, connections):
        ready = context.Event()
        client = context.Process(
            target=_push_main, args=(sink.port, sender, recipient, raw, share, ready, go)
        )
        client.start()
        ready.wait(30)
        clients.append(client)
    started = time.monotonic()
    go.set()
    accepted, last, _ = sink.wait_for(count, timeout=600)
    if accepted < count:
        raise RuntimeError(f"the sink took {accepted} of {count} messages in 600 s")
    for client in clients:
        client.join(30)
    sink.stop()
    assert accepted == count, (accepted, count)
    return count / (last - started)


def _split(count, parts):
    return [count // parts + (1 if i < count % parts else 0) for i in range(parts)]


# --- the database and the blog -------------------------------------------------------------


def recreate_database(url):
    import psycopg

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if parts.scheme not in ("postgres", "postgresql", "pgsql") or "bench" not in name:
        sys.exit(f"DATABASE_URL must name a PostgreSQL database with 'bench' in it, not {url!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def set_up_blog():
    from django.core.management import call_command
    from wagtail.models import Site

    from blog.models import Contributor, Topic
    from blog.services import ensure_site_tree
    from core.models import SiteSettings

    call_command("migrate", verbosity=0, interactive=False)
    _, blog_index = ensure_site_tree()
    # No alert goes out without the organisation's postal address (EU law).
    SiteSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"postal_address": "Bench Foundation\nRue du Banc 1\n1000 Brussels\nBelgium"},
    )
    contributor = Contributor.objects.create(
        name="Dr Bench Mark", slug="bench-mark", kind="columnist", role="Oncologist"
    )
    topic = Topic.objects.create(name="Screening", slug="screening", description="Screening.")
    return blog_index, contributor, topic


def reset_subscribers(count):
    """Empty the subscription tables and the task queue, then COPY in `count` confirmed
    subscribers who chose no topic (so every alert is theirs)."""
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from subscriptions.models import Delivery, Mailing, Subscriber

    tables = [Delivery, Mailing, Subscriber, Subscriber.topics.through, DBTaskResult]
    names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
    now = timezone.now()
    template = Subscriber(status=Subscriber.Status.CONFIRMED, created_at=now, confirmed_at=now)
    fields = [f for f in Subscriber._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = [getattr(template, f.attname) for f in fields]
    email_at = [f.name for f in fields].index("email")
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        table = connection.ops.quote_name(Subscriber._meta.db_table)
        with cursor.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for n in range(count):
                row[email_at] = f"reader{n:07d}@example.org"
                copy.write_row(row)
        cursor.execute(f"ANALYZE {table}")


# --- one measured run ------------------------------------------------------------------------


def _proc(pid, name):
    """A field of /proc/<pid>/status in kB, or the CPU seconds from /proc/<pid>/stat (with
    "cpu", the process's own; with "cpu+children", also that of the children it has reaped:
    an RQ worker runs each job in a child of its own)."""
    if name in ("cpu", "cpu+children"):
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        ticks = int(fields[11]) + int(fields[12])
        if name == "cpu+children":
            ticks += int(fields[13]) + int(fields[14])
        return ticks / TICKS
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def _engine():
    return os.environ.get("TASKS_BACKEND", "database")


def _worker_command():
    if _engine() == "rq":
        # As README's task hosts run it: each job in a forked child, the scheduler for retries.
        return ["rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
    return ["db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1"]


def start_workers(count, port, logs):
    env = {
        **os.environ,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "ALERT_SENDERS": str(count),
    }
    workers = []
    for n in range(count):
        with open(logs / f"worker{n}.log", "w") as log:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", *_worker_command()],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its job's child goes with it when it is killed
            )
        workers.append(worker)
    return workers


def _children(pid):
    try:
        path = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(child) for child in path.read_text().split()]
    except FileNotFoundError:
        return []


class PeakMemory:
    """The highest VmHWM seen among the workers and the children they run jobs in (RQ's work
    horses live for one job: they are looked at while the run waits for the sink)."""

    def __init__(self, workers):
        self.workers = workers
        self.peak_kb = 0

    def look(self):
        for worker in self.workers:
            for pid in (worker.pid, *_children(worker.pid)):
                try:
                    self.peak_kb = max(self.peak_kb, _proc(pid, "VmHWM"))
                except (FileNotFoundError, ProcessLookupError):
                    pass
        return all(worker.poll() is None for worker in self.workers)


def stop_workers(workers, force=False):
    """A worker stops after its task; `force` stops it mid-task, as a crash would."""
    for worker in workers:
        if worker.poll() is None:
            if force:
                os.killpg(worker.pid, signal.SIGKILL)  # the worker and its job's child
            else:
                worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _wait_until_idle(workers, timeout=60):
    """Workers have loaded Django once their RSS stops growing between two looks."""
    deadline = time.monotonic() + timeout
    before = None
    while time.monotonic() < deadline:
        now = [_proc(w.pid, "VmRSS") for w in workers]
        if before == now and all(now):
            return
        before = now
        time.sleep(0.5)


def measure(blog_index, contributor, topic, count, worker_count, logs, limit):
    """Publish one post to `count` subscribers and time it. A run still sending after `limit`
    seconds is stopped there and its time to the last subscriber projected."""
    from django.utils import timezone

    from blog.services import add_post
    from subscriptions.models import Mailing

    reset_subscribers(count)
    sink = Sink()
    workers = start_workers(worker_count, sink.port, logs)
    complete = False
    try:
        _wait_until_idle(workers)
        cpu_before = [_proc(w.pid, "cpu+children") for w in workers]
        idle = {w.pid: set(_children(w.pid)) for w in workers}  # RQ's scheduler lives on
        memory = PeakMemory(workers)
        _, _, sink_cpu_before = sink.stats()
        wall_started = timezone.now()
        started = time.monotonic()
        post = add_post(
            blog_index,
            title=f"Bench alert to {count} with {worker_count} workers",
            standfirst="What a benchmark post is about.",
            contributors=[contributor],
            topics=[topic],
            at=None,
        )
        accepted, last, sink_cpu = sink.wait_for(count, limit, alive=memory.look)
        complete = accepted >= count
        mailing = Mailing.objects.get(post=post)
        deadline = time.monotonic() + 60
        while complete and mailing.status != Mailing.Status.DONE and time.monotonic() < deadline:
            time.sleep(0.1)
            mailing.refresh_from_db()
        memory.look()
        # A job's child counts in its worker's CPU once reaped: wait for the last to end.
        settled = time.monotonic() + 30
        while time.monotonic() < settled and any(
            set(_children(w.pid)) - idle[w.pid] for w in workers
        ):
            time.sleep(0.05)
        cpu = [_proc(w.pid, "cpu+children") - b for w, b in zip(workers, cpu_before, strict=True)]
    finally:
        stop_workers(workers, force=not complete)
        time.sleep(0.5)  # anything sent twice would arrive by now
        final = sink.stats()[0]
        sink.stop()
    load = os.getloadavg()[0]
    return _verified(
        mailing,
        count,
        final,
        complete,
        wall_started,
        workers=worker_count,
        seconds=last - started,
        rss=memory.peak_kb / 1024,
        worker_cpu=sum(cpu),
        sink_cpu=sink_cpu - sink_cpu_before,
        load=load,
    )


def _verified(mailing, count, accepted, complete, wall_started, **result):
    """Check the ledger against the sink: every row sent exactly once (a stopped run may hold
    claimed rows whose message the sink already has), then add the timings it records."""
    from django.db.models import Count, Max, Min

    from subscriptions.models import Delivery, Mailing

    rows = Delivery.objects.filter(mailing=mailing)
    statuses = dict(rows.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    sent = statuses.get(Delivery.Status.SENT, 0)
    claimed = statuses.get(Delivery.Status.SENDING, 0)
    problems = []
    if sum(statuses.values()) != count:
        problems.append(f"{sum(statuses.values())} ledger rows")
    if complete and (mailing.status != Mailing.Status.DONE or sent != count or accepted != count):
        problems.append(f"mailing {mailing.status}, ledger {statuses}, sink got {accepted}")
    if not complete and not (sent <= accepted <= sent + claimed):
        problems.append(f"ledger {statuses}, sink got {accepted}")
    if problems:
        raise RuntimeError(f"{count} subscribers: " + "; ".join(problems))

    times = rows.filter(status=Delivery.Status.SENT).aggregate(
        first=Min("sent_at"), last=Max("sent_at")
    )
    first = (times["first"] - wall_started).total_seconds()
    sending = (times["last"] - times["first"]).total_seconds()
    if not complete:  # the ledger is written; project the rest at the rate measured
        result["seconds"] = first + sending * count / max(sent - 1, 1)
    return {
        **result,
        "count": count,
        "done": accepted,
        "complete": complete,
        "rate": count / result["seconds"],
        "ledger": (mailing.recipients_at - wall_started).total_seconds(),
        "first": first,
        "sending": sending,
        "mailing": mailing,
    }


def rendered_alert(mailing):
    """The raw bytes the engine hands to SMTP for one delivery of the mailing."""
    import email.policy

    from subscriptions.compose import composer_for
    from subscriptions.models import Delivery

    delivery = Delivery.objects.filter(mailing=mailing).select_related("subscriber").first()
    message = composer_for(mailing).message(delivery, delivery.subscriber)
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    return raw, message.from_email, delivery.subscriber.email


# --- the report ------------------------------------------------------------------------------


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cancerblog.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL (make bench does).")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    engines = [e.strip() for e in os.environ.get("BENCH_ENGINES", "database,rq").split(",")]
    engines = [engine for engine in engines if engine]
    if unknown := set(engines) - {"database", "rq"}:
        sys.exit(f"BENCH_ENGINES: unknown engine(s) {', '.join(sorted(unknown))}")
    if len(engines) > 1:
        # Settings are read once per process: each engine is measured in a process of its own.
        for engine in engines:
            env = {**os.environ, "BENCH_ENGINES": engine}
            subprocess.run([sys.executable, __file__], env=env, check=True)
        return
    os.environ["TASKS_BACKEND"] = engines[0]
    if engines[0] == "rq":
        import redis

        os.environ["REDIS_URL"] = os.environ.get("BENCH_RQ_URL", "redis://127.0.0.1:6379/12")
        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    sizes = _sizes("BENCH_SIZES", "10000,100000")
    worker_counts = _sizes("BENCH_WORKERS", "2")
    limit = float(os.environ.get("BENCH_RUN_LIMIT", "240")) or float("inf")
    begun = time.monotonic()

    recreate_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    blog_index, contributor, topic = set_up_blog()

    runs, ceilings = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-alerts-") as logs:
        for count in sizes:
            for worker_count in worker_counts:
                print(f"… {count:,} subscribers, {worker_count} worker(s)", flush=True)
                try:
                    runs.append(
                        measure(
                            blog_index, contributor, topic, count, worker_count, Path(logs), limit
                        )
                    )
                except Exception:
                    for log in sorted(Path(logs).glob("worker*.log")):
                        print(f"--- {log.name}\n{log.read_text()[-3000:]}", file=sys.stderr)
                    raise
            raw, sender, recipient = rendered_alert(runs[-1]["mailing"])
            # As many messages as the engine got through (all of them unless it was stopped).
            pushed = max(r["done"] for r in runs if r["count"] == count)
            for connections in sorted({1, *worker_counts}):
                print(f"… sink ceiling, {pushed:,} messages, {connections} conn.", flush=True)
                ceilings[count, connections] = (
                    pushed,
                    sink_ceiling(raw, sender, recipient, pushed, connections),
                )

    report(runs, ceilings, len(raw), limit, time.monotonic() - begun)


def report(runs, ceilings, size, limit, total):
    print()
    engine = {"database": "db_worker (database queue)", "rq": "rqworker (RQ on Redis)"}[_engine()]
    print(
        f"Email alerts with {engine}: publish -> last message accepted by a local aiosmtpd sink"
        f" ({size:,} B)"
    )
    head = (
        f"{'subscribers':>11} {'workers':>7} {'alerts/s':>9} {'s publish->last':>15} "
        f"{'worker peak RSS MB':>18} {'sink ceiling msg/s':>18} {'ratio':>6}"
    )
    print(head)
    print("-" * len(head))
    for run in runs:
        ceiling = ceilings[run["count"], run["workers"]][1]
        mark = " " if run["complete"] else "~"
        print(
            f"{run['count']:>11,} {run['workers']:>7} {mark}{run['rate']:>8,.0f} "
            f"{mark}{run['seconds']:>14.1f} {run['rss']:>18.0f} {ceiling:>18,.0f} "
            f"{run['rate'] / ceiling:>6.2f}"
        )
    if not all(run["complete"] for run in runs):
        print(
            f"~ stopped after {limit:.0f} s (BENCH_RUN_LIMIT); projected from the rows it sent,"
            " at the rate it sent them."
        )
    print(
        "Ceiling: the same number of pre-rendered copies of one alert, pushed by tight smtplib\n"
        "loops, one connection per worker; ratio = alerts/s / ceiling (aim: at least 0.5)."
    )
    for (_, connections), (pushed, rate) in sorted(ceilings.items()):
        print(f"  {pushed:>7,} messages over {connections} connection(s): {rate:>6,.0f} msg/s")
    print()
    print("Where the time goes: seconds from publish, CPU seconds, 1-minute load average")
    print(
        f"{'subscribers':>11} {'workers':>7} {'sent':>7} {'ledger ready':>12} {'first sent':>10} "
        f"{'sending':>8} {'worker CPU':>10} {'sink CPU':>8} {'load':>5}"
    )
    for run in runs:
        print(
            f"{run['count']:>11,} {run['workers']:>7} {run['done']:>7,} {run['ledger']:>12.2f} "
            f"{run['first']:>10.2f} {run['sending']:>8.1f} {run['worker_cpu']:>10.1f} "
            f"{run['sink_cpu']:>8.1f} {run['load']:>5.1f}"
        )
    print()
    by = {(r["count"], r["workers"]): r for r in runs}
    sizes = sorted({r["count"] for r in runs})
    for workers in sorted({r["workers"] for r in runs}):
        small, large = by.get((sizes[0], workers)), by.get((sizes[-1], workers))
        if small and large and small is not large:
            print(
                f"Growth {small['count']:,} -> {large['count']:,} subscribers, {workers} worker(s):"
                f" time x{large['seconds'] / small['seconds']:.1f}"
                f" for x{large['count'] / small['count']:.0f} subscribers"
            )
    print(
        f"Verified: ledger rows = subscribers, each sent exactly once. Took {total:.0f} s; "
        f"on {os.cpu_count()} CPUs."
    )


if __name__ == "__main__":
    main()
