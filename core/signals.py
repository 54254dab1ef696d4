"""What invalidates the page cache, and what a configured front cache (CDN) is told to purge.

Anything shown on public pages: pages published, unpublished, moved or deleted (scheduled
publishing included: it publishes through the same Wagtail signals), images, documents, site
settings, redirects, sites and page privacy, and what the domain apps register through
core.registry (topics, contributors, audiences; comments connect their own receivers). Every
change moves the page-cache generation on (core.pagecache.invalidate): simple, and never wrong
about which page shows what.

A front cache cannot be emptied all at once, so it is told the URLs that most likely changed
(the page, its topics and authors, the home page, listings, feeds and sitemap); the others
expire after PAGE_CACHE_FRONT_SECONDS.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch, reverse
from wagtail.models import COMMENTS_RELATION_NAME, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import pagecache

# Page.save() with only these fields is Wagtail's bookkeeping for a draft, a lock or an
# owner: nothing readers see.
DRAFT_FIELDS = frozenset(
    {
        COMMENTS_RELATION_NAME,
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "owner",
    }
)
# Filled in by Wagtail the first time an image or document is used, while a page renders.
LAZY_FIELDS = frozenset({"file_size", "file_hash"})
LISTING_SUFFIXES = ("", "feed/", "feed/atom/", "feed/json/")
# URL names of listings a front cache drops on every change; apps add theirs (core.registry).
HUB_ROUTES = ["feed_rss", "feed_atom", "feed_json", "sitemap"]


def front_cache_enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _absolute(path):
    return settings.BASE_URL + path


def hub_urls():
    urls = {_absolute("/")}
    for name in HUB_ROUTES:
        try:
            urls.add(_absolute(reverse(name)))
        except NoReverseMatch:
            pass
    return urls


# Functions page -> URLs that list that page (its topics, its authors), added by the apps that
# own the pages through core.registry.
page_url_finders = []


def related_urls(page):
    """The pages (and their feeds) that list this page, as the apps that own it say."""
    urls = set()
    for find in page_url_finders:
        urls.update(find(page))
    return urls


def purge_front_cache(pages=(), urls=()):
    """Ask the configured front cache to drop these pages and URLs (a background task)."""
    if not front_cache_enabled():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_urls(sorted(set(urls) | hub_urls()))
    for page in pages:
        batch.add_urls(sorted(related_urls(page)))
    batch.add_pages(pages)
    batch.purge()


# Handlers ------------------------------------------------------------------------------------


def page_changed(sender, instance, **kwargs):
    pagecache.invalidate()
    purge_front_cache(pages=[instance])


def page_moved(sender, instance, url_path_before=None, **kwargs):
    pagecache.invalidate()
    if front_cache_enabled() and instance.live:
        site_root = instance.get_site()
        old = []
        if site_root is not None and url_path_before:
            root_path = site_root.root_page.url_path
            if url_path_before.startswith(root_path):
                old.append(_absolute("/" + url_path_before[len(root_path) :]))
        purge_front_cache(pages=[instance], urls=old)


def page_saved(sender, instance, update_fields=None, **kwargs):
    if not instance.live:
        return
    if update_fields is not None and set(update_fields) <= DRAFT_FIELDS:
        return
    pagecache.invalidate()


def page_deleted(sender, instance, **kwargs):
    if instance.live:
        pagecache.invalidate()
        if front_cache_enabled():
            url = instance.get_url()
            purge_front_cache(urls=[_absolute(url) if url and url.startswith("/") else url or ""])


def anything_changed(sender, update_fields=None, created=False, **kwargs):
    if update_fields is not None and set(update_fields) <= LAZY_FIELDS:
        return
    if created and _is_setting(sender):
        return  # made with its defaults the first time a page asks for it: nothing changed
    pagecache.invalidate()
    purge_front_cache()


def _is_setting(model):
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    return issubclass(model, (BaseSiteSetting, BaseGenericSetting))


def connect():
    """Called once from CoreConfig.ready()."""
    from django.apps import apps
    from taggit.models import Tag
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    page_published.connect(page_changed, dispatch_uid="pagecache.published")
    page_unpublished.connect(page_changed, dispatch_uid="pagecache.unpublished")
    post_page_move.connect(page_moved, dispatch_uid="pagecache.moved")
    for model in apps.get_models():
        if issubclass(model, Page):
            post_save.connect(page_saved, sender=model, dispatch_uid=f"pagecache.save.{model}")
            post_delete.connect(page_deleted, sender=model, dispatch_uid=f"pagecache.del.{model}")
        elif _is_setting(model):
            connect_model(model)
    for model in (
        Tag,
        Redirect,
        Site,
        PageViewRestriction,
        get_image_model(),
        get_document_model(),
    ):
        connect_model(model)


def connect_model(model):
    """Every save or delete of this model changes public pages."""
    label = model._meta.label_lower
    post_save.connect(anything_changed, sender=model, dispatch_uid=f"pagecache.save.{label}")
    post_delete.connect(anything_changed, sender=model, dispatch_uid=f"pagecache.del.{label}")
