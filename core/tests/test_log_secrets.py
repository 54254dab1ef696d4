"""No secret link and no search term in any log line: Django's own messages (404s, 500s with
their tracebacks, CSRF failures), read from the configured console handler with the production
formatters (JSON and text)."""

import io
import json
import logging
import logging.config
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import Client

from blog.views import post_search
from comments import services as comment_services
from core.requestlog import scrub_text
from submissions import services as submission_services
from submissions.models import Submission
from subscriptions import services as subscription_services
from subscriptions.models import Subscriber

TERM = "my-secret-relapse"


@pytest.fixture(params=["json", "text"])
def captured(request):
    """Everything the configured console handler writes, through its own filter, with the
    production JSON formatter or the plain text one."""
    handler = logging.getHandlerByName("console")
    assert handler is not None and logging.getLogger().handlers.count(handler) == 1
    configurator = logging.config.DictConfigurator(django_settings.LOGGING)
    formatter = configurator.configure_formatter(
        dict(django_settings.LOGGING["formatters"][request.param])
    )
    stream = io.StringIO()
    old_stream, old_formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(formatter)
    yield stream.getvalue
    handler.setStream(old_stream)
    handler.setFormatter(old_formatter)


@pytest.fixture
def links(db):
    """A subscriber's preferences link, a guest author's status link, a comment confirmation
    link: real tokens, each still valid."""
    subscriber = Subscriber.objects.create(
        email="reader@example.org", status=Subscriber.Status.CONFIRMED
    )
    submission = Submission(pk=424242, email_hash="a1" * 32)
    return {
        "manage": subscription_services.make_token("manage", subscriber),
        "status": submission_services.make_token(submission),
        "confirm": comment_services.make_token("confirm", 987654),
    }


def urls(links):
    return [
        f"/subscribe/manage/{links['manage']}/",
        f"/submissions/{links['status']}/",
        f"/comments/confirm/{links['confirm']}/",
    ]


def assert_clean(output, links):
    assert output
    for token in links.values():
        assert token not in output
        for part in token.split(":"):  # payload, stamp, signature alone
            assert len(part) < 8 or part not in output
    assert TERM not in output
    assert "q=" not in output


def test_404s_on_secret_links_and_searches_log_the_path_with_tokens_hidden(client, links, captured):
    for url in urls(links):
        assert client.get(url + "extra/?q=" + TERM).status_code == 404
    assert client.get("/search/nowhere/?q=" + TERM).status_code == 404
    # an unknown submission: the link resolves, the view answers 404
    assert client.get(f"/submissions/{links['status']}/?q={TERM}").status_code == 404

    output = captured()
    assert_clean(output, links)
    assert "Not Found: /subscribe/manage/:token/extra/" in output
    assert "Not Found: /search/nowhere/" in output
    assert "Not Found: /submissions/:token/" in output


def test_csrf_failures_on_secret_links_and_searches_log_no_secret(links, captured):
    csrf_client = Client(enforce_csrf_checks=True)
    for url in [*urls(links), "/search/"]:
        response = csrf_client.post(f"{url}?q={TERM}", {"action": "stop", "q": TERM})
        assert response.status_code == 403

    output = captured()
    assert_clean(output, links)
    assert "Forbidden (CSRF cookie not set.): /subscribe/manage/:token/" in output
    assert "Forbidden (CSRF cookie not set.): /search/" in output


def test_500s_log_their_traceback_without_the_link_or_the_search_term(links, captured, monkeypatch):
    def broken(*args, **kwargs):
        # A library that puts what it was given in its message: the whole link, the term.
        raise RuntimeError(f"lost while reading {args!r} for https://blog.example.org{url}")

    monkeypatch.setattr(subscription_services, "subscriber_for_token", broken)
    monkeypatch.setattr(submission_services, "submission_for_token", broken)
    monkeypatch.setattr(comment_services, "read_token", broken)
    monkeypatch.setattr(post_search, "search_posts", broken)
    reader = Client(raise_request_exception=False)
    for url in [f"{path}?q={TERM}" for path in urls(links)] + [f"/search/?q={TERM}"]:
        assert reader.get(url).status_code == 500

    output = captured()
    assert_clean(output, links)
    assert output.count("Internal Server Error: ") == 4
    assert "Internal Server Error: /comments/confirm/:token/" in output
    assert "RuntimeError: lost while reading" in output
    assert "https://blog.example.org/subscribe/manage/:token/" in output


def test_json_lines_carry_the_request_as_method_and_scrubbed_path(client, links):
    handler = logging.getHandlerByName("console")
    configurator = logging.config.DictConfigurator(django_settings.LOGGING)
    json_formatter = configurator.configure_formatter(
        dict(django_settings.LOGGING["formatters"]["json"])
    )
    stream = io.StringIO()
    old_stream, old_formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(json_formatter)
    try:
        client.get(f"/subscribe/manage/{links['manage']}/nowhere/?q={TERM}")
    finally:
        handler.setStream(old_stream)
        handler.setFormatter(old_formatter)

    [not_found] = [
        line
        for line in map(json.loads, stream.getvalue().splitlines())
        if line["logger"] == "django.request"
    ]
    assert not_found["request"] == "GET /subscribe/manage/:token/nowhere/"
    assert not_found["status_code"] == 404


def test_runservers_request_lines_lose_their_query_string(captured):
    logging.getLogger("django.server").info(
        '"%s" %s %s',
        f"GET /search/?q={TERM} HTTP/1.1",
        "200",
        "5120",
        extra={"request": SimpleNamespace(), "status_code": 200},
    )

    output = captured()
    assert TERM not in output
    assert "GET /search/" in output and "200 5120" in output


@pytest.mark.parametrize(
    "text, scrubbed",
    [
        ("Listening at: http://127.0.0.1:8000 (12)", "Listening at: http://127.0.0.1:8000 (12)"),
        (
            "fetch https://blog.example.org/search/?q=a b c",
            "fetch https://blog.example.org/search/",
        ),
        ("'GET /x/?q=relapse now HTTP/1.1' refused", "'GET /x/' refused"),
        ('File "/srv/app/blog/views.py", line 12', 'File "/srv/app/blog/views.py", line 12'),
        ("Not Found: /subscribe/stop/WzEsImFiIl0:1vXyZ:abc/", "Not Found: /subscribe/stop/:token/"),
    ],
)
def test_paths_in_free_text_lose_their_query_string_and_tokens(text, scrubbed):
    assert scrub_text(text) == scrubbed
