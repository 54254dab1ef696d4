"""Parts of public pages kept in the cache between renders, for the readers the whole-page
cache does not serve (anyone holding a CSRF or session cookie, every page with PAGE_CACHE off,
the first view of a URL).

A fragment is stored under its name, the values it depends on (a page's id and revision, a
path, a page number) and the page cache's generation: whatever moves the generation on
(core/signals.py: publishing, moderation, images, settings...) makes every fragment stale at
once, exactly as it does every stored page, so a fragment is never more out of date than a
cached page would be. The generation is read once per request.

Never used for a preview (the edited version, not the published one), nor when
FRAGMENT_CACHE is off; when the cache is down the fragment is rendered as if never stored.
`{% fragment "name" value ... %}...{% endfragment %}` (core/templatetags/fragments.py) is the
template side.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches

from core import pagecache

logger = logging.getLogger(__name__)

KEY_PREFIX = "fragment:"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def generation(request):
    """The page cache's generation as this request first saw it."""
    found = getattr(request, "_fragment_generation", None)
    if found is None:
        found = pagecache.current_generation()
        request._fragment_generation = found
    return found


def is_enabled(request):
    return (
        settings.FRAGMENT_CACHE
        and request is not None
        and not getattr(request, "is_preview", False)
    )


def fragment_key(name, parts, current):
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f"{KEY_PREFIX}{name}:{digest[:32]}:{current}"


def cached(request, name, parts, render):
    """`render()`'s value, from the cache when this fragment was stored under the current
    generation, else rendered now and stored."""
    if not is_enabled(request):
        return render()
    cache = _cache()
    try:
        key = fragment_key(name, parts, generation(request))
        found = cache.get(key)
    except Exception:  # the cache is down: the page must still render
        logger.exception("fragment cache: lookup failed")
        return render()
    if found is not None:
        return found
    value = render()
    try:
        cache.set(key, value, settings.FRAGMENT_CACHE_SECONDS)
    except Exception:
        logger.exception("fragment cache: store failed")
    return value
