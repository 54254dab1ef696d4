"""TASKS_BACKEND=rq configures django-tasks-rq and django-rq from REDIS_URL, with a job timeout
long enough for a mailing, and passes Django's checks (which include the backend's own)."""

import json
import os
import subprocess
import sys

from core.tests.hosts import ROOT

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'tasks': s.TASKS, 'queues': s.RQ_QUEUES, "
    "'apps': [a for a in s.INSTALLED_APPS if 'rq' in a]}))"
)


def run(args, **env):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cancerblog.settings",
        "SECRET_KEY": "test-only-not-secret",
        "TASKS_BACKEND": "rq",
        "REDIS_URL": "redis://redis.internal:6380/3",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_rq_backend_reads_redis_url_and_a_long_job_timeout():
    shown = json.loads(run(["-c", SHOW], RQ_JOB_TIMEOUT="7200").stdout)

    assert shown["tasks"] == {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    assert shown["queues"] == {
        "default": {"URL": "redis://redis.internal:6380/3", "DEFAULT_TIMEOUT": 7200}
    }
    assert shown["apps"] == ["django_rq", "django_tasks_rq"]


def test_rq_backend_passes_djangos_checks_and_offers_the_worker_command():
    check = run(["manage.py", "check", "--fail-level", "WARNING"])
    assert check.returncode == 0, check.stderr

    worker_help = run(["manage.py", "rqworker", "--help"])
    assert worker_help.returncode == 0
    assert "--job-class" in worker_help.stdout
