"""Wagtail's answer to "which site, which page, which view restrictions" for a URL, kept by each
worker for the page cache's generation (issue 14).

Routing a URL costs Wagtail seven queries on every request: the site for the host, one per level
of the page tree, the specific page, the ancestors' aliases and their view restrictions. In the
profile of an uncached post that was two thirds of the time. The answer changes only when
something moves the page cache's generation on (core/signals.py: publishing, unpublishing,
moving or deleting a page, a Site, a view restriction), so each worker keeps it, pickled, under
the generation it was found in, and hands every request a fresh copy: nothing one request does
to its page object reaches the next.

Only GET and HEAD requests, never a preview. A URL that routes nowhere is not kept (probes do
not fill the memory); at most ROUTE_CACHE_SIZE routes per worker, the least used out first.
ROUTE_CACHE=off turns it off.
"""

import logging
import pickle

from django.conf import settings
from wagtail.models import PageViewRestriction

from core import fragments, pagecache

logger = logging.getLogger(__name__)

READS = {"GET", "HEAD"}


class Routes(pagecache.LocalCopies):
    """Pickled routes of this process, each kept as (generation, pickle)."""

    def __init__(self):
        super().__init__(size=None)

    def limit(self):
        return settings.ROUTE_CACHE_SIZE

    def expired(self, entry):
        return False

    def __len__(self):
        return len(self.entries)


routes = Routes()


def _applies(request):
    return (
        settings.ROUTE_CACHE
        and request.method in READS
        and not getattr(request, "is_preview", False)
    )


def _key(request):
    return (request._get_raw_host(), request.get_port(), request.path_info)


def _generation(request):
    """The generation this request sees, or None when the cache is down (route as usual)."""
    try:
        return fragments.generation(request)
    except Exception:
        logger.exception("route cache: no generation")
        return None


def _with_restrictions(page, restrictions):
    """`page.get_view_restrictions()` answers from the list found with the route."""
    found = PageViewRestriction.objects.filter(pk__in=[r.pk for r in restrictions])
    found._result_cache = restrictions
    found._prefetch_done = True
    page.get_view_restrictions = lambda: found
    return page


def prime(request):
    """Give the request the site and route this worker found for its URL in this generation,
    as Wagtail would have cached them on the request itself. True when it did."""
    if not _applies(request):
        return False
    generation = _generation(request)
    entry = None if generation is None else routes.get(_key(request), generation)
    if entry is None:
        return False
    site, page, args, kwargs, restrictions = pickle.loads(entry[1])
    request._wagtail_site = site
    request._wagtail_route_for_request = (_with_restrictions(page, restrictions), args, kwargs)
    request._route_primed = True
    return True


def remember(page, request, args, kwargs):
    """Wagtail's `before_serve_page` hook: keep a route just found (before anything renders)."""
    if not _applies(request) or getattr(request, "_route_primed", False):
        return None
    site = getattr(request, "_wagtail_site", None)
    generation = _generation(request)
    if site is None or generation is None:
        return None
    restrictions = list(page.get_view_restrictions())
    data = pickle.dumps((site, page, args, kwargs, restrictions), pickle.HIGHEST_PROTOCOL)
    routes.put(_key(request), (generation, data))
    return None


class RouteCacheMiddleware:
    """Primes Wagtail's per-request routing cache from this worker's routes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prime(request)
        return self.get_response(request)
