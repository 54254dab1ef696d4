"""Every response carries the security headers; public pages a strict CSP, the admin its own."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.sessions.models import Session
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from blog.tests.test_rendering import every_block_body, make_image
from core.security import origin_of
from submissions.tests.submitting import submitted

pytestmark = pytest.mark.django_db

PUBLIC_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
PERMISSIONS_POLICY = (
    "browsing-topics=(), camera=(), geolocation=(), interest-cohort=(), microphone=(), "
    "payment=(), usb=()"
)
HTML_PAGES = [
    "home",
    "blog index",
    "post",
    "topic",
    "topic list",
    "author",
    "author list",
    "search",
    "subscribe",
    "subscribe consent",
    "guest submit",
    "guest status",
    "not found",
    "csrf failure",
]
OTHER_RESPONSES = ["rss feed", "atom feed", "json feed", "topic feed", "sitemap", "robots"]


def parse_csp(header):
    policy = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def post(make_post):
    return make_post(title="Immunotherapy after surgery", body=every_block_body(make_image()))


@pytest.fixture
def fetch(client, post, django_capture_on_commit_callbacks):
    """Fetch one kind of public response by name, the way a reader's browser would."""

    def get(name):
        if name == "subscribe consent":
            return client.post("/subscribe/", {"email": "reader@example.org"})
        if name == "guest status":
            _, status_path = submitted(client, django_capture_on_commit_callbacks)
            return client.get(status_path)
        if name == "csrf failure":
            return Client(enforce_csrf_checks=True).post("/subscribe/consent/", {})
        path = {
            "home": "/",
            "blog index": "/blog/",
            "post": post.url,
            "topic": "/topics/immunotherapy/",
            "topic list": "/topics/",
            "author": "/authors/ana-ribeiro/",
            "author list": "/authors/",
            "search": "/search/?q=immunotherapy",
            "subscribe": "/subscribe/",
            "guest submit": "/write-for-us/submit/",
            "not found": "/no-such-page/",
            "rss feed": "/feed/",
            "atom feed": "/feed/atom/",
            "json feed": "/feed/json/",
            "topic feed": "/topics/immunotherapy/feed/",
            "sitemap": "/sitemap.xml",
            "robots": "/robots.txt",
        }[name]
        return client.get(path)

    return get


def assert_strict_policy(response):
    header = response["Content-Security-Policy"]
    assert parse_csp(header) == PUBLIC_CSP
    assert "unsafe" not in header
    assert "nonce" not in header
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.parametrize("name", HTML_PAGES)
def test_public_pages_carry_the_strict_policy_and_nothing_inline_it_would_block(fetch, name):
    response = fetch(name)
    assert response.status_code in (200, 403, 404), response.status_code
    assert_strict_policy(response)

    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("html"), "expected an HTML page"
    assert soup.find_all("style") == []
    for script in soup.find_all("script"):
        # A JSON-LD data block is never executed, so script-src does not apply to it.
        assert script.get("src") or script.get("type") == "application/ld+json", script
    for element in soup.find_all(True):
        inline = [a for a in element.attrs if a == "style" or a.startswith("on")]
        assert not inline, element
        for attribute in ("href", "src", "action", "formaction"):
            assert not str(element.get(attribute, "")).lower().startswith("javascript:"), element


@pytest.mark.parametrize("name", OTHER_RESPONSES)
def test_feeds_and_other_public_responses_carry_the_strict_policy(fetch, name):
    response = fetch(name)
    assert response.status_code == 200
    assert_strict_policy(response)


def test_the_post_keeps_its_click_to_load_video_within_frame_src(fetch):
    response = fetch("post")
    soup = BeautifulSoup(response.content, "html.parser")
    players = PUBLIC_CSP["frame-src"]

    sources = [button["data-embed-src"] for button in soup.select("[data-embed-src]")]
    assert sources, "the post should offer a click-to-load video"
    assert all(origin_of(src) in players for src in sources)
    assert soup.find("iframe") is None  # nothing loads from the provider before the click


def test_the_server_error_page_needs_no_inline_style_or_script():
    soup = BeautifulSoup(render_to_string("500.html"), "html.parser")

    assert soup.find_all("style") == [] and soup.find_all("script") == []
    assert not [e for e in soup.find_all(True) if "style" in e.attrs]


@pytest.mark.parametrize("name", ["home", "post", "not found", "rss feed", "subscribe consent"])
def test_public_responses_carry_the_other_security_headers(fetch, name):
    response = fetch(name)

    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_redirect_carries_the_headers_too(client, site_tree):
    response = client.get("/topics/immunotherapy")  # APPEND_SLASH

    assert response.status_code == 301
    assert parse_csp(response["Content-Security-Policy"]) == PUBLIC_CSP
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.fixture
def editor(client, make_user):
    user = make_user("editor", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def assert_admin_policy(response):
    policy = parse_csp(response["Content-Security-Policy"])
    # Wagtail's editor needs inline script and style; everything else stays as tight.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the preview panel only
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/pages/{post}/edit/",
        # The public page rendered for the editor, so it arrives with the public policy first.
        "/admin/pages/{post}/view_draft/",
        "/django-admin/",
    ],
)
def test_the_admin_gets_its_own_policy_and_still_works(client, editor, post, path):
    response = client.get(path.format(post=post.pk))

    assert response.status_code == 200
    assert_admin_policy(response)


def test_the_admin_sign_in_page_gets_the_admin_policy(client, site_tree):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert_admin_policy(response)


def test_the_admin_loads_no_third_party_avatar(client, editor):
    response = client.get("/admin/")

    assert b"gravatar" not in response.content


def test_the_admin_policy_keys_on_the_path_not_a_lookalike(client, site_tree):
    response = client.get("/administration/")

    assert response.status_code == 404
    assert parse_csp(response["Content-Security-Policy"]) == PUBLIC_CSP


def test_a_header_a_view_set_itself_is_kept(client, editor, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document.objects.create(title="Leaflet", file=ContentFile(b"%PDF-1.4", "a.pdf"))

    response = client.get(document.url)

    # Wagtail serves documents with its own, tighter policy; neither of ours replaces it.
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_origin_of_gives_the_host_source_of_absolute_urls_only():
    assert origin_of("/media/") == ""
    assert origin_of("https://cdn.example.org/media/") == "https://cdn.example.org"
    assert origin_of("//cdn.example.org/static/") == "cdn.example.org"


def sign_in(client, remember):
    form = {"username": "editor", "password": "pw-123456"}
    if remember:
        form["remember"] = "on"
    return client.post("/admin/login/", form)


@pytest.mark.parametrize("remember", [False, True])
def test_a_staff_session_ends_eight_hours_after_sign_in_at_the_latest(
    client, make_user, site_tree, remember
):
    make_user("editor", is_staff=True, is_superuser=True)

    response = sign_in(client, remember)

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    if remember:
        assert cookie["max-age"] == 8 * 60 * 60
    else:
        assert cookie["max-age"] == ""  # ends with the browser
    session = Session.objects.get(session_key=cookie.value)
    remaining = session.expire_date - timezone.now()
    assert timezone.timedelta(hours=7, minutes=59) < remaining <= timezone.timedelta(hours=8)


def test_an_expired_staff_session_no_longer_opens_the_admin(client, editor):
    assert client.get("/admin/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_reader_who_only_reads_gets_no_cookie(client, post):
    for path in ("/", post.url, "/topics/immunotherapy/", "/search/?q=trial"):
        assert client.get(path).cookies == {}, path
