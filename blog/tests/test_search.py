"""Search finds published posts, narrows by topic and kind, and survives hostile input."""

import pytest

from blog.models import Topic
from blog.search import clean_query, highlight, search_posts


@pytest.fixture
def posts(make_post, topic):
    other = Topic.objects.create(name="Survivorship", slug="survivorship")
    return {
        "checkpoint": make_post(
            title="Checkpoint inhibitors in melanoma",
            standfirst="Immunotherapy results.",
            kind="news",
        ),
        "fatigue": make_post(
            title="Living with fatigue after treatment",
            standfirst="Survivors on fatigue and checkpoint care.",
            kind="column",
            topics=[other],
        ),
        "draft": make_post(title="Checkpoint draft never published", publish=False),
    }


def test_it_finds_published_posts_by_title_and_text(posts):
    found = list(search_posts("checkpoint"))
    assert posts["checkpoint"] in found
    assert posts["draft"] not in found


def test_it_narrows_by_topic_and_kind(posts, topic):
    assert list(search_posts("checkpoint", topic=topic)) == [posts["checkpoint"]]
    assert list(search_posts("checkpoint", kind="column")) == [posts["fatigue"]]
    assert list(search_posts("checkpoint", kind="interview")) == []


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        '"unterminated',
        "checkpoint AND (NOT",
        "NEAR(a b)",
        "*",
        "a" * 5000,
        "\x00\x01 checkpoint",
        "mélanome 肺癌 🩺",
        "%' ; DROP TABLE wagtailcore_page; --",
    ],
)
def test_hostile_queries_get_a_page_not_an_error(client, posts, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body


def test_an_overlong_query_is_refused_with_a_message(client, posts):
    response = client.get("/search/", {"q": "x" * 500})
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()


def test_an_unknown_topic_or_kind_does_not_break_search(client, posts):
    assert client.get("/search/", {"q": "checkpoint", "topic": "no-such-topic"}).status_code == 200
    assert client.get("/search/", {"q": "checkpoint", "kind": "<b>"}).status_code == 200
    assert client.get("/search/", {"q": "checkpoint", "page": "999999"}).status_code == 200
    assert client.get("/search/", {"q": "checkpoint", "page": "-1'"}).status_code == 200


def test_clean_query_keeps_words_and_drops_syntax():
    assert clean_query('  "checkpoint*" OR (melanoma) ') == "checkpoint OR melanoma"
    assert clean_query("\x00bad\x07") == "bad"


def test_highlight_marks_words_and_escapes_everything_else():
    html = highlight("Checkpoint <b>inhibitors</b>", "checkpoint <b>")
    assert html == "<mark>Checkpoint</mark> &lt;b&gt;inhibitors&lt;/b&gt;"
