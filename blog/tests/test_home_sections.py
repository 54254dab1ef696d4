"""The home page: a lead story, the latest posts, the columns, then a section per topic, and
no post shown twice (issue 17: the same column was under both 'Latest' and 'Columns')."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import PostPage, Topic
from blog.models.home import LATEST_COUNT, PER_TOPIC_COUNT, home_sections

pytestmark = pytest.mark.django_db


def sections():
    posts = PostPage.objects.published().for_listing()
    return home_sections(posts, list(Topic.objects.all()), column_kind="column")


@pytest.fixture
def screening(db):
    return Topic.objects.create(name="Screening", slug="screening")


def test_the_newest_featured_post_leads(make_post):
    make_post(title="Newest")
    make_post(title="Featured", featured=True)
    make_post(title="Older featured", featured=True)

    assert sections().lead.title == "Featured"


def test_without_a_featured_post_the_newest_leads(make_post):
    make_post(title="Newest")
    make_post(title="Older")

    home = sections()
    assert home.lead.title == "Newest"
    assert [post.title for post in home.latest] == ["Older"]


def test_nothing_published_leaves_every_section_empty(site_tree):
    home = sections()
    assert not home and home.shown() == []


def test_a_column_among_the_latest_is_not_repeated_under_columns(make_post):
    make_post(title="Lead")
    make_post(title="Recent column", kind="column")
    for n in range(LATEST_COUNT):
        make_post(title=f"News {n}")
    make_post(title="Older column", kind="column")

    home = sections()
    assert "Recent column" in [post.title for post in home.latest]
    assert [post.title for post in home.columns] == ["Older column"]


def test_topic_sections_show_what_is_left_freshest_topic_first(make_post, topic, screening):
    for n in range(1 + LATEST_COUNT):  # the lead and the latest; no column
        make_post(title=f"Top {n}", topics=[topic, screening])
    make_post(title="Screening A", topics=[screening])
    make_post(title="Both", topics=[topic, screening])
    make_post(title="Immuno A", topics=[topic])

    home = sections()
    assert [(t.name, [p.title for p in posts]) for t, posts in home.by_topic] == [
        ("Screening", ["Screening A", "Both"]),
        ("Immunotherapy", ["Immuno A"]),
    ]


def test_a_topic_section_holds_at_most_its_share(make_post, topic):
    for n in range(1 + LATEST_COUNT + PER_TOPIC_COUNT + 2):
        make_post(title=f"Post {n}")

    (section_topic, posts), *_ = sections().by_topic
    assert section_topic == topic and len(posts) == PER_TOPIC_COUNT


def test_every_post_shows_once(make_post, topic, screening):
    for n in range(30):
        make_post(
            kind="column" if n % 4 == 0 else "news",
            featured=n == 7,
            topics=[topic, screening] if n % 3 else [screening],
        )

    shown = [post.pk for post in sections().shown()]
    assert len(shown) == len(set(shown)) > 1 + LATEST_COUNT


def card_links(html):
    return re.findall(r'class="card__link" href="([^"]+)"', html)


def test_the_home_page_links_each_post_from_one_card_only(client, make_post, topic, screening):
    for n in range(20):
        make_post(kind="column" if n % 3 == 0 else "feature", topics=[topic, screening])

    html = client.get("/").content.decode()
    links = card_links(html)
    assert len(links) == len(set(links)) > 1 + LATEST_COUNT
    assert 'id="columns-heading"' in html and 'id="topic-screening-heading"' in html


def count_home_queries(client):
    client.get("/")  # renditions and caches are made on the first view
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_however_many_posts_and_topics(
    client, settings, make_post, topic
):
    settings.FRAGMENT_CACHE = False
    make_post(featured=True)
    make_post(kind="column")
    baseline = count_home_queries(client)

    for n in range(12):
        extra = Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}")
        make_post(kind="column" if n % 2 else "news", topics=[topic, extra])
    assert count_home_queries(client) == baseline
