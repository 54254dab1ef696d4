"""One JSON line per request: what was asked, how it went, how long it took, and nothing that
names a reader (no query string, no secret token, the address only as a keyed hash)."""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.privacy import hash_ip
from core.requestlog import scrub_path
from subscriptions import services
from subscriptions.models import Subscriber

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def lines(db):
    """The request log as the production formatter writes it, one parsed line per item."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    configurator = logging.config.DictConfigurator(django_settings.LOGGING)
    handler.setFormatter(
        configurator.configure_formatter(dict(django_settings.LOGGING["formatters"]["json"]))
    )
    logger = logging.getLogger("cancerblog.request")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)

    def read():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    read.raw = stream.getvalue
    yield read
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_it_logs_one_line_per_request_with_its_fields(client, lines):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")

    [line] = lines()
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["bytes"] == len(response.content)
    assert line["db_queries"] == len(queries) > 0
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["remote"] == hash_ip("127.0.0.1", "log")[:16]
    assert line["level"] == "INFO" and line["logger"] == "cancerblog.request"
    assert line["time"].startswith("20")
    assert line["message"].startswith("GET /healthz 200 ")

    client.get("/robots.txt")
    client.get("/no-such-page/")
    assert [(line["path"], line["status"]) for line in lines()] == [
        ("/healthz", 200),
        ("/robots.txt", 200),
        ("/no-such-page/", 404),
    ]


def test_each_request_gets_its_own_id(client, lines):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert first != second
    assert [line["request_id"] for line in lines()] == [first, second]


def test_it_keeps_the_load_balancers_request_id_when_it_looks_like_one(client, lines):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-5f2c9a10.abc"})

    assert response["X-Request-ID"] == "lb-5f2c9a10.abc"
    assert lines()[0]["request_id"] == "lb-5f2c9a10.abc"


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "x" * 65, "short", "a b c d e f"])
def test_it_replaces_a_hostile_request_id(client, lines, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})

    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32
    assert hostile not in lines.raw()


def test_it_never_logs_the_address_or_the_query_string(client, lines):
    client.get("/search/?q=my+breast+cancer+relapse", REMOTE_ADDR="203.0.113.7")

    [line] = lines()
    assert line["path"] == "/search/"
    assert "relapse" not in lines.raw()
    assert "203.0.113.7" not in lines.raw()
    assert line["remote"] == hash_ip("203.0.113.7", "log")[:16]


def test_it_hides_a_subscribers_preferences_token(client, lines):
    subscriber = Subscriber.objects.create(
        email="reader@example.org", status=Subscriber.Status.CONFIRMED
    )
    token = services.make_token("manage", subscriber)

    response = client.get(f"/subscribe/manage/{token}/")

    assert response.status_code == 200
    assert token not in lines.raw()
    assert lines()[0]["path"] == "/subscribe/manage/:token/"


@pytest.mark.parametrize(
    "path, logged",
    [
        ("/submissions/abc/", "/submissions/:token/"),  # any value of a token argument
        ("/submissions/abc/withdraw/", "/submissions/:token/withdraw/"),
        ("/comments/confirm/short/", "/comments/confirm/:token/"),
        # not a URL of ours, but a signed value all the same
        ("/subscribe/manage/WzEsImFiIl0:1vXyZ:abcDEF123/extra/", "/subscribe/manage/:token/extra/"),
        ("/old/0123456789abcdef0123456789abcdef/", "/old/:token/"),
    ],
)
def test_it_hides_tokens_in_paths_even_when_the_link_is_bad(client, lines, path, logged):
    client.get(path)

    assert lines()[0]["path"] == logged


def test_it_keeps_slugs_and_neutralises_control_characters():
    assert scrub_path("/blog/immunotherapy-in-2026-what-changed-for-patients/") == (
        "/blog/immunotherapy-in-2026-what-changed-for-patients/"
    )
    assert scrub_path("/topics/breast-cancer/feed/atom/") == "/topics/breast-cancer/feed/atom/"
    assert scrub_path("/x\n2026-01-01 INFO forged line") == "/x?2026-01-01 INFO forged line"


def test_a_forged_line_in_the_path_stays_inside_one_json_line(client, lines):
    client.get("/a%0A%7B%22status%22%2C200%7D%0D/")

    assert len(lines.raw().splitlines()) == 1
    assert lines()[0]["path"] == '/a?{"status",200}?/'


def _logging_with(**env):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.LOGGING['handlers']['console']['formatter']))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cancerblog.settings",
        "SECRET_KEY": "test-only-not-secret",
        **env,
    }
    if "LOG_FORMAT" not in env:
        environment.pop("LOG_FORMAT", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    return result


def test_logs_are_json_in_production_and_text_when_debugging_unless_chosen():
    assert _logging_with(DEBUG="0").stdout.strip() == '"json"'
    assert _logging_with(DEBUG="1").stdout.strip() == '"text"'
    assert _logging_with(DEBUG="0", LOG_FORMAT="text").stdout.strip() == '"text"'
    refused = _logging_with(DEBUG="0", LOG_FORMAT="xml")
    assert refused.returncode != 0
    assert "LOG_FORMAT must be json or text" in refused.stderr


def test_the_request_lines_short_way_writes_what_the_library_would(client, lines):
    """core.requestlog.JsonLines builds the request line's object itself: byte for byte what
    python-json-logger writes for the same record the long way."""
    from pythonjsonlogger.json import JsonFormatter

    from core.requestlog import JsonLines

    captured = []

    class Keep(logging.Handler):
        def emit(self, record):
            captured.append(record)

    keep = Keep()
    logger = logging.getLogger("cancerblog.request")
    logger.addHandler(keep)
    try:
        client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789")
        client.get("/topics/été/?q=secret")
    finally:
        logger.removeHandler(keep)
    options = dict(django_settings.LOGGING["formatters"]["json"])
    assert options.pop("()") == "core.requestlog.JsonLines"
    short, library = JsonLines(**options), JsonFormatter(**options)
    assert len(captured) == 2
    for record in captured:
        assert short.format(record) == library.format(record)
    assert [line["request_id"] for line in lines()][0] == "lb-0123456789"
    # Any other record takes the library's way.
    other = logging.LogRecord("x", logging.WARNING, __file__, 1, "hello %s", ("you",), None)
    other.custom = "field"
    assert short.format(other) == library.format(other)


def test_an_odd_method_is_logged_as_a_question_mark(client, lines):
    client.generic("GET /a?q=secret", "/healthz")
    client.generic("PROPFIND", "/healthz")

    assert [line["method"] for line in lines()] == ["?", "PROPFIND"]
    assert "secret" not in lines.raw()
