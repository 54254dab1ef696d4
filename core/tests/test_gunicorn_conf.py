"""deploy/gunicorn.conf.py as gunicorn itself reads it: workers from the core count, graceful
shutdown, heartbeat files in memory, no access log (core.requestlog writes one line a request)."""

import os
import subprocess
import sys

from core.tests.hosts import ROOT


def gunicorn_config(**env):
    environment = {**os.environ, **env}
    for name in ("WEB_CONCURRENCY", "BIND", "GRACEFUL_TIMEOUT"):
        if name not in env:
            environment.pop(name, None)
    output = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--print-config"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in output.splitlines())
    }


def test_it_runs_two_workers_per_core_plus_one_with_a_graceful_shutdown():
    config = gunicorn_config()

    assert config["workers"] == str(2 * len(os.sched_getaffinity(0)) + 1)
    assert config["wsgi_app"] == "cancerblog.wsgi"
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["graceful_timeout"] == "30"
    assert config["worker_tmp_dir"] == "/dev/shm"
    assert config["accesslog"] == "None"
    assert config["control_socket_disable"] == "True"


def test_the_environment_overrides_workers_address_and_grace():
    config = gunicorn_config(WEB_CONCURRENCY="3", BIND="0.0.0.0:9000", GRACEFUL_TIMEOUT="90")

    assert config["workers"] == "3"
    assert config["bind"] == "['0.0.0.0:9000']"
    assert config["graceful_timeout"] == "90"
