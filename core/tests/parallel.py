"""Run code side by side against the test database, as gunicorn workers and hosts would: in
threads with a connection each, or in separate Python processes with a cache each.

pytest-django's in-memory SQLite database cannot show this (its threads share one connection
and a table lock fails at once instead of waiting). So on SQLite the committed test data is
copied to a database file opened with the project's settings (WAL, BEGIN IMMEDIATE, busy
timeout), which is how the embedded default runs. On PostgreSQL everyone uses the test
database itself. Tests that use this are transactional (their data must be committed).
"""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from core.tests import hosts

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def shared_database(tmp_path):
    """New connections (other threads, child processes) open the database the test wrote."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield _database_url()
        return
    path = tmp_path / "parallel.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    original = connections.settings["default"]
    connections.settings["default"] = {**original, "NAME": str(path)}
    try:
        yield f"sqlite:///{path}"
    finally:
        connections.settings["default"] = original


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return hosts.database_url()


def in_fresh_thread(query):
    """Run a query in a new thread, so it reads what the others committed."""
    return at_once(lambda n: query(), 1)[0]


def at_once(work, times, workers=16):
    """Call work(n) for n in range(times) from `workers` threads released together; results in
    order. Exceptions are raised here."""
    barrier = threading.Barrier(min(workers, times))

    def run(n):
        try:
            if n < barrier.parties:
                barrier.wait(timeout=30)
            return work(n)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=min(workers, times)) as pool:
        return list(pool.map(run, range(times)))


CHILD = """
import json, os, sys, time
import django
django.setup()
from django.utils.module_loading import import_string
work = import_string(sys.argv[1])
args = json.loads(sys.argv[2])
print("ready", flush=True)
go = sys.argv[3]
while not os.path.exists(go):
    time.sleep(0.01)
print(json.dumps([work(*args) for _ in range(int(sys.argv[4]))]), flush=True)
"""


def in_processes(database_url, path, args, processes, calls, tmp_path, **env):
    """Call the function at dotted `path` with `args`, `calls` times in each of `processes`
    Python processes started with the project's settings, a local-memory cache of their own and
    this database; returns every result. They start working together."""
    go = tmp_path / f"go-{uuid.uuid4().hex}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cancerblog.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url,
        "CACHE_URL": "locmemcache://each-process",
        "TASKS_BACKEND": "immediate",
        **env,
    }
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, path, json.dumps(args), str(go), str(calls)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for child in children:
            line = child.stdout.readline()
            assert line.strip() == "ready", line + child.stderr.read()
        go.touch()
        results = []
        for child in children:
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
            results.extend(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()


@contextmanager
def live_server_threads(settings):
    """Django's threaded live server, each request in a thread with its own connection, as under
    a multi-threaded web server; yields its port and the exceptions its views raised."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.signals import got_request_exception
    from django.test.testcases import LiveServerThread

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override={})
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    errors = []

    def record(sender, request=None, **kwargs):
        errors.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(record, weak=False)
    try:
        yield server.port, errors
    finally:
        got_request_exception.disconnect(record)
        server.terminate()


class Browser:
    """A browser's cookie jar over plain HTTP to the live server."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, fields=None, headers=None):
        import http.client
        import urllib.parse
        from http.cookies import SimpleCookie

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Origin": f"http://127.0.0.1:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        conn.close()
        return response.status, response.getheader("Location") or "", text
