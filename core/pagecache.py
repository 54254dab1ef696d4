"""Whole-page cache for anonymous readers, with one "generation" that invalidates every page.

A reader without a session, CSRF or messages cookie and without an Authorization header who
asks for a page with GET or HEAD gets the stored copy if there is one: no view, no template,
no database query. Anything else goes through Django as usual and is never stored.

A response is stored only if it is a 200, not streamed, sets no cookie, says nothing against
caching (`private`, `no-store`, `no-cache`, `max-age=0`: `never_cache` views), varies on
nothing but Cookie, and its rendering did not use a CSP nonce. Stored pages also get
`Cache-Control: public, max-age=..., s-maxage=...`, an `ETag` and a `Last-Modified` (the time
the page was rendered), and revalidation requests get a 304 without a render.

Invalidation is one counter, the generation, stored with every page. `invalidate()` (called
from core/signals.py whenever something shown on public pages changes) moves it on, so every
stored page is stale at once, and the next reader re-renders it over the old copy. The
generation lives in the cache itself when the cache is shared (Redis): every web host sees the
same one, and it is read in the same round trip as the page. A process-local cache (the
embedded default, local memory) cannot share it with the task worker and the scheduler, which
publish and moderate in other processes, so there it is a small file under var/ instead.
"""

import hashlib
import logging
import os
import re
import threading
import time
import uuid
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.functional import empty
from django.utils.http import http_date, parse_http_date_safe

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
PAGE_KEY_PREFIX = "pagecache:page:"
# Never served from or stored in the page cache, whatever their responses say.
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/healthz")
# Query parameters that only analytics read: dropped before the view sees the request, so a
# post shared on social networks (each click with its own fbclid) is one cached page.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "igshid", "twclid", "yclid"}
    | {"mc_cid", "mc_eid", "_ga", "_gl", "ref_src"}
)
TRACKING_PREFIXES = ("utm_",)
# Longer query strings are served but never stored: they are not links anyone shares.
MAX_QUERY_LENGTH = 200
NOT_CACHEABLE = ("private", "no-store", "no-cache")
cc_delim_re = re.compile(r"\s*,\s*")


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _is_shared(cache):
    """Whether other processes see this cache (LocMemCache is one process's memory)."""
    return not isinstance(cache, (LocMemCache, DummyCache))


# The generation ------------------------------------------------------------------------------


def _file_generation():
    try:
        stat = os.stat(settings.PAGE_CACHE_GENERATION_FILE)
    except FileNotFoundError:
        return "0"
    # Every bump writes a new file over the old one: a new inode and a new modification time.
    return f"{stat.st_ino}.{stat.st_mtime_ns}"


def _bump_file_generation():
    path = os.fspath(settings.PAGE_CACHE_GENERATION_FILE)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.{time.monotonic_ns()}"
    with open(temporary, "w") as handle:
        handle.write(f"{time.time_ns()}\n")
    os.replace(temporary, path)


def _new_shared_generation():
    # Never a number used before, even if the cache lost the key (eviction, restart): a page
    # stored under an old generation must not become valid again.
    return time.time_ns() // 1000


class RecentGeneration:
    """The shared generation as this process last read it, re-read after a short window.

    A cached page used to cost two round trips to Redis: the generation, then the page (or
    nothing, when this process holds a local copy). Most of the time between two readers the
    generation has not moved, so it is read at most once every PAGE_CACHE_GENERATION_SECONDS
    (0.1 s by default) per process. This is safe because the label is always read *before* a
    render: a page stored under a remembered generation was rendered after that generation was
    current, so it is never newer than its label, and a page served from a stale label is at
    most that window older than the change that made it stale. nginx in front keeps pages for
    60 s anyway (PAGE_CACHE_FRONT_SECONDS). A bump made in this process is seen at once.
    """

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.value = None
        self.read_at = 0.0

    def get(self, cache):
        window = settings.PAGE_CACHE_GENERATION_SECONDS
        now = self.clock()
        if self.value is not None and now - self.read_at < window:
            return self.value
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, _new_shared_generation(), timeout=None)
            generation = cache.get(GENERATION_KEY)
        self.remember(generation, now)
        return generation

    def remember(self, generation, now=None):
        self.value = generation
        self.read_at = self.clock() if now is None else now

    def forget(self):
        self.value = None


recent_generation = RecentGeneration()


def current_generation(cache=None):
    cache = cache or _cache()
    if not _is_shared(cache):
        return _file_generation()
    return recent_generation.get(cache)


def bump_generation():
    cache = _cache()
    if not _is_shared(cache):
        _bump_file_generation()
        return
    try:
        recent_generation.remember(cache.incr(GENERATION_KEY))
    except ValueError:  # no generation yet, or the cache lost it
        recent_generation.forget()
        if not cache.add(GENERATION_KEY, _new_shared_generation(), timeout=None):
            cache.incr(GENERATION_KEY)


def invalidate(using=DEFAULT_DB_ALIAS):
    """Make every stored page stale, now and again when the current transaction commits.

    Now, so that the process making the change sees it at once; again after the commit,
    because between the two a reader could have stored a page rendered from the data the
    transaction had not committed yet.
    """
    bump_generation_safely()
    connection = connections[using]
    if connection.in_atomic_block:
        pending = getattr(connection, "run_on_commit", [])
        if not any(entry[1] is bump_generation_safely for entry in pending):
            connection.on_commit(bump_generation_safely)


def bump_generation_safely():
    try:
        bump_generation()
    except Exception:  # the cache is down: publishing and moderating must still work
        logger.exception("page cache: could not move the generation on")


# Requests and responses ----------------------------------------------------------------------


def _bypass_cookies():
    return (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages")


def _file_prefixes():
    """Static files and media: WhiteNoise or the media view answers them, never stored here."""
    return tuple(prefix for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix)


def is_anonymous_read(request):
    """A GET or HEAD from someone without a session, CSRF or messages cookie."""
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if request.path_info.startswith(SKIPPED_PREFIXES) or request.path_info.startswith(
        _file_prefixes()
    ):
        return False
    cookies = request.COOKIES
    return not any(name in cookies for name in _bypass_cookies())


def drop_tracking_parameters(request):
    """Remove analytics-only parameters from the request's query string."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _is_tracking(k)]
    if len(kept) != len(pairs):
        request.META["QUERY_STRING"] = urlencode(kept)
        request.GET = QueryDict(request.META["QUERY_STRING"])


def _is_tracking(name):
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def page_key(request):
    """The cache key of this URL, or None if it is not worth storing."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_LENGTH:
        return None
    normalised = urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
    url = f"{request.scheme}://{request.get_host()}{request.path}?{normalised}"
    return PAGE_KEY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


def lifetime(request):
    """How long the server keeps this page: search results briefly, other pages longer."""
    if request.path_info.startswith(settings.PAGE_CACHE_SHORT_PREFIXES):
        return settings.PAGE_CACHE_SHORT_SECONDS
    return settings.PAGE_CACHE_SECONDS


def _cache_control_directives(response):
    header = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower(): part for part in cc_delim_re.split(header)}


def is_public_response(request, response):
    """Whether this response to an anonymous read may be stored and shared."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = _cache_control_directives(response)
    if any(name in directives for name in NOT_CACHEABLE):
        return False
    if "max-age" in directives and directives["max-age"].strip().lower() == "max-age=0":
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if vary - {"cookie"}:
        # A variant per header this key does not include (Accept-Encoding, Accept-Language).
        return False
    nonce = getattr(request, "_csp_nonce", None)
    if nonce is not None and getattr(nonce, "_wrapped", empty) is not empty:
        return False  # the page carries a nonce meant for this response only
    return True


def mark_public(response):
    """Cache-Control for browsers and a front cache, unless the view chose its own."""
    if "Cache-Control" not in response:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
            s_maxage=settings.PAGE_CACHE_FRONT_SECONDS,
        )
    if not response.has_header("ETag"):
        set_response_etag(response)


def _conditional(request, response):
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )


def _freeze(generation, response, seconds):
    headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
    return (generation, response.status_code, headers, response.content, time.time() + seconds)


def _thaw(entry):
    _, status, headers, content, _ = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class LocalCopies:
    """The stored pages this process served last, kept in its memory (issue 14).

    A page read from the shared cache is a round trip of its whole size (a post with 200
    comments is 209 KB) and an unpickling; its generation is a few bytes, and is read from the
    shared cache at most every PAGE_CACHE_GENERATION_SECONDS (RecentGeneration). A local copy
    is served only when it was stored under that same generation and has not outlived the
    shared copy's lifetime: what the shared cache would have answered, without carrying the
    page again.

    Next to each copy it keeps the response StoredPages made from it for a request that asks
    nothing conditional, per scheme (`answer`): it goes when the copy goes.
    """

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.answers = {}  # (key, HTTPS or not) -> (entry, response made from it)
        self.lock = threading.Lock()

    def get(self, key, generation):
        """The entry (a tuple, its generation first), or None when missing or stale."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] != generation or self.expired(entry):
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry

    def answer(self, key, secure, entry, make):
        """`make()`'s result for this copy and scheme, made once while the copy is kept."""
        with self.lock:
            found = self.answers.get((key, secure))
        if found is not None and found[0] is entry:
            return found[1]
        made = make()
        with self.lock:
            if self.entries.get(key) is entry:
                self.answers[key, secure] = (entry, made)
        return made

    def expired(self, entry):
        return entry[4] <= time.time()

    def limit(self):
        return self.size

    def put(self, key, entry):
        size = self.limit()
        if size <= 0:
            return
        with self.lock:
            self._drop(key)
            self.entries[key] = entry
            while len(self.entries) > size:
                self._drop(next(iter(self.entries)))

    def _drop(self, key):
        self.entries.pop(key, None)
        self.answers.pop((key, False), None)
        self.answers.pop((key, True), None)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.answers.clear()


local_copies = LocalCopies(getattr(settings, "PAGE_CACHE_LOCAL_PAGES", 200))


def _is_current(entry, generation):
    # Entries stored before issue 14 have no expiry time: read as missing.
    return (
        isinstance(entry, tuple)
        and len(entry) == 5
        and entry[0] == generation
        and entry[4] > time.time()
    )


def lookup(cache, key):
    """The generation, and the page stored under `key` if it is current (else None)."""
    if not _is_shared(cache):
        generation = _file_generation()
        entry = cache.get(key)
        return generation, entry if _is_current(entry, generation) else None
    generation = recent_generation.get(cache)
    entry = local_copies.get(key, generation)
    if entry is None:
        entry = cache.get(key)
        if not _is_current(entry, generation):
            return generation, None
        local_copies.put(key, entry)
    return generation, entry


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous readers (see the module's docstring).

    It sits just after the request log, SecurityMiddleware and the WordPress redirects (issue
    14), so a stored page is served before the rest does any work: it is stored with the
    headers the middlewares inside it added (CSP, permissions policy, frame options), and a
    stored page skips them all, sessions, CSRF, authentication and messages included. Static
    files and media never come here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            response = self.get_response(request)
            if "Cache-Control" not in response and request.method in ("GET", "HEAD"):
                # Someone signed in (or holding a form's token): never a shared copy.
                patch_cache_control(response, private=True)
            return response

        drop_tracking_parameters(request)
        enabled = settings.PAGE_CACHE
        key = page_key(request) if enabled else None
        cache = _cache()
        generation = None
        looked_up = request.META.pop(LOOKUP_ENVIRON_KEY, None)
        if looked_up is not None and looked_up[0] == key:
            generation = looked_up[1]  # StoredPages found nothing stored: render and store
        elif key is not None:
            try:
                generation, entry = lookup(cache, key)
            except Exception:  # the cache is down: render the page, store nothing
                logger.exception("page cache: lookup failed")
                key = entry = None
            if entry is not None:
                return _conditional(request, _thaw(entry))

        response = self.get_response(request)
        if not is_public_response(request, response):
            return response
        mark_public(response)
        if key is not None and request.method == "GET":
            response["Last-Modified"] = http_date()
            try:
                seconds = lifetime(request)
                entry = _freeze(generation, response, seconds)
                cache.set(key, entry, seconds)
                if _is_shared(cache):
                    local_copies.put(key, entry)
            except Exception:
                logger.exception("page cache: store failed")
        return _conditional(request, response)


# Before Django -------------------------------------------------------------------------------

# The middlewares a stored page passes through on its way out, in this order, when the
# WSGI front door below serves it; anything else in front of the page cache turns it off.
FRONT_MIDDLEWARE = (
    "core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "imports.middleware.WordPressRedirectMiddleware",
    "core.pagecache.PageCacheMiddleware",
)
LOOKUP_ENVIRON_KEY = "cancerblog.pagecache.lookup"
# A request with any of these may get a 304 or a 412 instead of the page.
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class StoredPages:
    """A WSGI application in front of Django's that answers an anonymous read from the page
    cache before Django's handler, signals and middleware chain run (issue 14).

    It gives the same response, byte for byte, as the chain would: the stored page through
    `_conditional` as PageCacheMiddleware gives it, then SecurityMiddleware's response
    headers, then the request log's id and line. A request it does not answer (not an
    anonymous read, nothing stored, the cache down) goes to Django with the lookup already
    made, so a miss costs no second round trip. WordPress's old addresses are no exception: a
    page stored for `/?p=ID` is one no redirect answered, and a redirect saved since moved the
    generation on. Off unless MIDDLEWARE starts exactly with FRONT_MIDDLEWARE.
    """

    def __init__(self, application):
        from django.middleware.security import SecurityMiddleware

        from core.requestlog import RequestLogMiddleware

        self.application = application
        self.enabled = tuple(settings.MIDDLEWARE[: len(FRONT_MIDDLEWARE)]) == FRONT_MIDDLEWARE
        self.security = SecurityMiddleware(application)
        self.request_log = RequestLogMiddleware(application)

    def __call__(self, environ, start_response):
        if (
            self.enabled
            and settings.PAGE_CACHE
            and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        ):
            stored = self.stored_response(environ)
            if stored is not None:
                status, headers, body = stored
                start_response(status, headers)
                # A list, not the response: nothing to close, so no request_finished signal
                # (it closes database connections a stored page never opened).
                return [body]
        return self.application(environ, start_response)

    def stored_response(self, environ):
        """(status, headers, body) of the stored page for this request, or None."""
        from django.core.handlers.wsgi import WSGIRequest

        from core.requestlog import REQUEST_ID

        started = time.perf_counter()
        request = WSGIRequest(environ)
        try:
            if not is_anonymous_read(request) or self.security.process_request(request):
                return None
            drop_tracking_parameters(request)
            key = page_key(request)
            if key is None:
                return None
            generation, entry = lookup(_cache(), key)
        except Exception:  # a forged host, the cache down: Django answers and logs it
            return None
        if entry is None:
            environ[LOOKUP_ENVIRON_KEY] = (key, generation)
            return None
        if any(name in environ for name in CONDITIONAL_HEADERS):
            status, headers, body = self.respond(request, entry)
        else:
            status, headers, body = self.prepare(request, key, entry)
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        headers = [*headers, ("X-Request-ID", request.request_id)]
        self.request_log.log_line(request, int(status[:3]), len(body), started, queries=0)
        return status, headers, body

    def respond(self, request, entry):
        """The stored page as the middleware chain gives it to this request."""
        response = self.security.process_response(request, _conditional(request, _thaw(entry)))
        status = f"{response.status_code} {response.reason_phrase}"
        return status, list(response.items()), response.content

    def prepare(self, request, key, entry):
        """`respond` for a request that asks nothing conditional: the same for every such
        request over the same scheme, so it is made once per local copy (issue 14: building
        the response and its headers again was a third of a cached page's time)."""
        return local_copies.answer(
            key, request.is_secure(), entry, lambda: self.respond(request, entry)
        )
