"""deploy/gunicorn.conf.py as gunicorn itself reads it: workers from the core count, graceful
shutdown, heartbeat files in memory, no access log (core.requestlog writes one line a request),
and an error log that keeps secret links and search terms out."""

import os
import signal
import socket
import subprocess
import sys
import time

from bench.web import free_port
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


def exploding_app(environ, start_response):
    """An application that fails outside Django, naming the whole URL it was given."""
    raise RuntimeError(f"lost {environ['PATH_INFO']}?{environ['QUERY_STRING']}")


def test_its_error_log_prints_no_query_string_and_no_token(tmp_path):
    token = "WzEsImFiIl0:1vXyZ:abcDEF123"
    port = free_port()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("WEB_CONCURRENCY", "BIND", "LOG_LEVEL"):
        environment.pop(name, None)
    with open(tmp_path / "gunicorn.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
            + ["core.tests.test_gunicorn_conf:exploding_app"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        answers = [
            send(port, f"GET /subscribe/manage/{token}/?q=my breast cancer relapse HTTP/1.1"),
            send(port, f"GET /submissions/{token}/?q=my-breast-cancer-relapse HTTP/1.1"),
            send(port, "GET /search/?q=\x01relapse HTTP/1.1"),
        ]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    output = (tmp_path / "gunicorn.log").read_text()

    assert [answer.split()[1] for answer in answers] == ["400", "500", "400"]
    assert "Invalid request from ip=127.0.0.1" in output
    assert "Error handling request GET /submissions/:token/" in output
    assert "RuntimeError: lost /submissions/:token/" in output
    assert f"Listening at: http://127.0.0.1:{port}" in output
    assert "relapse" not in output and "breast" not in output
    assert token not in output and "abcDEF123" not in output


def send(port, request_line):
    """One raw request (gunicorn refuses what an HTTP client library would not send)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            break
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    with connection:
        connection.sendall(request_line.encode("latin-1") + b"\r\nHost: blog\r\n\r\n")
        return connection.recv(4096).decode("latin-1")


def test_it_builds_no_access_line_that_nothing_would_write():
    """gunicorn counts its access log as on whenever logconfig_dict is set, and would build
    every request's line (URL and query string included) for a logger without a handler."""
    import runpy

    settings = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    # Not set up: gunicorn's Logger.setup() would apply logconfig_dict to this test process.
    logger = settings["NoAccessLog"].__new__(settings["NoAccessLog"])

    assert "NoAccessLog" in gunicorn_config()["logger_class"]
    assert not logger.access_log_enabled
    # Nothing is read from the request: with the access log on, this raises AttributeError.
    assert logger.access(None, None, None, None) is None
