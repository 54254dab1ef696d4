"""deploy/nginx/cancerblog.conf, rendered the way bench/web.py renders it, in front of a small
upstream that counts the requests reaching it: what nginx caches, what it never caches, and what
it passes on. Needs Debian's nginx (`make bench` installs it); skipped where it is missing."""

import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from bench.web import Nginx

pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")

RESPONSES = {
    "/page/": [("Cache-Control", "public, max-age=60, s-maxage=60")],
    "/private/": [("Cache-Control", "private, max-age=60")],
    "/no-store/": [("Cache-Control", "no-store")],
    "/cookie/": [("Cache-Control", "public, s-maxage=60"), ("Set-Cookie", "csrftoken=x; Path=/")],
    "/no-lifetime/": [],
}


class Upstream:
    """A WSGI server that answers every path with its own headers and logs what it got."""

    def __init__(self):
        self.seen = []

        def app(environ, start_response):
            self.seen.append(
                (
                    environ["REQUEST_METHOD"],
                    environ["PATH_INFO"],
                    environ.get("HTTP_X_FORWARDED_PROTO"),
                )
            )
            headers = [("Content-Type", "text/html; charset=utf-8")]
            start_response("200 OK", headers + RESPONSES.get(environ["PATH_INFO"], []))
            return [b"<!doctype html><p>" + b"A page for readers. " * 100 + b"</p>"]

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        self.server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hits(self, path):
        return sum(1 for _, seen_path, _ in self.seen if seen_path == path)


@pytest.fixture(scope="module")
def front():
    upstream = Upstream()
    work = Path(tempfile.mkdtemp(prefix="test-front-cache-"))
    work.chmod(0o755)  # nginx runs as nobody when the tests run as root
    (work / "static" / "css").mkdir(parents=True)
    (work / "static" / "css" / "site.abc123.css").write_text("body { color: #222; }\n" * 100)
    (work / "media").mkdir()
    (work / "secret.txt").write_text("not for readers")
    nginx = Nginx(work, upstream.port, work / "static", work / "media", b"<p>static</p>")
    upstream.logs = nginx.logs
    yield upstream, f"http://127.0.0.1:{nginx.front_port}"
    nginx.stop()
    upstream.server.shutdown()
    shutil.rmtree(work, ignore_errors=True)


def get(url, method="GET", **headers):
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def test_a_public_page_is_cached_for_its_s_maxage(front):
    upstream, base = front
    statuses = [get(base + "/page/")[1]["X-Cache-Status"] for _ in range(3)]
    assert statuses == ["MISS", "HIT", "HIT"]
    assert upstream.hits("/page/") == 1


@pytest.mark.parametrize("cookie", ["sessionid=abc", "a=1; csrftoken=xyz", "csrftoken=xyz;b=2"])
def test_a_reader_with_a_session_or_csrf_cookie_always_reaches_django(front, cookie):
    upstream, base = front
    get(base + "/page/")
    before = upstream.hits("/page/")
    status, headers, _ = get(base + "/page/", Cookie=cookie)
    assert status == 200 and headers["X-Cache-Status"] == "BYPASS"
    assert upstream.hits("/page/") == before + 1


def test_another_cookie_does_not_bypass_the_cache(front):
    upstream, base = front
    get(base + "/page/")
    assert get(base + "/page/", Cookie="notsessionid=1")[1]["X-Cache-Status"] == "HIT"


@pytest.mark.parametrize("path", ["/private/", "/no-store/", "/cookie/", "/no-lifetime/"])
def test_private_cookie_setting_and_lifetime_less_responses_are_never_stored(front, path):
    upstream, base = front
    for _ in range(3):
        assert get(base + path)[0] == 200
    assert upstream.hits(path) == 3


def test_posts_are_never_answered_from_the_cache(front):
    upstream, base = front
    get(base + "/page/")
    before = upstream.hits("/page/")
    request = urllib.request.Request(base + "/page/", data=b"x=1", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass
    assert upstream.hits("/page/") == before + 1


def test_nginx_overwrites_a_forged_x_forwarded_proto(front):
    upstream, base = front
    get(base + "/forged/", **{"X-Forwarded-Proto": "https"})
    assert [proto for _, path, proto in upstream.seen if path == "/forged/"] == ["http"]


def test_pages_are_gzipped_for_browsers_that_accept_it(front):
    _, base = front
    _, headers, body = get(base + "/page/", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and body[:2] == b"\x1f\x8b"


def test_static_files_come_from_disk_with_a_long_lifetime(front):
    upstream, base = front
    status, headers, body = get(base + "/static/css/site.abc123.css")
    assert status == 200 and body.startswith(b"body")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert not any(path.startswith("/static/") for _, path, _ in upstream.seen)


@pytest.mark.parametrize(
    "path", ["/static/../secret.txt", "/static/..%2fsecret.txt", "/media/../secret.txt"]
)
def test_no_path_leaves_the_static_and_media_directories(front, path):
    _, base = front
    status, _, body = get(base + path)
    assert b"not for readers" not in body


def access_log_lines(logs, count):
    """The access log once it has `count` lines (nginx writes a line after the response)."""
    deadline = time.monotonic() + 10
    while True:
        lines = (logs / "access.log").read_text().splitlines()
        if len(lines) >= count or time.monotonic() > deadline:
            return lines


@pytest.mark.parametrize(
    "path, logged",
    [
        ("/search/?q=my+breast+cancer+relapse", "/search/"),
        ("/search/?q=relapse%20after%20surgery&topic=x", "/search/"),
        ("/subscribe/manage/WzEsImFiIl0:1vXyZ:abcDEF123/", "/subscribe/manage/:token/"),
        ("/subscribe/manage/WzEsImFiIl0:1vXyZ:abcDEF123/erase/", "/subscribe/manage/:token/erase/"),
        ("/submissions/WzEsImFiIl0:1vXyZ:abc/?q=relapse", "/submissions/:token/"),
        (
            "/comments/12/edit/.eJxTSs7PKklNLlGyUkpMzs_NzU_NKUhNzFOqBQBv:1vXy:abc/",
            "/comments/12/edit/:token/",
        ),
        ("/old/0123456789abcdef0123456789abcdef/", "/old/:token/"),
        ("/a/WzEsImFiIl0:1vX:x/b/WzIsImFiIl0:1vX:y/", "/a/:token/b/:token/"),
        (
            "/admin/password_reset/confirm/MQ/cbx9yz-0a1b2c3d4e5f6a7b8c9d/",
            "/admin/password_reset/confirm/MQ/:token/",
        ),
        ("/blog/immunotherapy-in-2026-what-changed/", "/blog/immunotherapy-in-2026-what-changed/"),
    ],
)
def test_the_access_log_has_no_query_string_and_no_token(front, path, logged):
    upstream, base = front
    before = len(access_log_lines(upstream.logs, 0))
    get(base + path, Referer=base + "/search/?q=relapse")

    line = access_log_lines(upstream.logs, before + 1)[before]
    assert f'"GET {logged} HTTP/1.1" 200 ' in line
    assert "relapse" not in line and "abcDEF123" not in line and "?" not in line
    assert line.startswith("127.0.0.0 [")


def test_the_error_log_quotes_no_request(front):
    upstream, base = front
    get(base + "/static/missing.css?q=relapse")
    get(base + "/subscribe/manage/WzEsImFiIl0:1vXyZ:abcDEF123/", method="BAD METHOD")
    log = (upstream.logs / "error.log").read_text()
    assert "relapse" not in log and "abcDEF123" not in log
