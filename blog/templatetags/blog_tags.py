"""Template helpers for public pages: search highlighting, pagination links, navigation state."""

from django import template
from django.urls import reverse

from blog import search

register = template.Library()


@register.filter
def highlight(text, query):
    """The text, escaped, with the reader's query words wrapped in <mark>."""
    return search.highlight(str(text or ""), str(query or ""))


@register.simple_tag(takes_context=True)
def url_replace(context, **params):
    """This page's URL with `params` replaced in its query; empty values and page 1 are dropped."""
    request = context["request"]
    query = request.GET.copy()
    for key, value in params.items():
        if value in (None, "") or (key == "page" and str(value) == "1"):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


@register.simple_tag(takes_context=True)
def nav_current(context, href):
    """aria-current for a navigation link: "page" on that page, "true" inside its section."""
    request = context.get("request")
    if request is None:
        return ""
    path = request.path
    if path == href:
        return "page"
    if href != "/" and path.startswith(href):
        return "true"
    return ""


# The links of includes/header.html that may carry aria-current, in its order.
HEADER_LINKS = (
    "/",
    "/blog/",
    "blog:topic_list",
    "blog:contributor_list",
    "/about/",
    "/write-for-us/",
    "search",
)


@register.simple_tag(takes_context=True)
def nav_state(context):
    """What the header's links say of this page, as the key of the header's fragment: every
    page with the same answer has the same header (and a path nobody links to, a 404 for
    instance, adds no fragment of its own)."""
    hrefs = [href if href.startswith("/") else reverse(href) for href in HEADER_LINKS]
    return ",".join(nav_current(context, href) for href in hrefs)
