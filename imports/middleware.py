"""Old WordPress "plain" addresses (`/?p=123`, `/?cat=4`...) answered with their redirect.

Wagtail's RedirectMiddleware acts only on 404s, and `/?p=123` is the home page here, a 200 (and
maybe a cached one): so this runs before the page cache. Only a GET with one of WordPress's
query keys costs a query; every other request passes through untouched.
"""

from django.db.models import Q
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.models import Redirect

from imports.redirects import WORDPRESS_QUERY_KEYS


class WordPressRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and any(
            key in request.GET for key in WORDPRESS_QUERY_KEYS
        ):
            response = self.redirect(request)
            if response is not None:
                return response
        return self.get_response(request)

    def redirect(self, request):
        path = Redirect.normalise_path(request.get_full_path())
        redirect = (
            Redirect.objects.filter(old_path=path)
            .filter(Q(site__isnull=True) | Q(site__is_default_site=True))
            .select_related("redirect_page")
            .order_by("site_id")
            .first()
        )
        if redirect is None or not redirect.link:
            return None
        response_class = (
            HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
        )
        return response_class(redirect.link)
