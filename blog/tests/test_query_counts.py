"""Pages cost a fixed number of queries, whatever the number of posts, authors or results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Contributor, PostCorrection

MAX_PAGE_QUERIES = 25


@pytest.fixture(autouse=True)
def _whole_render(settings):
    """Every part rendered each time: the fragments kept between renders (core/fragments.py)
    would hide what a first view after a change costs."""
    settings.FRAGMENT_CACHE = False


def count_queries(client, url):
    client.get(url)  # renditions and caches are made on the first view
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_a_post_costs_the_same_with_more_authors_corrections_and_related_posts(client, make_post):
    post = make_post(title="The post under test")
    make_post()
    baseline = count_queries(client, post.url)
    assert baseline <= MAX_PAGE_QUERIES

    for n in range(4):
        extra = Contributor.objects.create(name=f"Author {n}", slug=f"author-{n}")
        post.post_contributors.create(contributor=extra, sort_order=n + 1)
        PostCorrection.objects.create(post=post, note=f"Correction {n}")
        make_post()
    assert count_queries(client, post.url) == baseline


@pytest.mark.django_db
def test_search_costs_the_same_however_many_results(client, make_post):
    numbers = iter(range(100))
    for _ in range(2):
        make_post(title=f"Radiotherapy news {next(numbers)}")
    baseline = count_queries(client, "/search/?q=radiotherapy")
    assert baseline <= MAX_PAGE_QUERIES
    for _ in range(8):
        make_post(title=f"Radiotherapy news {next(numbers)}")
    assert count_queries(client, "/search/?q=radiotherapy") == baseline


@pytest.mark.parametrize(
    "url", ["/", "/blog/", "/topics/", "/authors/", "/corrections/", "/feed/", "/sitemap.xml"]
)
@pytest.mark.django_db
def test_every_listing_stays_under_the_query_budget(client, make_post, url):
    for _ in range(12):
        make_post()
    assert count_queries(client, url) <= MAX_PAGE_QUERIES
