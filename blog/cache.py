"""What the blog tells core's page cache (registered in BlogConfig.ready)."""

from django.conf import settings
from wagtail.models import Page

from blog.models import PostPage
from core.signals import LISTING_SUFFIXES


def _absolute(path):
    return settings.BASE_URL + path


def post_related_urls(page):
    """The topic and author pages (and their feeds) that list this post."""
    specific = page.specific_deferred if isinstance(page, Page) else page
    if not isinstance(specific, PostPage):
        return set()
    urls = set()
    for topic in specific.topics.all():
        base = topic.get_absolute_url()
        urls.update(_absolute(base + suffix) for suffix in LISTING_SUFFIXES)
    for link in specific.post_contributors.select_related("contributor"):
        base = link.contributor.get_absolute_url()
        urls.update(_absolute(base + suffix) for suffix in LISTING_SUFFIXES)
    parent = specific.get_parent()
    if parent is not None and parent.url:
        urls.add(_absolute(parent.url) if parent.url.startswith("/") else parent.url)
    return urls
