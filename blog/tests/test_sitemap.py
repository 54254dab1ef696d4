"""/sitemap.xml lists what search engines may crawl; /robots.txt points them at it."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from blog.models import Contributor, StandardPage, Topic

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.find(f"{NS}loc").text: getattr(url.find(f"{NS}lastmod"), "text", None)
        for url in root.iter(f"{NS}url")
    }


@pytest.fixture
def about(site_tree):
    home, _ = site_tree
    page = StandardPage(title="About us", slug="about", intro="Who we are.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_it_lists_home_posts_standard_pages_topics_and_authors(
    client, site_tree, about, make_post, topic, contributor
):
    home, blog_index = site_tree
    post = make_post(title="Listed")

    urls = sitemap(client)

    assert home.full_url in urls
    assert blog_index.full_url in urls
    assert about.full_url in urls
    assert post.full_url in urls
    assert "http://127.0.0.1:8000/topics/immunotherapy/" in urls
    assert "http://127.0.0.1:8000/authors/ana-ribeiro/" in urls
    assert all(url.startswith(("http://", "https://")) for url in urls)
    assert len(urls) == 6


def test_posts_topics_and_authors_carry_the_date_of_their_last_publication(
    client, make_post, topic, contributor
):
    make_post(title="Older")
    newer = make_post(title="Newer", at=None)
    day = timezone.localtime(newer.last_published_at).date().isoformat()

    urls = sitemap(client)

    assert urls[newer.full_url].startswith(day)
    assert urls["http://127.0.0.1:8000/topics/immunotherapy/"].startswith(day)
    assert urls["http://127.0.0.1:8000/authors/ana-ribeiro/"].startswith(day)


def test_drafts_unpublished_and_private_pages_are_left_out(client, make_post):
    kept = make_post(title="Public")
    draft = make_post(title="Draft", publish=False)
    withdrawn = make_post(title="Withdrawn")
    withdrawn.unpublish()
    private = make_post(title="Members only")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    urls = sitemap(client)

    assert kept.full_url in urls
    for page in (draft, withdrawn, private):
        assert not any(url.endswith(f"/{page.slug}/") for url in urls)


def test_topics_and_authors_without_published_posts_are_left_out(client, make_post):
    quiet_topic = Topic.objects.create(name="Rare cancers", slug="rare-cancers")
    draft_author = Contributor.objects.create(name="Not yet", slug="not-yet")
    make_post(title="Draft", publish=False, topics=[quiet_topic], contributors=[draft_author])
    make_post(title="Live")

    urls = sitemap(client)

    assert not any("rare-cancers" in url or "not-yet" in url for url in urls)
    assert "http://127.0.0.1:8000/authors/ana-ribeiro/" in urls


def test_sitemap_queries_do_not_grow_with_the_number_of_posts(client, make_post):
    def count():
        with CaptureQueriesContext(connection) as queries:
            sitemap(client)
        return len(queries)

    for _ in range(3):
        make_post()
    sitemap(client)
    few = count()
    for _ in range(5):
        make_post()
    many = count()

    assert many == few


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    sitemap_lines = [line for line in lines if line.startswith("Sitemap: ")]
    assert len(sitemap_lines) == 1
    assert sitemap_lines[0].startswith("Sitemap: http")
    assert sitemap_lines[0].endswith("/sitemap.xml")
