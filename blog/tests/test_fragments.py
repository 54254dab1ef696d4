"""Fragments of public pages kept between renders (core/fragments.py, issue 14): a reader the
page cache does not serve gets the same bytes as one it serves, and nothing stale.

Runs on the configured cache: local memory by default, Redis with CACHE_URL.
"""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from core import fragments

# Headers that differ between any two responses, whichever path served them.
PER_RESPONSE = {"X-Request-ID", "Last-Modified"}


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    settings.PAGE_CACHE_GENERATION_FILE = tmp_path / "pagecache-generation"
    settings.FRAGMENT_CACHE = True
    cache.clear()


@pytest.fixture
def post(make_post):
    from comments.models import Comment

    post = make_post(title="Checkpoint inhibitors in older patients")
    make_post(title="A related post")  # same topic: the post lists it as related
    now = timezone.now()
    top = None
    for n in range(6):
        comment = Comment.objects.create(
            post=post,
            parent=top if n % 3 == 2 else None,
            author_name=f"Reader {n}",
            body=f"Comment {n}: thank you.",
            status=Comment.Status.APPROVED,
            created_at=now - timezone.timedelta(minutes=10 - n),
            approved_at=now,
        )
        top = comment if n % 3 != 2 else top
    return post


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def headers(response):
    return {name: value for name, value in response.items() if name not in PER_RESPONSE}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "post",
        "post?comments=newest",
        "/topics/immunotherapy/",
        "/topics/immunotherapy/?page=1&utm_source=x",
        "/feed/",
        "/feed/atom/",
        "/search/?q=checkpoint",
        "/blog/",
    ],
)
def test_cached_and_uncached_pages_are_byte_for_byte_the_same(client, post, settings, url):
    url = url.replace("post", post.url) if url.startswith("post") else url
    settings.PAGE_CACHE, settings.FRAGMENT_CACHE = False, False
    rendered = fetch(client, url)  # everything rendered now: the reference
    settings.FRAGMENT_CACHE = True
    stores = fetch(client, url)  # fragments rendered and stored
    reuses = fetch(client, url)  # fragments from the cache
    settings.PAGE_CACHE = True
    fetch(client, url)  # the page stored
    cached = fetch(client, url)  # the page from the page cache
    assert cached.has_header("Last-Modified")  # it did come from the page cache
    for response in (stores, reuses, cached):
        assert response.content == rendered.content
        assert headers(response) == headers(rendered)


def test_an_uncached_post_reads_fewer_queries_once_its_fragments_are_stored(
    client, post, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = False
    fetch(client, post.url)
    # The site, routing to the page and its view restrictions (26 for the whole render);
    # none for the article, its comments or its related posts.
    with django_assert_max_num_queries(8):
        fetch(client, post.url)


# Nothing stale: what moves the page cache's generation on also refreshes every fragment --------


def test_an_approved_comment_shows_at_once_without_the_page_cache(client, post, settings):
    from comments.models import Comment
    from comments.services import moderate

    settings.PAGE_CACHE = False
    comment = Comment.objects.create(
        post=post, author_name="Marta", body="This helped my mother.", status="pending"
    )
    assert b"This helped my mother." not in fetch(client, post.url).content
    moderate(Comment.objects.filter(pk=comment.pk), "approve")
    assert b"This helped my mother." in fetch(client, post.url).content


def test_renaming_a_topic_shows_everywhere_without_the_page_cache(client, post, topic, settings):
    settings.PAGE_CACHE = False
    urls = [post.url, "/topics/immunotherapy/", "/", "/feed/"]
    for url in urls:
        fetch(client, url)
    topic.name = "Immuno-oncology"
    topic.save()
    for url in urls:
        assert b"Immuno-oncology" in fetch(client, url).content, url


def test_a_published_edit_shows_at_once_without_the_page_cache(client, post, settings):
    settings.PAGE_CACHE = False
    fetch(client, post.url)
    post.standfirst = "A new standfirst, published."
    post.save_revision().publish()
    body = fetch(client, post.url).content
    assert b"A new standfirst, published." in body


def test_a_preview_never_reads_nor_stores_fragments():
    request = RequestFactory().get("/")
    assert fragments.is_enabled(request)
    request.is_preview = True
    assert not fragments.is_enabled(request)
    rendered = []
    for _ in range(2):
        fragments.cached(request, "test", [1], lambda: rendered.append(1) or "text")
    assert len(rendered) == 2


def test_the_fragment_cache_switch(settings):
    request = RequestFactory().get("/")
    settings.FRAGMENT_CACHE = False
    assert not fragments.is_enabled(request)


def test_a_down_cache_still_renders(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    request = RequestFactory().get("/")
    request._fragment_generation = "1"
    assert fragments.cached(request, "test", [1], lambda: "text") == "text"


def test_each_page_keeps_its_own_place_in_the_navigation(client, post, settings):
    settings.PAGE_CACHE = False
    for _ in range(2):  # stored, then from the cache
        home = fetch(client, "/").content.decode()
        topic = fetch(client, "/topics/immunotherapy/").content.decode()
        assert 'href="/" aria-current="page"' in home
        assert 'href="/topics/" aria-current="true"' in topic
        assert 'href="/" aria-current' not in topic
