"""Start the processes of a several-host deployment on this machine, as an operator would:
gunicorn with deploy/gunicorn.conf.py, RQ workers with `manage.py rqworker`, all with
production settings (DEBUG off) against the test database, Redis and an SMTP sink."""

import contextlib
import fcntl
import importlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psycopg
import redis
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379"
# Redis databases of their own, emptied before each test: the page cache and the task queue.
CACHE_URL = f"{REDIS}/11"
QUEUE_URL = f"{REDIS}/12"


@contextlib.contextmanager
def one_at_a_time():
    """The tests that start hosts share the Redis databases above: when the suite runs in
    several processes (pytest-xdist), they take turns, through a lock file."""
    with open(Path(tempfile.gettempdir()) / "cancerblog-test-hosts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def empty_redis():
    for url in (CACHE_URL, QUEUE_URL):
        redis.Redis.from_url(url).flushdb()


def database_url(name=None):
    """The test database's PostgreSQL URL, or that of database `name` on the same server."""
    db = connection.settings_dict
    user = quote(db["USER"] or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{user}{password}@{host}/{name or db['NAME']}"


def _server():
    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    )


@contextlib.contextmanager
def fresh_database(suffix):
    """A new, empty PostgreSQL database named after the test database (so each test process
    has its own); yields its URL and drops it afterwards."""
    name = f"{connection.settings_dict['NAME']}_{suffix}"
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        with _server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def use_the_same_services(settings):
    """This test process enqueues to the same RQ queue and sees the same cache as the hosts.

    `@task` makes its Task with the class of the backend configured when the module is
    imported (the django_tasks backport's for RQ), so our task modules are imported first:
    later tests, on other backends, must not inherit RQ's Task class."""
    for app in apps.get_app_configs():
        if Path(app.path).is_relative_to(ROOT):
            for module in sorted(Path(app.path).glob("*tasks.py")):
                importlib.import_module(f"{app.name}.{module.stem}")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": QUEUE_URL, "DEFAULT_TIMEOUT": 3600}}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }


def host_environment(smtp_port, static_root, **extra):
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": django_settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BASE_URL": "http://blog.example.org",
        "DATABASE_URL": database_url(),
        "CACHE_URL": CACHE_URL,
        "REDIS_URL": QUEUE_URL,
        "TASKS_BACKEND": "rq",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "ALERT_SENDERS": "2",
        "STATIC_ROOT": str(static_root),
        "LOG_FORMAT": "json",
        **extra,
    }


def collectstatic(static_root):
    """DEBUG off serves hashed static names from a manifest: make it once."""
    if (Path(static_root) / "staticfiles.json").exists():
        return
    env = {**os.environ, "SECRET_KEY": django_settings.SECRET_KEY, "DEBUG": "0"}
    env["STATIC_ROOT"] = str(static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def _log(path):
    return open(path, "ab")  # noqa: SIM115 - handed to the child, closed when it ends


def start_web(port, env, log_path, workers=2):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=_log(log_path),
        stderr=subprocess.STDOUT,
    )


def start_rq_worker(name, env, log_path):
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "rqworker",
            "default",
            "--job-class",
            "django_tasks_rq.Job",
            "--with-scheduler",
            "--name",
            name,
        ],
        cwd=ROOT,
        env=env,
        stdout=_log(log_path),
        stderr=subprocess.STDOUT,
    )


def get(port, path, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def wait_until_serving(port, process, timeout=60):
    def up():
        if process.poll() is not None:
            raise RuntimeError(f"the web process on port {port} exited")
        try:
            return get(port, "/healthz")[0] == 200
        except OSError:
            return False

    return wait_for(up, timeout)


def stop(*processes, timeout=30):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
