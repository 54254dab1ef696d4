"""RSS 2.0, Atom and JSON Feed 1.1 for the site, each topic and each contributor."""

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from blog.models import Contributor, Topic

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
TRICKY_TITLE = 'Café <b>& "quotes"</b>'

SITE = ("/feed/", "/feed/atom/", "/feed/json/")
TOPIC = tuple(f"/topics/immunotherapy{url}" for url in SITE)
CONTRIBUTOR = tuple(f"/authors/ana-ribeiro{url}" for url in SITE)
ALL_FEEDS = SITE + TOPIC + CONTRIBUTOR
CONTENT_TYPES = {
    "/feed/": "application/rss+xml; charset=utf-8",
    "/feed/atom/": "application/atom+xml; charset=utf-8",
    "/feed/json/": "application/feed+json; charset=utf-8",
}


def kind(url):
    return "json" if url.endswith("/json/") else "atom" if url.endswith("/atom/") else "rss"


def content_type(url):
    return CONTENT_TYPES["/feed/" if kind(url) == "rss" else f"/feed/{kind(url)}/"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def image(db):
    return Image.objects.create(title="Ward", file=get_test_image_file(size=(1600, 900)))


@pytest.fixture
def other_topic(db):
    return Topic.objects.create(name="Screening", slug="screening")


@pytest.fixture
def other_contributor(db):
    return Contributor.objects.create(name="Jan de Vries", slug="jan-de-vries")


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == content_type(url)
    return response


def entries(client, url):
    """(title, content html, link) per entry, read with the same parser a feed reader would use."""
    response = fetch(client, url)
    if kind(url) == "json":
        return [
            (i["title"], i["content_html"], i["url"]) for i in json.loads(response.content)["items"]
        ]
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return [(e.title, e.content[0].value, e.link) for e in parsed.entries]


def raw_titles(client, url):
    """Item titles exactly as the document carries them, unescaped once by an XML/JSON parser."""
    content = fetch(client, url).content
    if kind(url) == "json":
        return [item["title"] for item in json.loads(content)["items"]]
    root = ET.fromstring(content)
    if kind(url) == "atom":
        return [e.find(f"{ATOM}title").text for e in root.iter(f"{ATOM}entry")]
    return [item.find("title").text for item in root.iter("item")]


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_each_feed_lists_published_posts_newest_first_with_full_content(client, make_post, url):
    make_post(title="Older", body=[("paragraph", "<p>The whole older story.</p>")])
    make_post(title="Newer", body=[("paragraph", "<p>The whole newer story.</p>")], at=None)

    found = entries(client, url)

    assert [title for title, _, _ in found] == ["Newer", "Older"]
    assert "The whole newer story." in found[0][1]
    assert "What post 2 is about." in found[0][1]
    assert found[0][2].endswith("/blog/newer/")


def test_rss_carries_content_encoded_and_atom_carries_html_content(client, make_post):
    make_post(title="Full text", body=[("paragraph", "<p>Every word.</p>")])

    rss = ET.fromstring(fetch(client, "/feed/").content)
    atom = ET.fromstring(fetch(client, "/feed/atom/").content)

    assert "Every word." in rss.find("channel/item").find(CONTENT_ENCODED).text
    content = atom.find(f"{ATOM}entry/{ATOM}content")
    assert content.get("type") == "html"
    assert "Every word." in content.text


def test_the_json_feed_follows_version_1_1(client, make_post, contributor, image):
    post = make_post(
        title="Jason",
        standfirst="A summary.",
        hero_image=image,
        hero_alt="A hospital ward",
        tags=["trials"],
    )

    document = json.loads(fetch(client, "/feed/json/").content)

    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "The Cancer Blog"
    assert document["feed_url"].endswith("/feed/json/")
    assert document["home_page_url"].startswith("http")
    (item,) = document["items"]
    assert item["id"] == item["url"] == post.full_url
    assert item["title"] == "Jason"
    assert item["summary"] == "A summary."
    assert "<p>" in item["content_html"]
    assert item["date_published"] == post.first_published_at.isoformat()
    assert item["authors"] == [
        {"name": "Dr Ana Ribeiro", "url": "http://127.0.0.1:8000/authors/ana-ribeiro/"}
    ]
    assert item["tags"] == ["Immunotherapy"]
    assert re.match(r"^https?://[^/]+/media/images/.+\.jpg$", item["image"])


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_links_and_images_in_feed_content_are_absolute(client, make_post, blog_index, image, url):
    body = [
        (
            "paragraph",
            '<p><a href="/about/">About us</a> and '
            f'<a linktype="page" id="{blog_index.pk}">all posts</a>.</p>',
        ),
        ("image", {"image": image, "alt": "A chart", "caption": "", "credit": ""}),
    ]
    make_post(title="Linked", body=body, hero_image=image, hero_alt="A hospital ward")

    ((_, html, link),) = entries(client, url)

    assert link.startswith("http")
    assert "<img" in html and "/about/" in html and "/blog/" in html
    assert not re.search(r'(?:src|href|poster)="/', html)
    srcsets = re.findall(r'srcset="([^"]*)"', html)
    assert all(candidate.strip().startswith("http") for s in srcsets for candidate in s.split(","))


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_a_title_with_markup_and_unicode_survives_as_text(client, make_post, url):
    make_post(title=TRICKY_TITLE, slug="cafe")

    assert raw_titles(client, url) == [TRICKY_TITLE]
    assert b"<b>" not in fetch(client, url).content
    if kind(url) != "json":
        assert feedparser.parse(fetch(client, url).content).entries[0].title == TRICKY_TITLE


def test_a_plain_text_standfirst_is_html_escaped_where_feeds_expect_html(client, make_post):
    make_post(title="Less than", standfirst="Doses <5 mg & more")

    rss = ET.fromstring(fetch(client, "/feed/").content)
    atom = ET.fromstring(fetch(client, "/feed/atom/").content)
    document = json.loads(fetch(client, "/feed/json/").content)

    assert rss.find("channel/item/description").text == escape("Doses <5 mg & more")
    summary = atom.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == escape("Doses <5 mg & more")
    assert document["items"][0]["summary"] == "Doses <5 mg & more"
    # What a reader shows: HTML that displays as the standfirst's text.
    assert feedparser.parse(fetch(client, "/feed/").content).entries[0].summary == escape(
        "Doses <5 mg & more"
    )


def test_drafts_unpublished_and_private_posts_never_appear(client, make_post):
    make_post(title="Public")
    make_post(title="Draft", publish=False)
    make_post(title="Withdrawn").unpublish()
    private = make_post(title="Members only")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    live = make_post(title="Live title")
    live.title = "Unpublished edit"
    live.save_revision()

    for url in ALL_FEEDS:
        titles = [title for title, _, _ in entries(client, url)]
        assert sorted(titles) == ["Live title", "Public"], url


def test_a_republished_post_shows_its_new_text_at_once(client, make_post):
    post = make_post(title="Changing", body=[("paragraph", "<p>First version.</p>")])
    assert "First version." in entries(client, "/feed/")[0][1]

    post.body = [("paragraph", "<p>Corrected version.</p>")]
    post.save_revision().publish()

    for url in SITE:
        (entry,) = entries(client, url)
        assert "Corrected version." in entry[1]
        assert "First version." not in entry[1]


def test_topic_and_contributor_feeds_hold_only_their_own_posts(
    client, make_post, other_topic, other_contributor
):
    make_post(title="Ours")
    make_post(title="Other topic", topics=[other_topic], contributors=[other_contributor])

    assert [t for t, _, _ in entries(client, "/topics/immunotherapy/feed/")] == ["Ours"]
    assert [t for t, _, _ in entries(client, "/topics/screening/feed/json/")] == ["Other topic"]
    assert [t for t, _, _ in entries(client, "/authors/ana-ribeiro/feed/atom/")] == ["Ours"]
    assert [t for t, _, _ in entries(client, "/authors/jan-de-vries/feed/")] == ["Other topic"]
    assert len(entries(client, "/feed/")) == 2


def test_feeds_name_themselves_with_absolute_addresses(client, make_post):
    make_post()

    rss = feedparser.parse(fetch(client, "/topics/immunotherapy/feed/").content)
    atom = feedparser.parse(fetch(client, "/authors/ana-ribeiro/feed/atom/").content)
    document = json.loads(fetch(client, "/topics/immunotherapy/feed/json/").content)

    assert rss.feed.title == "Immunotherapy — The Cancer Blog"
    assert rss.feed.link == "http://127.0.0.1:8000/topics/immunotherapy/"
    assert atom.feed.title == "Dr Ana Ribeiro — The Cancer Blog"
    assert atom.feed.link == "http://127.0.0.1:8000/authors/ana-ribeiro/"
    self_links = [link.href for link in atom.feed.links if link.rel == "self"]
    assert self_links == ["http://127.0.0.1:8000/authors/ana-ribeiro/feed/atom/"]
    assert document["home_page_url"] == "http://127.0.0.1:8000/topics/immunotherapy/"
    assert document["feed_url"] == "http://127.0.0.1:8000/topics/immunotherapy/feed/json/"


@pytest.mark.parametrize(
    "url",
    [u.replace("immunotherapy", "no-such-topic") for u in TOPIC]
    + [u.replace("ana-ribeiro", "nobody") for u in CONTRIBUTOR],
)
def test_an_unknown_topic_or_contributor_has_no_feed(client, db, url):
    assert client.get(url).status_code == 404


def test_an_empty_feed_is_still_valid(client, site_tree, topic):
    for url in SITE + TOPIC:
        assert entries(client, url) == []


def count_queries(client, url):
    # The first request creates image renditions and renders each new post once; later ones
    # only read them.
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feed_queries_do_not_grow_with_the_number_of_posts(
    client, make_post, blog_index, image, other_topic, other_contributor, contributor, topic
):
    def add(count):
        for _ in range(count):
            make_post(
                hero_image=image,
                hero_alt="A hospital ward",
                contributors=[contributor, other_contributor],
                topics=[topic, other_topic],
                tags=["trials", "europe"],
                body=[
                    ("paragraph", f'<p>See <a linktype="page" id="{blog_index.pk}">all</a>.</p>'),
                    ("image", {"image": image, "alt": "A chart", "caption": "", "credit": ""}),
                ],
            )

    add(3)
    few = {url: count_queries(client, url) for url in ALL_FEEDS}
    add(5)
    many = {url: count_queries(client, url) for url in ALL_FEEDS}

    assert many == few
    assert max(many.values()) <= 8
