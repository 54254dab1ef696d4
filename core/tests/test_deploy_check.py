"""`manage.py check --deploy` passes with the production settings the README documents."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "blog.example.org",
    "BASE_URL": "https://blog.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "1",
    "TASKS_BACKEND": "database",
    "CACHE_URL": "redis://127.0.0.1:6379/1",  # named only: the check does not connect
}


def manage(tmp_path, *args, **overrides):
    """Run manage.py in a fresh interpreter with only the given environment."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        **PRODUCTION,
        **overrides,
    }
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_deploy(tmp_path, **overrides):
    return manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **overrides)


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    result = check_deploy(tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_the_deploy_check_fails_when_production_settings_are_missing(tmp_path):
    result = check_deploy(
        tmp_path,
        DEBUG="1",
        SECRET_KEY="short-key",
        SECURE_HSTS_SECONDS="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
    )

    assert result.returncode == 1
    for warning in ("W004", "W008", "W009", "W012", "W016", "W018"):
        assert f"security.{warning}" in result.stderr


def test_production_pages_upgrade_insecure_requests_and_keep_cookies_on_https(tmp_path):
    result = manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings as s; from django.utils.csp import build_policy; "
        "print(build_policy(s.SECURE_CSP)); print(build_policy(s.ADMIN_CSP)); "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_AGE)",
    )

    assert result.returncode == 0, result.stderr
    public, admin, cookies = result.stdout.splitlines()[-3:]
    assert public == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; "
        "upgrade-insecure-requests"
    )
    assert admin.endswith("; upgrade-insecure-requests")
    assert "'unsafe-inline'" in admin
    assert cookies == "True True ('HTTP_X_FORWARDED_PROTO', 'https') True 28800"


def test_a_local_http_run_does_not_upgrade_requests(tmp_path):
    result = manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_CSP['upgrade-insecure-requests'], "
        "s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)",
        DEBUG="1",
        SECRET_KEY=None,
        BASE_URL=None,
        ALLOWED_HOSTS=None,
        SECURE_SSL_REDIRECT=None,
        SECURE_HSTS_SECONDS=None,
        SECURE_HSTS_PRELOAD=None,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False False False 0"


def test_session_hours_out_of_range_are_refused(tmp_path):
    result = check_deploy(tmp_path, SESSION_HOURS="0")

    assert result.returncode != 0
    assert "SESSION_HOURS" in result.stderr


def test_the_deploy_check_warns_about_a_cache_each_process_keeps_to_itself(tmp_path):
    for url in ("locmemcache://cancerblog", "dummycache://", f"filecache://{tmp_path}/cache"):
        result = check_deploy(tmp_path, CACHE_URL=url)

        assert result.returncode == 1, url
        assert "core.W001" in result.stderr
        assert "CACHE_URL" in result.stderr


def test_the_default_cache_is_refused_in_production_but_not_in_a_local_run(tmp_path):
    assert "core.W001" in check_deploy(tmp_path, CACHE_URL=None).stderr
    local = check_deploy(tmp_path, CACHE_URL=None, DEBUG="1")
    assert "core.W001" not in local.stdout + local.stderr


def test_a_shared_cache_passes(tmp_path):
    for url in ("redis://127.0.0.1:6379/1", "pymemcache://127.0.0.1:11211", "dbcache://cache"):
        result = check_deploy(tmp_path, CACHE_URL=url)
        assert "core.W001" not in result.stdout + result.stderr, url
