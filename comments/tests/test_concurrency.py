"""Many comments posted at once over real HTTP are all stored: no lock errors, nothing lost.

The server is Django's threaded live server, each request in its own thread with its own
database connection, as under a real multi-threaded server. pytest-django's in-memory SQLite
test database cannot show this: the live server shares one connection between all its threads.
So on SQLite the committed test data is copied to a database file opened with the project's
settings (WAL, BEGIN IMMEDIATE, busy timeout), which is how the embedded default runs. On
PostgreSQL the server threads use the test database itself.
"""

import http.client
import json
import sqlite3
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.cookies import SimpleCookie

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core import mail
from django.core.signals import got_request_exception
from django.db import connection, connections
from django.test.testcases import LiveServerThread

from comments.tests.commenting import rules

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_the_migrated_data_behind"),
]

WORKERS = 16


@contextmanager
def server_database(tmp_path):
    """Point new connections at a file copy of the in-memory SQLite test database."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    original = connections.settings["default"]
    connections.settings["default"] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings["default"] = original


def in_server_database(query):
    """Run an ORM query in a fresh thread, so it reads what the server threads wrote."""
    result = {}

    def run():
        try:
            result["value"] = query()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


@contextmanager
def live_server_threads(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override={})
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    errors = []

    def record(sender, request=None, **kwargs):
        import sys

        errors.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(record, weak=False)
    try:
        yield server.port, errors
    finally:
        got_request_exception.disconnect(record)
        server.terminate()


def post_comment(port, post_id, n, email):
    """What a browser does: fetch a token for the cached page, then post the form."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/comments/token/")
    response = conn.getresponse()
    token = json.loads(response.read())
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    conn.close()

    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token["csrf"],
            "started": token["started"],
            "name": f"Reader {n}",
            "email": email,
            "body": f"Comment number {n}: thank you for writing about this.",
            "website": "",
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        f"/comments/post/{post_id}/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            "Origin": f"http://127.0.0.1:{port}",
        },
    )
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    conn.close()
    return (
        response.status,
        response.getheader("Location") or "",
        text,
        time.perf_counter() - started,
    )


def post_all_at_once(port, post_id, emails):
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [
            pool.submit(post_comment, port, post_id, n, email) for n, email in enumerate(emails)
        ]
        return [future.result() for future in futures]


def test_200_comments_posted_at_once_are_all_stored(make_post, settings, tmp_path):
    from comments.models import Comment, Commenter

    post = make_post()
    rules(min_seconds_to_submit=0, max_per_hour_per_ip=10_000, max_per_hour_per_email=10_000)
    emails = [f"reader{n}@example.org" for n in range(200)]

    with server_database(tmp_path), live_server_threads(settings) as (port, errors):
        started = time.perf_counter()
        results = post_all_at_once(port, post.pk, emails)
        elapsed = time.perf_counter() - started
        stored = in_server_database(
            lambda: (
                Comment.objects.filter(post=post).count(),
                Commenter.objects.count(),
                set(Comment.objects.values_list("status", flat=True)),
                set(Comment.objects.values_list("commenter__email", flat=True)),
            )
        )

    statuses = [status for status, *_ in results]
    failures = [(status, text[:300]) for status, location, text, _ in results if status != 302]
    assert not failures, failures[:3]
    assert not errors, errors[:3]
    assert all("/comments/status/" in location for _, location, _, _ in results)
    assert not any("database is locked" in text for *_, text, _ in results)
    count, commenters, status_set, stored_emails = stored
    assert count == 200 and commenters == 200
    assert status_set == {Comment.Status.UNCONFIRMED}
    assert stored_emails == set(emails)
    confirmations = [m for m in mail.outbox if "Confirm" in m.subject]
    assert sorted(m.to[0] for m in confirmations) == sorted(emails), "one email each"
    slowest = max(seconds for *_, seconds in results)
    print(
        f"\n{connection.vendor}: {statuses.count(302)}/200 stored in {elapsed:.1f}s "
        f"with {WORKERS} threads (slowest request pair {slowest:.2f}s), "
        f"{len(confirmations)} confirmation emails, {len(errors)} server errors"
    )


def test_one_new_commenter_posting_from_several_tabs_at_once_is_one_commenter(
    make_post, settings, tmp_path
):
    from comments.models import Comment, Commenter

    post = make_post()
    rules(min_seconds_to_submit=0, max_per_hour_per_ip=10_000, max_per_hour_per_email=10_000)

    with server_database(tmp_path), live_server_threads(settings) as (port, errors):
        results = post_all_at_once(port, post.pk, ["same@example.org"] * 32)
        stored = in_server_database(
            lambda: (Comment.objects.filter(post=post).count(), Commenter.objects.count())
        )

    assert [status for status, *_ in results] == [302] * 32, [r[2][:300] for r in results]
    assert not errors, errors[:3]
    assert stored == (32, 1)
