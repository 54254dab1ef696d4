"""A WordPress page whose slug is one of the site's own addresses is renamed, and said so."""

import pytest

from blog.models import StandardPage
from imports import importer
from imports.importer.routes import is_site_route
from imports.models import ImportedObject

from .conftest import wxr_item

pytestmark = pytest.mark.django_db

OLD = "https://old.example.org"


def page(wp_id):
    row = ImportedObject.objects.get(wp_type="page", wp_id=str(wp_id))
    return StandardPage.objects.get(pk=row.object_id)


@pytest.mark.parametrize(
    "slug", ["search", "topics", "authors", "admin", "feed", "comments", "subscribe"]
)
def test_a_page_on_one_of_the_sites_addresses_is_renamed_reachable_and_reported(
    site_tree, write_export, client, slug
):
    items = [wxr_item(40, slug.title(), post_type="page", slug=slug, link=f"{OLD}/{slug}/")]

    report = importer.run(write_export(items), download_images=False)

    imported = page(40)
    assert imported.slug == f"{slug}-page" and imported.live
    assert client.get(f"/{slug}-page/").status_code == 200
    [hand] = [h for h in report.needs_a_hand if h["wp_id"] == 40]
    assert f"“{slug}” is one of this site's own addresses" in hand["reason"]
    assert hand["admin_url"].endswith(f"/pages/{imported.pk}/edit/")
    response = client.get("/?page_id=40")
    assert (response.status_code, response["Location"]) == (301, f"/{slug}-page/")


def test_the_old_address_redirects_where_the_site_does_not_answer_it(
    site_tree, write_export, client
):
    items = [
        wxr_item(41, "Comments policy", post_type="page", slug="comments", link=f"{OLD}/comments/")
    ]

    importer.run(write_export(items), download_images=False)

    response = client.get("/comments/")
    assert (response.status_code, response["Location"]) == (301, "/comments-page/")


def test_a_page_left_on_a_site_address_by_an_earlier_import_moves_off_it_on_a_re_run(
    site_tree, write_export, client
):
    items = [wxr_item(42, "Search", post_type="page", slug="search", link=f"{OLD}/search/")]
    path = write_export(items)
    importer.run(path, download_images=False)
    # As the import before the renaming left it: live, unreachable under /search/.
    stuck = page(42)
    stuck.slug = "search"
    stuck.save_revision().publish()
    assert page(42).url == "/search/"

    report = importer.run(path, download_images=False)

    moved = page(42)
    assert moved.slug == "search-page" and moved.live
    assert client.get("/search-page/").status_code == 200
    [hand] = [h for h in report.needs_a_hand if h["wp_id"] == 42]
    assert "“search” is one of this site's own addresses" in hand["reason"]


def test_pages_elsewhere_keep_their_slug(site_tree, write_export):
    items = [
        wxr_item(50, "About", post_type="page", slug="about"),
        wxr_item(51, "Search tips", post_type="page", slug="search", parent=50),
        wxr_item(52, "Write for us", post_type="page", slug="write-for-us-guide"),
        wxr_item(53, "Feed", slug="feed"),  # a post: under the blog, where /blog/feed/ is free
    ]

    report = importer.run(write_export(items), download_images=False)

    assert page(51).slug == "search" and page(51).url == "/about/search/"
    assert page(52).slug == "write-for-us-guide"
    assert not [h for h in report.needs_a_hand if "own addresses" in h["reason"]]


@pytest.mark.parametrize(
    ("slug", "taken"),
    [
        ("search", True),
        ("authors", True),
        ("corrections", True),
        ("django-admin", True),
        ("documents", True),
        ("static", True),
        ("about", False),
        ("searching", False),
        ("blog", False),  # a page's address: taken by the page, not by a route
        ("ünïcödé", False),
        ("", False),
    ],
)
def test_the_sites_addresses_come_from_its_url_resolver(slug, taken):
    assert is_site_route(slug) is taken
