"""What invalidates the page cache, and what a configured front cache (CDN) is told to purge.

Anything shown on public pages: pages published, unpublished, moved or deleted (scheduled
publishing included: it publishes through the same Wagtail signals), comments that become or
stop being visible, topics, contributors, audiences, images, documents, site and comment
settings, redirects, sites and page privacy. Every change moves the page-cache generation on
(core.pagecache.invalidate): simple, and never wrong about which page shows what.

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
HUB_ROUTES = (
    "feed_rss",
    "feed_atom",
    "feed_json",
    "sitemap",
    "blog:topic_list",
    "blog:contributor_list",
)


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


def post_related_urls(page):
    """The topic and author pages (and their feeds) that list this post."""
    from blog.models import PostPage

    specific = page.specific_deferred if isinstance(page, Page) else page
    if not isinstance(specific, PostPage):
        return set()
    urls = set()
    for topic in specific.topics.all():
        base = topic.get_absolute_url()
        urls.update(
            _absolute(base + suffix) for suffix in ("", "feed/", "feed/atom/", "feed/json/")
        )
    for link in specific.post_contributors.select_related("contributor"):
        base = link.contributor.get_absolute_url()
        urls.update(
            _absolute(base + suffix) for suffix in ("", "feed/", "feed/atom/", "feed/json/")
        )
    parent = specific.get_parent()
    if parent is not None and parent.url:
        urls.add(_absolute(parent.url) if parent.url.startswith("/") else parent.url)
    return urls


def purge_front_cache(pages=(), urls=()):
    """Ask the configured front cache to drop these pages and URLs (a background task)."""
    if not front_cache_enabled():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_urls(sorted(set(urls) | hub_urls()))
    for page in pages:
        batch.add_urls(sorted(post_related_urls(page)))
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


def comment_saved(sender, instance, created=False, update_fields=None, **kwargs):
    from comments.models import Comment

    visible = instance.status in (Comment.Status.APPROVED, Comment.Status.REMOVED)
    if created and not visible:
        return  # a new comment waits for confirmation or moderation: nothing shows yet
    if not visible and update_fields is not None and "status" not in update_fields:
        return
    pagecache.invalidate()
    if front_cache_enabled():
        purge_front_cache(pages=[instance.post.specific])


def comment_deleted(sender, instance, **kwargs):
    from comments.models import Comment

    if instance.status in (Comment.Status.APPROVED, Comment.Status.REMOVED):
        pagecache.invalidate()


def comments_moderated(comment_ids):
    """After a bulk status change (comments.services.moderate), which sends no post_save."""
    pagecache.invalidate()
    if front_cache_enabled() and comment_ids:
        pages = Page.objects.filter(comments__pk__in=comment_ids).distinct().specific()
        purge_front_cache(pages=list(pages))


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

    from blog.models import Audience, Contributor, Topic
    from comments.models import Comment

    page_published.connect(page_changed, dispatch_uid="pagecache.published")
    page_unpublished.connect(page_changed, dispatch_uid="pagecache.unpublished")
    post_page_move.connect(page_moved, dispatch_uid="pagecache.moved")
    for model in apps.get_models():
        if issubclass(model, Page):
            post_save.connect(page_saved, sender=model, dispatch_uid=f"pagecache.save.{model}")
            post_delete.connect(page_deleted, sender=model, dispatch_uid=f"pagecache.del.{model}")
        elif _is_setting(model):
            _connect_both(model)
    post_save.connect(comment_saved, sender=Comment, dispatch_uid="pagecache.comment")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="pagecache.comment.del")
    for model in (
        Topic,
        Contributor,
        Audience,
        Tag,
        Redirect,
        Site,
        PageViewRestriction,
        get_image_model(),
        get_document_model(),
    ):
        _connect_both(model)


def _connect_both(model):
    label = model._meta.label_lower
    post_save.connect(anything_changed, sender=model, dispatch_uid=f"pagecache.save.{label}")
    post_delete.connect(anything_changed, sender=model, dispatch_uid=f"pagecache.del.{label}")
