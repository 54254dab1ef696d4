"""Pingbacks and trackbacks (imported from WordPress) are listed as mentions, apart from the
conversation: a compact line with a safe link, no reply or report, not in the comment count."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from comments.tests.commenting import published

pytestmark = pytest.mark.django_db

PINGBACK = Comment.Kind.PINGBACK
TRACKBACK = Comment.Kind.TRACKBACK


def ping(
    post,
    url="https://www.oncology-news.example/2024/new-trial/",
    name="Oncology News",
    body="[…] a clear summary of the trial […]",
    kind=PINGBACK,
    **fields,
):
    return published(post, body=body, name=name, kind=kind, source_url=url, **fields)


def page_of(post, query=""):
    response = Client().get(post.url + query)
    assert response.status_code == 200
    return response.content.decode()


def soup(html):
    return BeautifulSoup(html, "html.parser")


def mentions(html):
    listing = soup(html).find("ol", class_="comment-list--mentions")
    return listing.find_all("li", class_="mention") if listing else []


def test_a_comment_is_a_plain_comment_unless_told_otherwise(make_post):
    comment = published(make_post())
    assert comment.kind == Comment.Kind.COMMENT
    assert comment.source_url == ""


def test_a_pingback_is_listed_under_mentions_with_a_link_that_passes_no_credit(make_post):
    post = make_post()
    published(post, body="A reader's comment.")
    mention = ping(post)
    html = page_of(post)
    page = soup(html)

    assert page.find(id="mentions-heading").get_text() == "Mentions"
    items = mentions(html)
    assert [item["id"] for item in items] == [mention.anchor]
    link = items[0].find("a", rel=True)
    assert link["href"] == "https://www.oncology-news.example/2024/new-trial/"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert link.get_text() == "Oncology News"
    assert "Pingback: mentioned on Oncology News" in items[0].get_text(" ", strip=True)
    assert "a clear summary of the trial" in items[0].get_text()
    # After the conversation, and not part of it.
    assert html.index('id="mentions-heading"') > html.index("A reader&#x27;s comment.")
    assert not page.find("li", class_="comment", id=mention.anchor)


def test_a_mention_has_no_reply_report_or_edit_link(make_post):
    post = make_post()
    mention = ping(post, kind=TRACKBACK)
    item = mentions(page_of(post))[0]
    hrefs = [a["href"] for a in item.find_all("a")]
    assert hrefs == ["https://www.oncology-news.example/2024/new-trial/", f"#{mention.anchor}"]
    assert "reply" not in item.decode().lower()
    assert "Trackback:" in item.get_text()


def test_the_comment_count_counts_the_conversation_not_the_mentions(make_post):
    post = make_post()
    ping(post)
    ping(post, url="https://another.example/post/")
    html = page_of(post)
    assert soup(html).find(class_="comments__count") is None
    assert "No comments yet." in html
    assert len(mentions(html)) == 2

    published(post)
    assert soup(page_of(post)).find(class_="comments__count").get_text() == "(1 comment)"


def test_pending_and_spam_pings_are_not_shown(make_post):
    post = make_post()
    ping(post, url="https://pending.example/", status=Comment.Status.PENDING)
    ping(post, url="https://spam.example/", status=Comment.Status.SPAM)
    html = page_of(post)
    assert "pending.example" not in html
    assert "spam.example" not in html
    assert 'id="mentions-heading"' not in html


def test_mentions_stay_oldest_first_when_the_conversation_is_newest_first(make_post):
    post = make_post()
    now = timezone.now()
    older = ping(post, url="https://older.example/", created_at=now - timezone.timedelta(days=2))
    newer = ping(post, url="https://newer.example/", created_at=now - timezone.timedelta(days=1))
    for query in ("", "?comments=newest"):
        ids = [item["id"] for item in mentions(page_of(post, query))]
        assert ids == [older.anchor, newer.anchor]


def test_a_reply_to_a_mention_stays_in_the_conversation(make_post):
    post = make_post()
    mention = ping(post)
    reply = published(post, body="Thanks for the link!", name="Editor", parent=mention)
    page = soup(page_of(post))
    conversation = page.find("ol", class_="comment-list")
    assert conversation.find("li", id=reply.anchor)
    assert [item["id"] for item in mentions(str(page))] == [mention.anchor]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "//evil.example/no-scheme",
        "https://",
        "http://[::1",
    ],
)
def test_a_source_that_is_not_an_http_address_is_never_a_link(make_post, url):
    post = make_post()
    Comment.objects.create(
        post=post,
        author_name="Evil site",
        body="excerpt",
        kind=PINGBACK,
        source_url=url,
        status=Comment.Status.APPROVED,
    )
    html = page_of(post)
    item = mentions(html)[0]
    assert item.find("a", rel=True) is None
    assert "mentioned on Evil site" in item.get_text()
    assert "script:" not in html.lower().replace("javascript:void", "")
    assert "data:text" not in html
    assert "evil.example" not in html


def test_a_mention_without_a_name_is_named_by_its_site(make_post):
    post = make_post()
    ping(post, name="", url="https://www.example.org/a/b")
    assert mentions(page_of(post))[0].find("a", rel=True).get_text() == "example.org"


def test_html_in_a_mention_is_shown_as_text(make_post):
    post = make_post()
    ping(
        post,
        name='<script>alert("name")</script><b onmouseover="x()">Site</b>',
        body='<img src=x onerror="alert(1)"> [&hellip;] <a href="javascript:x()">click</a>',
        url='https://example.org/"><script>alert(1)</script>',
    )
    html = page_of(post)
    item = mentions(html)[0]
    assert item.find("script") is None
    assert item.find("img") is None
    assert item.find("b") is None
    assert [a["href"] for a in item.find_all("a")][0] == (
        'https://example.org/"><script>alert(1)</script>'
    )
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<script>alert" not in html


def test_a_mention_nested_in_the_conversation_is_still_compact(make_post):
    """WordPress never makes a ping a reply, but an export can say so: it shows as a mention."""
    post = make_post()
    parent = published(post, body="Top comment.")
    nested = ping(post, parent=parent)
    page = soup(page_of(post))
    item = page.find("li", id=nested.anchor)
    assert "mentioned on Oncology News" in item.get_text()
    assert "Reply" not in item.get_text()
    assert "Report" not in item.get_text()
    assert page.find(class_="comments__count").get_text() == "(1 comment)"


def queries_for(post):
    reader = Client()
    reader.get(post.url)
    with CaptureQueriesContext(connection) as queries:
        reader.get(post.url)
    return len(queries)


def test_mentions_cost_no_query_each(make_post, settings):
    settings.COMMENT_THREAD_CACHE = False  # render every time: the cache would hide the cost
    post = make_post()
    published(post)
    ping(post)
    baseline = queries_for(post)
    for n in range(10):
        ping(post, url=f"https://site-{n}.example/")
        published(post, body=f"Comment {n}")
    assert queries_for(post) == baseline


def test_the_cached_thread_keeps_the_mentions_and_shows_a_new_one_at_once(make_post, settings):
    settings.COMMENT_THREAD_CACHE = True
    post = make_post()
    ping(post)
    first = page_of(post)
    with CaptureQueriesContext(connection) as cached:
        again = page_of(post)
    assert again == first
    assert not [q for q in cached if q["sql"].startswith('SELECT "comments_comment"')]
    assert len(mentions(again)) == 1

    ping(post, url="https://second.example/")
    assert len(mentions(page_of(post))) == 2


def test_a_thread_stored_by_the_previous_code_is_not_read(make_post, settings):
    """Before mentions, the cache held (html, count) under a key without "v2"; a shared cache
    that outlives a deploy must not hand that shape to the new code."""
    from django.core.cache import cache

    from core.pagecache import current_generation

    settings.COMMENT_THREAD_CACHE = True
    post = make_post()
    published(post, body="Fresh comment.")
    cache.set(f"comments:thread:{post.pk}:0:{current_generation()}", ("stale", 99))
    html = page_of(post)
    assert "Fresh comment." in html
    assert "(99 comments)" not in html


def test_post_cards_and_the_comment_feed_leave_the_mentions_out(make_post):
    import feedparser

    post = make_post(title="A trial summary")
    published(post, body="A reader's comment.")
    ping(post, body="A mention from another site.")

    card = soup(Client().get("/blog/").content.decode()).find("a", class_="card__comments")
    assert card.get_text(" ", strip=True).startswith("1 comment ")
    feed = feedparser.parse(Client().get(f"/comments/feed/{post.pk}/").content)
    assert len(feed.entries) == 1
    assert "A reader" in feed.entries[0].summary
