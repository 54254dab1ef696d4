"""Every `next` and redirect parameter stays on this site: absolute URLs, scheme-relative
URLs, backslash tricks and javascript: are replaced by a local default, never followed."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import NoReverseMatch, reverse

from comments.models import Comment, Commenter
from comments.tests.commenting import published

pytestmark = pytest.mark.django_db

HOSTILE_NEXT = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "https://testserver@evil.example/",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]


def assert_local(location, where=""):
    """A redirect target that a browser resolves on this site."""
    parts = urlsplit(location.replace("\\", "/"))
    assert parts.scheme in ("", "http", "https"), (where, location)
    assert parts.netloc in ("", "testserver"), (where, location)
    assert location.startswith("/") or parts.netloc == "testserver", (where, location)
    assert not location.startswith(("//", "/\\", "\\")), (where, location)
    assert "evil.example" not in parts.netloc and "evil.example" not in parts.path[:20]


def assert_no_offsite_link(response, where=""):
    """A page that carries `next` into its forms and links carries only a safe one."""
    page = BeautifulSoup(response.content.decode(), "html.parser")
    for element in page.find_all(True):
        for name in ("href", "action", "value", "formaction"):
            value = element.get(name)
            if isinstance(value, str) and value:
                lowered = value.strip().lower()
                assert not lowered.startswith(("javascript:", "data:")), (where, value)
                assert "evil.example" not in urlsplit(value.replace("\\", "/")).netloc, (
                    where,
                    value,
                )


@pytest.fixture
def admin_user(make_user):
    return make_user("sec-admin", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_admin_login_never_sends_you_off_site(client, admin_user, target):
    shown = client.get("/admin/login/", {"next": target})
    assert shown.status_code == 200
    assert_no_offsite_link(shown, "login form")
    response = client.post(
        "/admin/login/?next=" + target,
        {"username": "sec-admin", "password": "pw-123456", "next": target},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert_local(response["Location"], "after login")
    # Signed in already, the login page redirects at once: still not off site.
    again = client.get("/admin/login/", {"next": target})
    if again.status_code in (301, 302, 303, 307, 308):
        assert_local(again["Location"], "login when signed in")


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_logging_out_never_sends_you_off_site(client, admin_user, target):
    client.force_login(admin_user)
    response = client.post("/admin/logout/?next=" + target, {"next": target})
    assert response.status_code in (302, 303)
    assert_local(response["Location"], "after logout")


@pytest.fixture
def moderated(make_post, make_user):
    moderator = make_user("sec-mod", "Moderators")
    post = make_post()
    commenter = Commenter.objects.create(email="r@example.org", name="R")
    comment = published(post, commenter=commenter, status=Comment.Status.PENDING, approved_at=None)
    return moderator, comment


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_moderating_a_comment_never_sends_you_off_site(client, moderated, target):
    moderator, comment = moderated
    client.force_login(moderator)
    for url, data in (
        (f"/admin/comments/{comment.pk}/moderate/", {"action": "approve", "next": target}),
        ("/admin/comments/", {"action": "pending", "selected": [comment.pk], "next": target}),
    ):
        response = client.post(url, data)
        assert response.status_code in (302, 303), (url, response.status_code)
        assert_local(response["Location"], url)


def test_moderating_keeps_a_local_next(client, moderated):
    """The check is not simply "always go to the queue": a local `next` is honoured."""
    moderator, comment = moderated
    client.force_login(moderator)
    response = client.post(
        f"/admin/comments/{comment.pk}/moderate/",
        {"action": "approve", "next": "/admin/comments/?status=reported"},
    )
    assert response["Location"] == "/admin/comments/?status=reported"


@pytest.mark.parametrize("target", HOSTILE_NEXT[:6])
def test_wagtail_page_actions_never_send_you_off_site(client, admin_user, make_post, target):
    post = make_post()
    client.force_login(admin_user)
    response = client.post(f"/admin/pages/{post.pk}/unpublish/?next={target}", {"next": target})
    assert response.status_code in (302, 303)
    assert_local(response["Location"], "unpublish")


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_two_factor_pages_never_send_you_off_site(client, admin_user, target):
    try:
        urls = [reverse("users:two_factor_setup"), reverse("users:two_factor_verify")]
    except NoReverseMatch:
        pytest.skip("no two-factor pages in this build")
    client.force_login(admin_user)
    for url in urls:
        response = client.get(url, {"next": target})
        if response.status_code in (301, 302, 303, 307, 308):
            assert_local(response["Location"], url)
        else:
            assert_no_offsite_link(response, url)


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example",
        "//evil.example/",
        "///evil.example",
        "/\\evil.example",
        "/%5Cevil.example",
        "/%2F%2Fevil.example",
        "//evil.example/%2e%2e",
        "/blog//evil.example",
        "/search//evil.example",
        "/comments//evil.example",
        "/subscribe//evil.example",
    ],
)
def test_odd_paths_never_redirect_off_site(site_tree, path):
    """CommonMiddleware's added slash and Wagtail's page serving redirect on path alone."""
    response = Client().get(path)
    assert response.status_code < 500
    if response.status_code in (301, 302, 303, 307, 308):
        assert_local(response["Location"], path)


def test_the_favicon_redirect_is_local(site_tree):
    response = Client().get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert_local(response["Location"], "favicon")
