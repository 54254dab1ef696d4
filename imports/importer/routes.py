"""The site's own addresses at its root, which a page there could never be reached at.

Read from the URL resolver, not listed by hand: a page slug is taken when `/<slug>/` resolves
to one of the site's views (search, topics, authors, feed...) rather than to Wagtail's pages,
or when it is the prefix an app's URLs are included under (admin, comments, subscribe...),
whose addresses would shadow the page's children.
"""

import functools
import re

from django.conf import settings
from django.urls import URLResolver, get_resolver, get_urlconf, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

WAGTAIL_SERVE = "wagtail_serve"
_LITERAL = re.compile(r"(?:[\w\-.~]|\\.)*")


def is_site_route(slug):
    """Whether a page with this slug, at the site's root, would be hidden by the site's URLs."""
    if not slug:
        return False
    if slug in _included_prefixes(get_urlconf() or settings.ROOT_URLCONF):
        return True
    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return False
    return match.url_name != WAGTAIL_SERVE


@functools.cache
def _included_prefixes(urlconf):
    """First segments of the includes (and static/media) under a fixed prefix."""
    prefixes = set()
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url and url.startswith("/") and url.strip("/"):
            prefixes.add(url.strip("/").split("/")[0])
    for pattern in get_resolver(urlconf).url_patterns:
        if isinstance(pattern, URLResolver):
            literal = _literal(pattern.pattern)
            if literal and "/" in literal:
                prefixes.add(literal.split("/")[0])
    return frozenset(prefixes)


def _literal(pattern):
    """The fixed text a URL pattern starts with ("comments/", "admin/two-factor/")."""
    if isinstance(pattern, RoutePattern):
        return str(pattern._route).split("<", 1)[0]
    if isinstance(pattern, RegexPattern):
        text = str(pattern._regex).removeprefix("^")
        return re.sub(r"\\(.)", r"\1", _LITERAL.match(text)[0])
    return ""
