"""The optional Akismet check, against a local stand-in server: never the real network."""

import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from comments import akismet


class FakeAkismet(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        length = int(self.headers.get("Content-Length", 0))
        server.requests.append(
            {
                "path": self.path,
                "fields": dict(
                    urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True)
                ),
            }
        )
        time.sleep(server.delay)
        self.send_response(server.status)
        self.send_header("Content-Type", "text/plain")
        if server.answer not in ("true", "false"):
            self.send_header("X-akismet-debug-help", "Empty api_key")
        self.end_headers()
        try:
            self.wfile.write(server.answer.encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as it should

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_akismet(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    server.daemon_threads = True
    server.requests, server.answer, server.status, server.delay = [], "false", 200, 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.AKISMET_API_KEY = "abc123def456"
    settings.AKISMET_ENDPOINT = f"http://127.0.0.1:{server.server_port}/1.1/comment-check"
    settings.BASE_URL = "https://thecancerblog.example"
    yield server
    server.shutdown()
    server.server_close()


def verdict(**overrides):
    fields = {
        "user_ip": "192.0.2.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
        "author": "Maria",
        "email": "maria@example.org",
        "content": "Thank you for this clear explanation. ✨ شكرا",
    }
    fields.update(overrides)
    return akismet.akismet_verdict(**fields)


def test_it_sends_the_submission_as_akismet_expects(fake_akismet):
    assert verdict() == akismet.HAM
    request = fake_akismet.requests[0]
    assert request["path"] == "/1.1/comment-check"
    assert request["fields"] == {
        "api_key": "abc123def456",
        "blog": "https://thecancerblog.example",
        "user_ip": "192.0.2.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
        "permalink": "",
        "comment_type": "comment",
        "comment_author": "Maria",
        "comment_author_email": "maria@example.org",
        "comment_content": "Thank you for this clear explanation. ✨ شكرا",
        "blog_lang": "en",
        "blog_charset": "UTF-8",
    }


def test_true_is_spam_and_false_is_ham(fake_akismet):
    fake_akismet.answer = "true"
    assert verdict(author="akismet-guaranteed-spam") == akismet.SPAM
    fake_akismet.answer = "false"
    assert verdict() == akismet.HAM


@pytest.mark.parametrize(("status", "answer"), [(200, "invalid"), (200, ""), (500, "false")])
def test_an_answer_it_does_not_understand_is_unknown(fake_akismet, status, answer):
    fake_akismet.status, fake_akismet.answer = status, answer
    assert verdict() == akismet.UNKNOWN


def test_a_slow_server_is_unknown_after_the_timeout(fake_akismet):
    fake_akismet.delay = 2
    started = time.monotonic()
    assert verdict(timeout=0.3) == akismet.UNKNOWN
    assert time.monotonic() - started < 1.5


def test_a_server_that_does_not_answer_at_all_is_unknown(settings):
    settings.AKISMET_API_KEY = "abc123def456"
    closed = ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    port = closed.server_port
    closed.server_close()  # nothing listens on that port any more
    settings.AKISMET_ENDPOINT = f"http://127.0.0.1:{port}/1.1/comment-check"
    assert verdict() == akismet.UNKNOWN


def test_the_key_can_be_part_of_the_endpoint(fake_akismet, settings):
    settings.AKISMET_ENDPOINT = settings.AKISMET_ENDPOINT.replace("/1.1/", "/{key}/1.1/")
    assert verdict() == akismet.HAM
    assert fake_akismet.requests[0]["path"] == "/abc123def456/1.1/comment-check"


@pytest.mark.parametrize("key", ["", "evil.example/x?", "abc 123"])
def test_without_a_usable_key_nothing_is_sent(fake_akismet, settings, key):
    settings.AKISMET_API_KEY = key
    assert akismet.enabled() is bool(key)
    assert verdict() == akismet.UNKNOWN
    assert fake_akismet.requests == []


def test_a_comment_akismet_calls_spam_is_stored_as_spam_and_never_shown(
    fake_akismet, client, make_post
):
    from comments.models import Comment
    from comments.tests.commenting import form_data

    fake_akismet.answer = "true"
    post = make_post()
    response = client.post(f"/comments/post/{post.pk}/", form_data(body="Cheap pills here"))
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.SPAM
    assert fake_akismet.requests[0]["fields"]["comment_content"] == "Cheap pills here"
    assert "Cheap pills" not in client.get(post.url).content.decode()


def test_without_an_answer_from_akismet_the_comment_waits_for_a_moderator(
    fake_akismet, client, make_post
):
    from comments.models import Comment
    from comments.tests.commenting import form_data

    fake_akismet.answer, fake_akismet.status = "", 500
    post = make_post()
    client.post(f"/comments/post/{post.pk}/", form_data())
    assert akismet.UNKNOWN_REASON in Comment.objects.get().hold_reason
