"""SERVE_MEDIA=1: a single host without nginx serves public media itself, and never anything
outside MEDIA_ROOT; private media can never sit inside it."""

import os
import subprocess
import sys

import pytest

from core.tests.hosts import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    (settings.MEDIA_ROOT / ".hidden").write_text("no")
    (tmp_path / "secret.txt").write_text("not for readers")
    settings.SERVE_MEDIA = True
    return settings.MEDIA_ROOT


def test_it_serves_a_public_file_with_a_lifetime_and_no_power_to_run(client, media):
    response = client.get("/media/images/scan.png")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=2592000"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert not response.cookies


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/images/../../secret.txt",
        "/media//etc/passwd",
        "/media/.hidden",
        "/media/images/",
        "/media/images",
        "/media/nothing.png",
        "/media/" + "a" * 5000,
    ],
)
def test_nothing_outside_its_files_is_served(client, media, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"not for readers" not in response.content


def test_it_takes_no_posts(client, media):
    assert client.post("/media/images/scan.png").status_code == 405


def test_without_serve_media_in_production_the_app_serves_no_media(client, media, settings):
    settings.SERVE_MEDIA, settings.DEBUG = False, False
    assert client.get("/media/images/scan.png").status_code == 404


def settings_with(**env):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.MIDDLEWARE)",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cancerblog.settings", **env},
        capture_output=True,
        text=True,
    )


def test_serve_media_also_compresses_pages():
    assert "GZipMiddleware" in settings_with(SERVE_MEDIA="1").stdout
    assert "GZipMiddleware" not in settings_with(SERVE_MEDIA="0").stdout


def test_private_media_inside_public_media_refuses_to_start(tmp_path):
    result = settings_with(
        MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_MEDIA_ROOT=str(tmp_path / "media" / "private")
    )
    assert result.returncode != 0
    assert "PRIVATE_MEDIA_ROOT must not be inside MEDIA_ROOT" in result.stderr
