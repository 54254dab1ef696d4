"""The whole-page cache for anonymous readers (core/pagecache.py, core/signals.py).

Runs on the configured cache: local memory by default, Redis with
CACHE_URL=redis://127.0.0.1:6379/15.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from core import pagecache

# A few views only these tests need, in front of the site's own URLs.


def sets_a_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("flavour", "oat")
    return response


def uses_a_nonce(request):
    return HttpResponse(f"<script nonce='{request._csp_nonce}'></script>")


def varies_on_language(request):
    response = HttpResponse("bonjour")
    response["Vary"] = "Accept-Language"
    return response


urlpatterns = [
    path("test-cookie/", sets_a_cookie),
    path("test-nonce/", uses_a_nonce),
    path("test-vary/", varies_on_language),
    path("", include("cancerblog.urls")),
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings, tmp_path):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_GENERATION_FILE = tmp_path / "pagecache-generation"
    # These tests tell a render from a stored page by its queries; with the route kept
    # (core/routes.py) and every fragment stored, a render may read none.
    settings.ROUTE_CACHE = False
    cache.clear()


@pytest.fixture
def post(make_post):
    return make_post(title="Checkpoint inhibitors in older patients")


@pytest.fixture
def standard_page(site_tree):
    from blog.models import StandardPage

    home = site_tree[0]
    page = StandardPage(title="About us", slug="about", intro="Who we are.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def fetch(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def assert_cached(client, url, django_assert_num_queries, **extra):
    """The first request renders and stores; the second makes no query and is identical."""
    first = fetch(client, url, **extra)
    with django_assert_num_queries(0):
        second = fetch(client, url, **extra)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    return second


# What is cached ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/blog/",
        "/topics/",
        "/topics/immunotherapy/",
        "/topics/immunotherapy/feed/",
        "/authors/",
        "/authors/ana-ribeiro/",
        "/authors/ana-ribeiro/feed/json/",
        "/feed/",
        "/feed/atom/",
        "/feed/json/",
        "/sitemap.xml",
        "/robots.txt",
        "/corrections/",
        "/search/?q=checkpoint",
    ],
)
def test_a_second_anonymous_request_makes_no_query(client, post, url, django_assert_num_queries):
    response = assert_cached(client, url, django_assert_num_queries)
    assert "public" in response["Cache-Control"]
    assert response["ETag"]


def test_posts_and_standard_pages_are_cached(
    client, post, standard_page, django_assert_num_queries
):
    body = assert_cached(client, post.url, django_assert_num_queries).content.decode()
    assert "Checkpoint inhibitors in older patients" in body
    assert_cached(client, standard_page.url, django_assert_num_queries)


def test_cached_pages_keep_the_security_headers(client, post, django_assert_num_queries):
    response = assert_cached(client, post.url, django_assert_num_queries)
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.cookies


def test_cache_control_for_browsers_and_a_front_cache(client, post, settings):
    settings.PAGE_CACHE_BROWSER_SECONDS = 60
    settings.PAGE_CACHE_FRONT_SECONDS = 300
    response = fetch(client, post.url)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=60", "s-maxage=300"}
    assert "Cookie" not in response.get("Vary", "")


def test_browsers_revalidate_by_default_so_a_commenter_never_sees_an_old_copy(client, post):
    from django.conf import settings as django_settings
    from django.test.utils import override_settings

    import cancerblog.settings as defaults

    assert defaults.PAGE_CACHE_BROWSER_SECONDS == 0
    with override_settings(PAGE_CACHE_BROWSER_SECONDS=defaults.PAGE_CACHE_BROWSER_SECONDS):
        response = fetch(client, post.url)
    assert "max-age=0" in response["Cache-Control"]
    assert f"s-maxage={django_settings.PAGE_CACHE_FRONT_SECONDS}" in response["Cache-Control"]


def test_a_view_keeps_its_own_cache_control(client, db):
    assert fetch(client, "/robots.txt")["Cache-Control"] in (
        "max-age=86400, public",
        "public, max-age=86400",
    )


def test_head_is_served_from_the_stored_page(client, post, django_assert_num_queries):
    fetch(client, post.url)
    with django_assert_num_queries(0):
        response = client.head(post.url)
    assert response.status_code == 200


def test_search_results_are_kept_briefly(client, post, settings):
    settings.PAGE_CACHE_SHORT_SECONDS = 7
    fetch(client, "/search/?q=checkpoint")
    request = client.get("/search/?q=checkpoint").wsgi_request
    key = pagecache.page_key(request)
    if hasattr(cache, "ttl"):  # django-redis only; the built-in backends have no TTL query
        assert cache.ttl(key) <= 7
    assert cache.get(key) is not None


def test_search_pages_differ_by_query(client, post, make_post):
    other = make_post(title="Radiotherapy fatigue")
    first = fetch(client, "/search/?q=checkpoint").content.decode()
    second = fetch(client, "/search/?q=radiotherapy").content.decode()
    assert post.url in first and other.url not in first
    assert other.url in second


def test_parameter_order_does_not_split_the_cache(client, post, django_assert_num_queries):
    fetch(client, "/search/?q=checkpoint&kind=")
    with django_assert_num_queries(0):
        fetch(client, "/search/?kind=&q=checkpoint")


def test_tracking_parameters_share_the_page_and_never_show_in_it(
    client, make_post, django_assert_num_queries
):
    for _ in range(25):  # enough for a second page of the listing
        make_post()
    plain = fetch(client, "/blog/?page=2")
    with django_assert_num_queries(0):
        shared = fetch(client, "/blog/?page=2&utm_source=x&fbclid=AbC123")
    assert shared.content == plain.content
    assert b"fbclid" not in shared.content and b"utm_source" not in shared.content


# What is never cached ------------------------------------------------------------------------


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url, **extra)
    return len(queries)


def test_a_signed_in_editor_never_gets_nor_stores_a_cached_page(client, post, make_user):
    editor = make_user("ed", is_staff=True, is_superuser=True)
    client.force_login(editor)
    response = fetch(client, post.url)
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not cache.get(pagecache.page_key(response.wsgi_request))

    anonymous = client.__class__()
    fetch(anonymous, post.url)  # stores the reader's copy
    assert queries_for(client, post.url) > 0


def test_an_editors_preview_never_reaches_readers(client, post, make_user):
    editor = make_user("ed", is_staff=True, is_superuser=True)
    client.force_login(editor)
    post.title = "Unpublished headline"
    post.save_revision()
    preview = client.get(f"/admin/pages/{post.pk}/edit/preview/")
    assert preview.status_code in (200, 405)
    reader = client.__class__()
    assert b"Unpublished headline" not in fetch(reader, post.url).content
    assert b"Unpublished headline" not in fetch(reader, post.url).content


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "csrftoken=abc"},
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
    ],
)
def test_requests_with_a_session_a_token_or_credentials_bypass_the_cache(client, post, extra):
    fetch(client, post.url)  # an anonymous copy is stored
    assert queries_for(client, post.url, **extra) > 0
    response = client.get(post.url, **extra)
    assert "private" in response["Cache-Control"]
    cache.clear()
    client.get(post.url, **extra)
    key = pagecache.page_key(response.wsgi_request)
    assert cache.get(key) is None


def test_other_cookies_still_get_the_cached_page(client, post, django_assert_num_queries):
    fetch(client, post.url)
    with django_assert_num_queries(0):
        fetch(client, post.url, HTTP_COOKIE="commenter=signed-value; theme=dark")


def test_a_response_setting_a_cookie_is_not_stored(client, settings, db):
    settings.ROOT_URLCONF = __name__
    response = fetch(client, "/test-cookie/")
    assert response.cookies["flavour"].value == "oat"
    assert cache.get(pagecache.page_key(response.wsgi_request)) is None
    assert "public" not in response.get("Cache-Control", "")


def test_a_page_rendered_with_a_csp_nonce_is_not_stored(client, settings, db):
    settings.ROOT_URLCONF = __name__
    response = fetch(client, "/test-nonce/")
    assert cache.get(pagecache.page_key(response.wsgi_request)) is None


def test_a_page_varying_on_another_header_is_not_stored(client, settings, db):
    settings.ROOT_URLCONF = __name__
    response = fetch(client, "/test-vary/")
    assert cache.get(pagecache.page_key(response.wsgi_request)) is None


@pytest.mark.parametrize("url", ["/comments/token/", "/subscribe/", "/write-for-us/submit/"])
def test_never_cache_views_are_not_stored(client, post, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert cache.get(pagecache.page_key(response.wsgi_request)) is None


def test_not_found_pages_are_not_stored(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert cache.get(pagecache.page_key(response.wsgi_request)) is None


def test_posts_are_not_stored_for_writes(client, post):
    client.post(post.url, {"x": "1"})
    assert cache.get(pagecache.page_key(client.get(post.url).wsgi_request)) is not None
    cache.clear()
    client.post(post.url, {"x": "1"})
    request = client.post(post.url).wsgi_request
    assert cache.get(pagecache.page_key(request)) is None


def test_hostile_query_strings_are_served_but_not_stored(client, post):
    hostile = "q=" + "%27%20OR%201%3D1--" * 40
    response = client.get("/search/?" + hostile)
    assert response.status_code == 200
    assert pagecache.page_key(response.wsgi_request) is None


def test_a_forged_host_is_refused_not_cached(client, post):
    response = client.get(post.url, HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_the_admin_is_never_cached(client, make_user):
    response = client.get("/admin/login/")
    assert cache.get(pagecache.page_key(response.wsgi_request)) is None


# Invalidation --------------------------------------------------------------------------------


def test_publishing_a_post_shows_at_once_on_home_topic_and_feeds(
    client, post, make_post, django_assert_num_queries
):
    urls = ["/", "/blog/", "/topics/immunotherapy/", "/feed/", "/feed/json/", "/sitemap.xml"]
    for url in urls:
        assert_cached(client, url, django_assert_num_queries)
    make_post(title="A new trial for pancreatic cancer", at=timezone.now())
    for url in urls:
        assert b"pancreatic" in fetch(client, url).content, url


def test_unpublishing_a_post_removes_it_at_once(client, post):
    assert b"Checkpoint inhibitors" in fetch(client, "/").content
    post.unpublish()
    assert b"Checkpoint inhibitors" not in fetch(client, "/").content
    assert client.get(post.url).status_code == 404


def test_deleting_and_moving_pages_invalidate(client, post, standard_page, site_tree):
    assert fetch(client, standard_page.url)
    before = pagecache.current_generation()
    standard_page.move(site_tree[1], pos="last-child")
    assert pagecache.current_generation() != before
    before = pagecache.current_generation()
    standard_page.delete()
    assert pagecache.current_generation() != before


def test_saving_a_draft_keeps_the_cached_pages(client, post, django_assert_num_queries):
    fetch(client, post.url)
    post.title = "A draft headline"
    post.save_revision()
    with django_assert_num_queries(0):
        response = fetch(client, post.url)
    assert b"A draft headline" not in response.content


def test_scheduled_publishing_invalidates(client, blog_index, contributor, topic):
    from wagtail.models import Revision

    from blog.services import add_post, publish_due_posts

    fetch(client, "/")
    post = add_post(
        blog_index,
        title="Scheduled for the morning",
        standfirst="Published by the scheduler.",
        contributors=[contributor],
        publish=False,
    )
    post.go_live_at = timezone.now() + timezone.timedelta(hours=1)
    post.save_revision().publish()
    assert not post.live
    # The morning has come: move the scheduled time a minute into the past.
    past = timezone.now() - timezone.timedelta(minutes=1)
    revision = Revision.objects.get(object_id=str(post.pk), approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    assert b"Scheduled for the morning" not in fetch(client, "/").content
    publish_due_posts()
    post.refresh_from_db()
    assert post.live
    assert b"Scheduled for the morning" in fetch(client, "/").content


def test_approving_a_comment_shows_it_and_rejecting_hides_it(client, post):
    from comments.models import Comment
    from comments.services import moderate

    comment = Comment.objects.create(
        post=post, author_name="Marta", body="This helped my mother.", status="pending"
    )
    assert b"This helped my mother." not in fetch(client, post.url).content
    moderate(Comment.objects.filter(pk=comment.pk), "approve")
    assert b"This helped my mother." in fetch(client, post.url).content
    moderate(Comment.objects.filter(pk=comment.pk), "reject")
    assert b"This helped my mother." not in fetch(client, post.url).content


def test_editing_or_removing_a_comment_shows_at_once(client, post):
    from comments.models import Comment
    from comments.services import remove_comment

    comment = Comment.objects.create(
        post=post, author_name="Marta", body="First words.", status="approved"
    )
    assert b"First words." in fetch(client, post.url).content
    comment.body = "Second thoughts."
    comment.save(update_fields=["body"])
    assert b"Second thoughts." in fetch(client, post.url).content
    remove_comment(comment)
    assert b"Second thoughts." not in fetch(client, post.url).content


def test_a_new_comment_waiting_for_moderation_keeps_the_cache(
    client, post, django_assert_num_queries
):
    from comments.models import Comment

    fetch(client, post.url)
    Comment.objects.create(post=post, author_name="Spam", body="Buy now.", status="unconfirmed")
    with django_assert_num_queries(0):
        fetch(client, post.url)


def test_renaming_a_topic_shows_everywhere(client, post, topic):
    urls = [post.url, "/topics/", "/topics/immunotherapy/", "/"]
    for url in urls:
        fetch(client, url)
    topic.name = "Immuno-oncology"
    topic.save()
    for url in urls:
        assert b"Immuno-oncology" in fetch(client, url).content, url


def test_renaming_a_contributor_shows_on_their_posts(client, post, contributor):
    fetch(client, post.url)
    contributor.name = "Prof. Ana Ribeiro"
    contributor.save()
    assert b"Prof. Ana Ribeiro" in fetch(client, post.url).content


def test_changing_site_settings_shows_at_once(client, post, site_tree):
    from wagtail.models import Site

    from core.models import SiteSettings

    fetch(client, "/")
    settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.tagline = "Talking about cancer care, together."
    settings_row.save()
    assert b"Talking about cancer care, together." in fetch(client, "/").content
    assert b"Talking about cancer care, together." in fetch(client, post.url).content


def test_changing_comment_settings_invalidates(site_tree):
    from wagtail.models import Site

    from comments.models import CommentSettings

    before = pagecache.current_generation()
    rules = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    rules.save()
    assert pagecache.current_generation() != before


def test_a_new_redirect_takes_over_a_cached_url(client, post, site_tree):
    from wagtail.contrib.redirects.models import Redirect

    response = client.get("/old-address/")
    assert response.status_code == 404
    Redirect.objects.create(old_path="/old-address", redirect_link=post.url)
    response = client.get("/old-address/")
    assert response.status_code in (301, 302)


def test_another_process_invalidating_is_seen(client, post, django_assert_num_queries):
    """The scheduler and the task worker are other processes (other hosts, with Redis)."""
    fetch(client, post.url)
    if pagecache._is_shared(pagecache._cache()):
        cache.incr(pagecache.GENERATION_KEY)  # what another host's invalidate() does
    else:
        pagecache._bump_file_generation()  # what the scheduler's process does
    response = client.get(post.url)
    assert response.status_code == 200
    # Served again after a render, not from the stale copy.
    with django_assert_num_queries(0):
        fetch(client, post.url)


def test_the_generation_is_read_again_after_its_window(settings):
    """Each process trusts the generation it read for PAGE_CACHE_GENERATION_SECONDS."""
    settings.PAGE_CACHE_GENERATION_SECONDS = 0.1
    now = [1000.0]
    recent = pagecache.RecentGeneration(clock=lambda: now[0])
    cache.set(pagecache.GENERATION_KEY, 10, timeout=None)
    assert recent.get(cache) == 10
    cache.incr(pagecache.GENERATION_KEY)  # another process invalidates
    now[0] += 0.05
    assert recent.get(cache) == 10  # within the window: not read again
    now[0] += 0.06
    assert recent.get(cache) == 11  # the window is over: read again
    recent.forget()
    cache.incr(pagecache.GENERATION_KEY)
    assert recent.get(cache) == 12  # forgotten: read at once


def test_a_change_in_this_process_is_seen_at_once(settings, client, post):
    if not pagecache._is_shared(pagecache._cache()):
        pytest.skip("the generation is a file with a process-local cache")
    settings.PAGE_CACHE_GENERATION_SECONDS = 3600
    fetch(client, post.url)
    before = pagecache.current_generation()
    pagecache.invalidate()
    assert pagecache.current_generation() != before
    assert pagecache.current_generation() == cache.get(pagecache.GENERATION_KEY)


def test_a_lost_generation_never_revives_old_pages(client, post):
    if not pagecache._is_shared(pagecache._cache()):
        pytest.skip("the generation is a file with a process-local cache")
    fetch(client, post.url)
    old = pagecache.current_generation()
    cache.delete(pagecache.GENERATION_KEY)
    pagecache.bump_generation()
    assert pagecache.current_generation() > old


def test_invalidation_happens_again_when_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        pagecache.invalidate()
        pagecache.invalidate()
    assert callbacks.count(pagecache.bump_generation_safely) == 1


@pytest.fixture
def cache_down(settings):
    """The page cache points at a Redis that does not answer."""
    settings.CACHES = {
        **settings.CACHES,
        "down": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.PAGE_CACHE_ALIAS = "down"


def test_pages_still_render_and_posts_still_publish_when_the_cache_is_down(
    client, post, make_post, cache_down
):
    assert fetch(client, post.url)
    assert fetch(client, post.url)
    make_post(title="Published while Redis was away", at=timezone.now())
    assert b"Published while Redis was away" in fetch(client, "/").content


# HTTP revalidation ---------------------------------------------------------------------------


@pytest.mark.parametrize("page_cache", [True, False])
def test_if_none_match_gets_a_304(client, post, settings, page_cache, django_assert_num_queries):
    settings.PAGE_CACHE = page_cache
    for url in ("/", "/feed/", post.url):
        etag = fetch(client, url)["ETag"]
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304, url
        assert response.content == b""
        assert "public" in response["Cache-Control"]
        assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    if page_cache:
        with django_assert_num_queries(0):
            assert client.get(post.url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_if_modified_since_gets_a_304_until_something_changes(client, post, make_post):
    last_modified = fetch(client, "/")["Last-Modified"]
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    make_post(title="Something new", at=timezone.now())
    later = client.get("/", HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 1970 00:00:01 GMT")
    assert later.status_code == 200 and b"Something new" in later.content


def test_unchanged_content_still_matches_its_etag_after_an_invalidation(client, post, topic):
    etag = fetch(client, "/authors/")["ETag"]
    topic.description = "Changed, but not shown on the authors page."
    topic.save()
    assert client.get("/authors/", HTTP_IF_NONE_MATCH=etag).status_code == 304


# The switch ----------------------------------------------------------------------------------


def test_page_cache_off_renders_every_time(client, post, settings):
    settings.PAGE_CACHE = False
    fetch(client, post.url)
    assert queries_for(client, post.url) > 0
    assert cache.get(pagecache.page_key(client.get(post.url).wsgi_request)) is None
    response = fetch(client, post.url)
    assert "public" in response["Cache-Control"] and response["ETag"]


def test_the_switch_reads_off_from_the_environment(monkeypatch):
    import environ

    monkeypatch.setenv("PAGE_CACHE", "off")
    assert environ.Env().bool("PAGE_CACHE", default=True) is False


# The front cache (CDN) -----------------------------------------------------------------------


def test_front_cache_purges_are_off_by_default(settings):
    assert not settings.WAGTAILFRONTENDCACHE


@pytest.fixture
def purged(settings):
    """A real HTTP server stands in for Varnish or nginx and records each PURGE it gets."""
    import http.server
    import threading

    received = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield received
    server.shutdown()
    server.server_close()


def test_publishing_purges_the_page_and_the_listings_from_the_front_cache(make_post, post, purged):
    new = make_post(title="Purged everywhere", at=timezone.now())
    paths = set(purged)
    assert {new.url, "/", "/feed/", "/sitemap.xml", "/topics/immunotherapy/"} <= paths
    assert {"/authors/ana-ribeiro/", "/blog/", "/topics/immunotherapy/feed/"} <= paths


def test_approving_a_comment_purges_its_post_from_the_front_cache(post, purged):
    from comments.models import Comment
    from comments.services import moderate

    comment = Comment.objects.create(post=post, author_name="M", body="Hi.", status="pending")
    purged.clear()
    moderate(Comment.objects.filter(pk=comment.pk), "approve")
    assert post.url in purged


def test_a_local_copy_is_served_only_under_the_shared_generation(client, post):
    """Each process keeps its last pages in memory (issue 14); another process moving the
    generation on in the shared cache makes them stale there too."""
    if not pagecache._is_shared(pagecache._cache()):
        pytest.skip("local copies are kept only in front of a shared cache (Redis)")
    fetch(client, post.url)
    with CaptureQueriesContext(connection) as queries:
        fetch(client, post.url)
    assert len(queries) == 0
    cache.incr(pagecache.GENERATION_KEY)  # as publishing in the task worker does
    with CaptureQueriesContext(connection) as queries:
        fetch(client, post.url)
    assert len(queries) > 0


def _wsgi(application, path, **extra):
    import io
    import sys

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **extra,
    }
    started = {}

    def start_response(status, headers):
        started.update(status=status, headers=headers)

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


def test_stored_pages_are_answered_before_django_exactly_as_django_would(
    post, django_assert_num_queries
):
    """The WSGI front door (cancerblog/wsgi.py) gives the stored page with the same status,
    headers in the same order and body as the middleware chain gives it."""
    from django.core.handlers.wsgi import WSGIHandler

    django = WSGIHandler()
    front = pagecache.StoredPages(django)
    assert front.enabled
    first = _wsgi(front, post.url)  # nothing stored: Django renders and stores
    assert first[0] == "200 OK"
    with django_assert_num_queries(0):
        by_django = _wsgi(django, post.url)
        by_front = _wsgi(front, post.url)
        not_modified = _wsgi(front, post.url, HTTP_IF_NONE_MATCH=dict(by_django[1])["ETag"])

    def without_id(headers):
        return [(name, value) for name, value in headers if name != "X-Request-ID"]

    assert by_front[0] == by_django[0] == "200 OK"
    assert without_id(by_front[1]) == without_id(by_django[1])
    assert by_front[2] == by_django[2] == first[2]
    assert [name for name, _ in by_front[1]][-1] == "X-Request-ID"
    assert not_modified[0] == "304 Not Modified" and not_modified[2] == b""
    # A reader with a session goes through Django, and gets no shared copy.
    cookie = f"{settings.SESSION_COOKIE_NAME}=abc"
    assert "private" in dict(_wsgi(front, post.url, HTTP_COOKIE=cookie)[1])["Cache-Control"]


def test_the_redis_cache_reuses_one_client_per_pool():
    from core.cache import RedisCache

    backend = pagecache._cache()
    if not isinstance(backend, RedisCache):
        pytest.skip("runs on Redis (CACHE_URL=redis://...)")
    client = backend._cache.get_client("a", write=True)
    assert backend._cache.get_client("b", write=True) is client
    backend.set("pagecache-test", 1)
    assert backend.get("pagecache-test") == 1


def test_a_stored_page_prepared_once_is_given_per_scheme_and_logged(settings, post, caplog):
    """The front door builds a stored page's headers once per scheme and reuses them: an
    HTTPS reader gets HSTS, a plain one does not, however often and in whatever order."""
    import logging

    from django.core.handlers.wsgi import WSGIHandler

    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = False
    front = pagecache.StoredPages(WSGIHandler())
    https = {"wsgi.url_scheme": "https"}
    _wsgi(front, post.url)
    _wsgi(front, post.url, **https)  # each scheme is its own page: both rendered and stored
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="cancerblog.request"):
        answers = [_wsgi(front, post.url, **extra) for extra in ({}, https, https, {}, {})]
    secure = ["Strict-Transport-Security" in dict(headers) for _, headers, _ in answers]
    assert secure == [False, True, True, False, False]
    assert len({body for _, _, body in answers}) == 1
    ids = [dict(headers)["X-Request-ID"] for _, headers, _ in answers]
    assert len(set(ids)) == 5  # the prepared headers never carry an earlier request's id
    lines = [r for r in caplog.records if r.name == "cancerblog.request"]
    assert [(r.status, r.bytes, r.db_queries, r.request_id) for r in lines] == [
        (200, len(answers[0][2]), 0, request_id) for request_id in ids
    ]


def test_a_local_copys_prepared_response_goes_with_the_copy():
    """What StoredPages made from a local copy is kept beside it, never after it."""
    import time

    copies = pagecache.LocalCopies(1)
    first = ("g", 200, [], b"first", time.time() + 60)
    copies.put("first", first)
    made = []

    def make():
        made.append(1)
        return "answer"

    assert copies.answer("first", False, first, make) == "answer"
    assert copies.answer("first", False, first, make) == "answer"
    assert len(made) == 1  # made once, then kept
    copies.put("second", ("g", 200, [], b"second", time.time() + 60))  # "first" is evicted
    assert copies.answers == {}
    assert copies.answer("first", False, first, make) == "answer" and len(made) == 2
    assert copies.answers == {}  # not kept for a copy this process no longer holds
