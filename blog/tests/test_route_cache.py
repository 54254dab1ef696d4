"""Wagtail's routing kept per worker and page-cache generation (core/routes.py, issue 14): fewer
queries for an uncached page, the same bytes, and nothing stale after a change of the tree."""

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction, Site

from core.routes import routes


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.PAGE_CACHE_GENERATION_FILE = tmp_path / "pagecache-generation"
    settings.PAGE_CACHE = False
    settings.FRAGMENT_CACHE = True
    settings.ROUTE_CACHE = True
    cache.clear()
    routes.clear()


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def test_a_routed_post_costs_three_queries_fewer_than_routing_it_again(
    client, make_post, django_assert_max_num_queries
):
    post = make_post(title="Fatigue after radiotherapy")
    get(client, post.url)  # fragments stored, route kept
    # Without the kept route: the site, the tree walk, the specific page, the ancestors'
    # aliases and their view restrictions come on top (8 queries in all).
    with django_assert_max_num_queries(1):
        get(client, post.url)


def test_the_page_is_the_same_with_and_without_the_kept_route(client, make_post, settings):
    post = make_post(title="Exercise during chemotherapy")
    settings.ROUTE_CACHE = False
    reference = get(client, post.url).content
    settings.ROUTE_CACHE = True
    get(client, post.url)
    assert get(client, post.url).content == reference
    assert get(client, post.url).content == reference


def test_each_request_gets_its_own_page_object(client, make_post):
    post = make_post()
    first = get(client, post.url)
    second = get(client, post.url)
    assert first.context["page"] is not second.context["page"]


def test_an_unpublished_post_is_gone_at_once(client, make_post):
    post = make_post()
    get(client, post.url)
    get(client, post.url)
    post.unpublish()
    get(client, post.url, status=404)


def test_a_renamed_post_moves_at_once(client, make_post):
    post = make_post()
    old = post.url
    get(client, old)
    post.slug = "a-new-address"
    post.save_revision().publish()
    get(client, old, status=404)
    assert old != type(post).objects.get(pk=post.pk).url
    get(client, type(post).objects.get(pk=post.pk).url)


def test_a_deleted_post_is_gone_at_once(client, make_post):
    post = make_post()
    url = post.url
    get(client, url)
    post.delete()
    get(client, url, status=404)


def test_a_password_set_on_a_kept_post_applies_at_once(client, make_post):
    post = make_post(title="For the support group only")
    get(client, post.url)
    get(client, post.url)
    PageViewRestriction.objects.create(
        page=post, restriction_type=PageViewRestriction.PASSWORD, password="circle"
    )
    response = get(client, post.url)
    assert b"For the support group only" not in response.content
    assert b'name="password"' in response.content


def test_a_kept_route_still_checks_a_password_set_before(client, make_post):
    post = make_post(title="Members only")
    PageViewRestriction.objects.create(
        page=post, restriction_type=PageViewRestriction.PASSWORD, password="circle"
    )
    for _ in range(2):
        response = get(client, post.url)
        assert b'name="password"' in response.content


def test_a_url_that_routes_nowhere_is_not_kept(client, make_post):
    make_post()
    for n in range(5):
        get(client, f"/blog/no-such-post-{n}/", status=404)
    assert len(routes) == 0


def test_posting_to_a_page_is_never_served_from_a_kept_route(client, make_post, settings):
    settings.ROUTE_CACHE_SIZE = 5
    post = make_post()
    get(client, post.url)
    assert len(routes) == 1
    client.post(post.url, {})
    assert len(routes) == 1


def test_another_host_gets_its_own_site(client, make_post, site_tree, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    post = make_post()
    home = Site.objects.get(is_default_site=True)
    other = Site.objects.create(
        hostname="other.example", port=80, root_page=home.root_page, site_name="Other"
    )
    get(client, post.url)
    response = client.get(post.url, HTTP_HOST="other.example")
    assert response.status_code == 200
    assert response.wsgi_request._wagtail_site.pk == other.pk


def test_at_most_the_configured_number_of_routes_are_kept(client, make_post, settings):
    settings.ROUTE_CACHE_SIZE = 2
    posts = [make_post() for _ in range(3)]
    for post in posts:
        get(client, post.url)
    assert len(routes) == 2
