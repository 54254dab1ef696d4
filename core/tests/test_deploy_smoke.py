"""A production install done the way the README says, on an empty PostgreSQL database: migrate,
setup_site, collectstatic, gunicorn (DEBUG off) behind the shipped nginx on a port that is not
8000, with BASE_URL set to nginx's address. Every address the pages, feeds and sitemap give for
this site has BASE_URL's origin, images load, and behind a TLS load balancer with
SECURE_SSL_REDIRECT nothing redirects in a loop. Needs PostgreSQL, Redis and Debian's nginx."""

import http.client
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings

from bench.web import Nginx, free_port
from core.tests import hosts

pytestmark = [
    pytest.mark.usefixtures("one_host_test_at_a_time"),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the production install runs on PostgreSQL",
    ),
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed"),
]

URL = re.compile(r"""https?://[^\s"'<>\\)]+""")
# Addresses that name this site wherever a wrong origin could come from: a Site record made
# for `make run`, Wagtail's default site, the host the request came in on.
OWN_HOSTS = {"127.0.0.1", "localhost", "testserver", "blog.example.org"}
SHARE_HOSTS = {"www.linkedin.com", "x.com", "twitter.com", "www.facebook.com", "bsky.app"}


@pytest.fixture
def empty_database():
    with hosts.fresh_database("deploy") as url:
        yield url


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=hosts.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def installed(empty_database):
    """The README's production steps; yields (BASE_URL, environment, nginx, work folder)."""
    hosts.empty_redis()
    app_port = free_port()
    # Not pytest's tmp_path: its parents are closed to nginx's user (nobody, when run as root).
    tmp_path = Path(tempfile.mkdtemp(prefix="test-deploy-"))
    tmp_path.chmod(0o755)
    (tmp_path / "static").mkdir()
    (tmp_path / "media").mkdir()
    nginx = Nginx(tmp_path, app_port, tmp_path / "static", tmp_path / "media", b"<p>")
    base_url = f"http://127.0.0.1:{nginx.front_port}"
    env = {
        **hosts.host_environment(free_port(), tmp_path / "static"),
        "BASE_URL": base_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": empty_database,
        "TASKS_BACKEND": "immediate",  # the demo content's image renditions, without a worker
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "TRUSTED_PROXY_COUNT": "1",
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "setup_site")
    manage(env, "collectstatic", "--noinput", "-v0")
    # Posts, topics and images to look at; the Site record is left as `make run` makes it, on
    # another port, as on a database that was tried locally first.
    manage(env, "seed_demo", "--hostname", "127.0.0.1", "--port", "8000")
    for path in tmp_path.rglob("*"):
        path.chmod(path.stat().st_mode | (0o055 if path.is_dir() else 0o044))  # for nginx
    web = hosts.start_web(app_port, env, tmp_path / "web.log")
    try:
        assert hosts.wait_until_serving(app_port, web), (tmp_path / "web.log").read_text()
        yield base_url, env, nginx, tmp_path
    finally:
        hosts.stop(web)
        nginx.stop()
        hosts.empty_redis()
        shutil.rmtree(tmp_path, ignore_errors=True)


def fetch(base_url, path, **headers):
    """One request, redirects not followed: (status, headers, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", urlsplit(base_url).port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def own_addresses(text):
    """Every absolute address in `text` that names this site, with those inside share links."""
    found = []
    for url in URL.findall(text.replace("&amp;", "&").replace("\\/", "/")):
        parts = urlsplit(url)
        if parts.hostname in SHARE_HOSTS:
            for values in parse_qs(parts.query).values():
                found += [v for v in values if v.startswith("http")]
        elif parts.hostname in OWN_HOSTS:
            found.append(url)
    return found


def test_a_production_install_names_one_origin_and_serves_its_images(installed):
    base_url, _env, _nginx, _ = installed
    status, _, feed = fetch(base_url, "/feed/json/")
    assert status == 200
    items = json.loads(feed)["items"]
    assert items and all(item["url"].startswith(base_url + "/") for item in items)
    post = urlsplit(items[0]["url"]).path
    _, _, home = fetch(base_url, "/")
    topic = re.search(r'href="(/topics/[^/"]+/)"', home).group(1)

    checked = {}
    for path in ("/", post, topic, "/sitemap.xml", "/robots.txt", "/feed/", "/feed/atom/"):
        status, _, text = fetch(base_url, path)
        assert status == 200, path
        checked[path] = text
    checked["/feed/json/"] = feed

    for path, text in checked.items():
        addresses = own_addresses(text)
        wrong = [url for url in addresses if not url.startswith(base_url + "/")]
        assert not wrong, (path, wrong)
    assert f'<link rel="canonical" href="{base_url}{post}">' in checked[post]
    assert f"Sitemap: {base_url}/sitemap.xml" in checked["/robots.txt"]
    assert len(own_addresses(checked["/sitemap.xml"])) > 10

    images = set(re.findall(r'<img[^>]+src="([^"]+)"', checked["/"] + checked[post]))
    assert images
    for src in images:
        status, headers, _ = fetch(base_url, urlsplit(src).path)
        assert status == 200 and headers["Content-Type"].startswith("image/"), src


def test_behind_a_tls_balancer_https_pages_answer_without_a_redirect_loop(installed):
    base_url, env, _, work = installed
    tls = {**env, "SECURE_SSL_REDIRECT": "1", "BASE_URL": "https://blog.example.org"}
    app_port = free_port()
    web = hosts.start_web(app_port, tls, work / "web-tls.log", workers=1)
    balancer_trusted = work / "behind-balancer"
    balancer_trusted.mkdir()
    balancer_trusted.chmod(0o755)
    marker = "    # 10.0.0.5 1;  # test: a load balancer's address"
    nginx = Nginx(
        balancer_trusted,
        app_port,
        work / "static",
        work / "media",
        b"<p>",
        lambda conf: conf.replace(marker, "    127.0.0.1 1;"),
    )
    front = f"http://127.0.0.1:{nginx.front_port}"
    try:
        assert hosts.wait_for(lambda: _answers(front), timeout=60), (
            work / "web-tls.log"
        ).read_text()

        status, _, page = fetch(front, "/", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and "https://blog.example.org/" in page

        status, headers, _ = fetch(front, "/about/")
        assert status == 301 and headers["Location"].startswith("https://")
        assert headers["Location"].endswith("/about/")
    finally:
        hosts.stop(web)
        nginx.stop()


def _answers(front):
    try:
        return fetch(front, "/", **{"X-Forwarded-Proto": "https"})[0] in (200, 301)
    except OSError:
        return False
