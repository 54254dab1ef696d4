"""When comments change what public pages show (receivers connected in CommentsConfig.ready)."""

from wagtail.models import Page

from comments.models import Comment
from core import pagecache
from core.signals import front_cache_enabled, purge_front_cache

SHOWN = (Comment.Status.APPROVED, Comment.Status.REMOVED)


def comment_saved(sender, instance, created=False, update_fields=None, **kwargs):
    visible = instance.status in SHOWN
    if created and not visible:
        return  # a new comment waits for confirmation or moderation: nothing shows yet
    if not visible and update_fields is not None and "status" not in update_fields:
        return
    pagecache.invalidate()
    if front_cache_enabled():
        purge_front_cache(pages=[instance.post.specific])


def comment_deleted(sender, instance, **kwargs):
    if instance.status in SHOWN:
        pagecache.invalidate()


def comments_moderated(comment_ids):
    """After a bulk status change (comments.services.moderate), which sends no post_save."""
    pagecache.invalidate()
    if front_cache_enabled() and comment_ids:
        pages = Page.objects.filter(comments__pk__in=comment_ids).distinct().specific()
        purge_front_cache(pages=list(pages))
