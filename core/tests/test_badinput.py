"""Ids no row can have answer 404 before any view runs; installed views' refusals answer 404."""

import pytest
from django.test import Client

from core.badinput import LARGEST_ID, impossible_id, view_is_installed

pytestmark = pytest.mark.django_db


def test_an_id_is_impossible_beyond_64_bits_or_below_1():
    assert impossible_id("pk", LARGEST_ID + 1)
    assert impossible_id("post_id", 9999999999999999999999999)
    assert impossible_id("anything", -(2**63) - 1)
    assert impossible_id("pk", 0)
    assert impossible_id("revision_id", 0)
    assert not impossible_id("pk", LARGEST_ID)
    assert not impossible_id("pk", 1)
    assert not impossible_id("number", 0)  # not an id: zero may mean something
    assert not impossible_id("slug", "9999999999999999999999999")


@pytest.mark.parametrize("post_id", [LARGEST_ID + 1, 9999999999999999999999999])
def test_a_comment_page_for_an_impossible_post_is_not_found(post_id, site_tree):
    client = Client(raise_request_exception=False)
    for url in (
        f"/comments/post/{post_id}/",
        f"/comments/feed/{post_id}/",
        f"/comments/follow/{post_id}/",
        f"/comments/follow/{post_id}/sent/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_the_largest_id_reaches_the_view(site_tree):
    assert Client().get(f"/comments/post/{LARGEST_ID}/").status_code == 404


def test_a_nul_in_a_url_part_is_not_found(site_tree):
    assert Client().get("/subscribe/manage/ab%00cd/").status_code == 404


def test_views_installed_from_packages_are_told_from_ours():
    from wagtail import views as wagtail_views

    from comments import views

    assert view_is_installed(wagtail_views.serve)
    assert not view_is_installed(views.post_comment)


def test_an_installed_view_that_lets_a_refused_id_escape_answers_404(admin_client):
    # Wagtail's chooser looks the id up without checking it is a number.
    assert admin_client.get("/admin/images/chooser/chosen/abc/").status_code == 404
    # django-otp's admin looks a device up with .get() and no 404.
    assert admin_client.get("/django-admin/otp_totp/totpdevice/12345/config/").status_code == 404
    # Wagtail reverts to "no revision" for revision 0 and then fails.
    assert admin_client.get("/admin/pages/2/revisions/0/revert/").status_code == 404
