"""/healthz answers 200 when the database and the cache answer, 503 when either does not."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection


@pytest.fixture
def get(client, db):
    def get():
        response = client.get("/healthz")
        return response, response.json()

    return get


def test_it_reports_database_and_cache_ok(get):
    response, body = get()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body == {"status": "ok", "database": "ok", "cache": "ok"}


def test_it_is_never_cached_and_sets_no_cookie(get):
    response, _ = get()

    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_it_fails_when_the_database_does_not_answer(get):
    # Patched only around the request: the test database itself must stay usable.
    with mock.patch.object(connection, "cursor", side_effect=ConnectionError("database down")):
        response, body = get()

    assert response.status_code == 503
    assert body == {"status": "error", "database": "error", "cache": "ok"}


def test_it_fails_when_the_cache_does_not_answer(get, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)

    response, body = get()

    assert response.status_code == 503
    assert body == {"status": "error", "database": "ok", "cache": "error"}


def test_it_answers_only_reads(client, db):
    assert client.post("/healthz").status_code == 405
