"""Every old WordPress address answers 301 to its new home, through the real middleware stack."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.contrib.redirects.models import Redirect

from imports import importer
from imports.middleware import WordPressRedirectMiddleware

from .conftest import wxr_item

pytestmark = pytest.mark.django_db

BASE = "https://old.example.org"
CATEGORIES = (("research", "Research", "", 2), ("trials", "Trials", "research", 3))
TAGS = (("car-t", "CAR-T cells"),)


@pytest.fixture
def imported(site_tree, write_export):
    items = [
        wxr_item(
            1,
            "Trial news",
            slug="trial-news",
            terms=[("category", "trials", "Trials"), ("post_tag", "car-t", "CAR-T cells")],
        ),
        wxr_item(2, "Plain", slug="plain", link=f"{BASE}/?p=2"),
        wxr_item(3, "Ενημέρωση", slug="%ce%b5%ce%bd%ce%b7%ce%bc%ce%ad%cf%81%cf%89%cf%83%ce%b7"),
        wxr_item(
            10,
            "chart",
            post_type="attachment",
            status="inherit",
            parent=1,
            link=f"{BASE}/2021/03/trial-news/chart/",
            attachment_url=f"{BASE}/wp-content/uploads/chart.png",
        ),
        wxr_item(5, "About us", post_type="page", slug="about-us", link=f"{BASE}/about-us/"),
        wxr_item(6, "Team", post_type="page", slug="team", parent=5, link=f"{BASE}/about/team/"),
        wxr_item(7, "Draft", status="draft", slug="draft", link=f"{BASE}/?p=7"),
    ]
    path = write_export(items, categories=CATEGORIES, tags=TAGS)
    report = importer.run(path, download_images=False)
    return path, report


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/2021/03/trial-news/", "/blog/trial-news/"),
        ("/2021/03/trial-news", "/blog/trial-news/"),
        ("/2021/03/trial-news/feed/", "/blog/trial-news/"),
        ("/?p=1", "/blog/trial-news/"),
        ("/?p=2", "/blog/plain/"),
        ("/2021/03/%ce%b5%ce%bd%ce%b7%ce%bc%ce%ad%cf%81%cf%89%cf%83%ce%b7/", "/blog/ενημέρωση/"),
        ("/2021/03/trial-news/chart/", "/blog/trial-news/"),
        ("/?attachment_id=10", "/blog/trial-news/"),
        ("/?page_id=5", "/about-us/"),
        ("/?p=6", "/about-us/team/"),
        ("/about/team/", "/about-us/team/"),
        ("/category/research/", "/topics/research/"),
        ("/category/research/trials/", "/topics/trials/"),
        ("/category/research/trials/feed/", "/topics/trials/feed/"),
        ("/?cat=3", "/topics/trials/"),
        ("/tag/car-t/", "/search/?q=CAR-T+cells"),
        ("/?tag=car-t", "/search/?q=CAR-T+cells"),
        ("/author/ana/", "/authors/ana-ribeiro/"),
        ("/?author=1", "/authors/ana-ribeiro/"),
        ("/?feed=rss2", "/feed/"),
        ("/feed/rss2/", "/feed/"),
        ("/?feed=atom", "/feed/atom/"),
    ],
)
def test_an_old_address_answers_301_to_its_new_home(imported, client, old, new):
    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] in (
        new,
        new.replace("ενημέρωση", "%CE%B5%CE%BD%CE%B7%CE%BC%CE%AD%CF%81%CF%89%CF%83%CE%B7"),
    )
    assert client.get(response["Location"]).status_code == 200


def test_an_address_that_did_not_change_gets_no_redirect(imported):
    assert not Redirect.objects.filter(old_path="/about-us").exists()


def test_drafts_get_no_redirect_and_unknown_ids_reach_the_home_page(imported, client):
    assert client.get("/?p=7").status_code == 200
    assert client.get("/?p=999").status_code == 200


def test_a_rerun_updates_the_same_redirects(imported):
    path, first = imported
    count = Redirect.objects.count()

    again = importer.run(path, download_images=False)

    assert Redirect.objects.count() == count
    assert again.counts["redirect"]["created"] == 0
    assert again.counts["redirect"]["unchanged"] == first.counts["redirect"]["created"] == count
    assert all(r.is_permanent and r.site_id is None for r in Redirect.objects.all())


def test_ordinary_requests_cost_the_middleware_no_query(django_assert_num_queries):
    middleware = WordPressRedirectMiddleware(lambda request: HttpResponse("page"))
    factory = RequestFactory()
    for path in ("/", "/blog/", "/?page=2", "/search/?q=p", "/blog/?kind=news"):
        with django_assert_num_queries(0):
            assert middleware(factory.get(path)).content == b"page"
    with django_assert_num_queries(0):
        middleware(factory.post("/?p=1"))


def test_a_wordpress_address_costs_a_query_or_two(imported, django_assert_max_num_queries):
    middleware = WordPressRedirectMiddleware(lambda request: HttpResponse("page"))
    with django_assert_max_num_queries(2):  # the redirect, and the site's root paths once
        response = middleware(RequestFactory().get("/?p=1"))
    assert response.status_code == 301


def test_it_runs_before_the_page_cache_so_a_cached_home_page_cannot_hide_it():
    order = settings.MIDDLEWARE
    assert order.index("imports.middleware.WordPressRedirectMiddleware") < order.index(
        "core.pagecache.PageCacheMiddleware"
    )


def test_a_home_page_cached_for_an_old_address_before_the_import_does_not_hide_it(
    site_tree, write_export, client, settings, tmp_path
):
    from django.core.cache import cache

    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_GENERATION_FILE = tmp_path / "pagecache-generation"
    cache.clear()
    assert client.get("/?p=1").status_code == 200
    assert client.get("/?p=1").status_code == 200  # now served from the page cache

    importer.run(write_export([wxr_item(1, slug="trial-news")]), download_images=False)

    response = client.get("/?p=1")
    assert (response.status_code, response["Location"]) == (301, "/blog/trial-news/")


def test_a_link_from_one_imported_post_to_another_leads_to_the_new_page(
    site_tree, write_export, client, settings
):
    settings.BASE_URL = "http://testserver"
    items = [
        wxr_item(1, "Trial news", slug="trial-news"),
        wxr_item(
            2,
            "Follow-up",
            slug="follow-up",
            content=f'<p>As we said <a href="{BASE}/2021/03/trial-news/">last month</a>.</p>',
        ),
    ]
    importer.run(write_export(items), download_images=False)

    page = client.get("/blog/follow-up/").content.decode()
    assert 'href="/blog/trial-news/">last month' in page
    response = client.get("/2021/03/trial-news/")
    assert (response.status_code, response["Location"]) == (301, "/blog/trial-news/")
