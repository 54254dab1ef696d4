"""Old WordPress addresses that a stored Redirect cannot answer on its own.

Plain addresses (`/?p=123`, `/?cat=4`...): Wagtail's RedirectMiddleware acts only on 404s, and
`/?p=123` is the home page here, a 200 (and maybe a cached one): so this runs before the page
cache. Only a GET with one of WordPress's query keys costs a query; every other request
passes through untouched. `?replytocom=N` leads to that comment on its post.

Addresses without end, answered only once nothing else did (a 404): date archives
(`/2024/`, `/2024/05/`, `/2024/05/17/`) lead to the blog, and paginated archives
(`/page/2/`, `/category/x/page/2/`, `/tag/x/page/2/`, `/author/x/page/2/`, `/?cat=4&paged=2`)
to the same page of the listing the first page redirects to (`?page=2`).
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db.models import Q
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.models import Redirect

from imports.redirects import WORDPRESS_QUERY_KEYS

PAGED = re.compile(r"^(?P<rest>/(?:.*/)?)page/(?P<number>[0-9]{1,6})/?$")
DATE_ARCHIVE = re.compile(
    r"^(?P<base>/(?:.*/)?)(?:19|20)[0-9]{2}/(?:(?:0[1-9]|1[0-2])/(?:(?:0[1-9]|[12][0-9]|3[01])/)?)?$"
)
PLAIN_DATE = re.compile(r"^(?:19|20)[0-9]{2}(?:[0-9]{2}){0,4}$")  # ?m=2024, ?m=202405...


class WordPressRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reading = request.method in ("GET", "HEAD")
        if reading and any(key in request.GET for key in WORDPRESS_QUERY_KEYS):
            response = self.redirect(request)
            if response is not None:
                return response
        response = self.get_response(request)
        if reading and response.status_code == 404:
            return archive_redirect(request) or response
        return response

    def redirect(self, request):
        if "replytocom" in request.GET:
            return comment_redirect(request)
        redirect = stored_redirect(request.get_full_path())
        if redirect is not None and redirect.link:
            response_class = (
                HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
            )
            return response_class(redirect.link)
        query = request.GET.copy()
        number = query.pop("paged", [""])[-1]
        date = query.pop("m", [""])[-1]
        if date and PLAIN_DATE.fullmatch(date) and not query:
            return _to_blog(request.path)
        if number.isdigit():
            rest = request.path + (f"?{query.urlencode()}" if query else "")
            return _listing_page(rest, int(number))
        return None


def stored_redirect(path):
    """The Redirect for an old address (the whole site's, or the default site's), or None."""
    return (
        Redirect.objects.filter(old_path=Redirect.normalise_path(path))
        .filter(Q(site__isnull=True) | Q(site__is_default_site=True))
        .select_related("redirect_page")
        .order_by("site_id")
        .first()
    )


def archive_redirect(request):
    """A date archive or a page of an archive, once nothing else answered it; else None."""
    path = request.path
    paged = PAGED.match(path)
    if paged is not None:
        rest = paged["rest"]
        if DATE_ARCHIVE.match(rest):
            return _to_blog(DATE_ARCHIVE.match(rest)["base"])
        return _listing_page(rest, int(paged["number"]))
    dated = DATE_ARCHIVE.match(path)
    if dated is not None:
        return _to_blog(dated["base"])
    return None


def _listing_page(rest, number):
    """Page `number` of the listing the old archive `rest` redirects to; the blog's own pages
    when `rest` is the old blog's home."""
    redirect = stored_redirect(rest)
    if redirect is not None and redirect.link:
        return HttpResponsePermanentRedirect(_with_page(redirect.link, number))
    if urlsplit(rest).query:
        return None
    return _to_blog(urlsplit(rest).path, number)


def _to_blog(base, number=1):
    """The blog's listing, if `base` is the address an imported WordPress blog was at."""
    from blog.models import BlogIndexPage
    from imports.models import ImportRun

    sources = ImportRun.objects.values_list("source", flat=True).distinct()
    bases = {"/" + source.partition("/")[2].strip("/") for source in sources}
    if "/" + base.strip("/") not in bases:
        return None
    blog = BlogIndexPage.objects.live().first()
    if blog is None or not blog.url:
        return None
    return HttpResponsePermanentRedirect(_with_page(blog.url, number))


def _with_page(link, number):
    """The link to page `number` of a listing (`?page=N`, the way our listings count)."""
    parts = urlsplit(link)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    if number > 1:
        query.append(("page", str(number)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def comment_redirect(request):
    """`?replytocom=N`: WordPress's "reply to comment N" address, to that comment here (its
    anchor on the post), else to the same address without it."""
    from comments.models import Comment
    from imports.models import ImportedObject

    query = request.GET.copy()
    wp_id = query.pop("replytocom", [""])[-1]
    without = request.path + (f"?{query.urlencode()}" if query else "")
    if wp_id.isdigit() and len(wp_id) <= 12:
        ids = ImportedObject.objects.filter(
            wp_type=ImportedObject.Type.COMMENT, wp_id=str(int(wp_id))
        ).values_list("object_id", flat=True)
        comments = [
            comment
            for comment in Comment.objects.visible().filter(pk__in=ids).select_related("post")
            if comment.post.live and comment.post.url
        ]
        if len(comments) > 1:  # the same WordPress id in several blogs: the one on this post
            redirect = stored_redirect(request.path)
            page_id = redirect.redirect_page_id if redirect is not None else None
            comments = [c for c in comments if c.post.pk == page_id or c.post.url == request.path]
        if len(comments) == 1:
            return HttpResponsePermanentRedirect(comments[0].get_absolute_url())
    return HttpResponsePermanentRedirect(without)
