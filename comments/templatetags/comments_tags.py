import logging

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from comments import services
from comments.forms import CommentForm
from comments.models import CommentSettings
from comments.text import render_comment
from core.pagecache import current_generation

register = template.Library()
logger = logging.getLogger(__name__)


@register.filter
def comment_text(text):
    return render_comment(text or "")


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, post):
    request = context.get("request")
    newest_first = bool(request and request.GET.get("comments") == "newest")
    rules = CommentSettings.for_request(request) if request else services.rules_for(None)
    thread_html, count = _thread(post, newest_first)
    return {
        "post": post,
        "thread_html": thread_html,
        "count": count,
        "newest_first": newest_first,
        "open": services.comments_open(post, rules),
        "form": CommentForm(max_length=rules.max_length),
        "request": request,
    }


def _render_thread(post, newest_first):
    nodes, count = services.thread_for(post, newest_first=newest_first)
    html = render_to_string("comments/thread.html", {"nodes": nodes, "post": post}).strip()
    return html, count


def _thread(post, newest_first):
    """The rendered conversation and its count. The same for every reader, it is kept in the
    cache until anything shown on public pages changes (the page cache's generation, which
    comment moderation, edits and deletions move on), so a post with hundreds of comments
    does not render each of them for every reader the whole-page cache does not serve."""
    if not settings.COMMENT_THREAD_CACHE:
        html, count = _render_thread(post, newest_first)
        return mark_safe(html), count
    try:
        key = f"comments:thread:{post.pk}:{int(newest_first)}:{current_generation()}"
        found = cache.get(key)
    except Exception:  # the cache is down: the page must still show its comments
        logger.exception("comment thread cache: lookup failed")
        html, count = _render_thread(post, newest_first)
        return mark_safe(html), count
    if found is None:
        found = _render_thread(post, newest_first)
        try:
            cache.set(key, found, settings.COMMENT_THREAD_CACHE_SECONDS)
        except Exception:
            logger.exception("comment thread cache: store failed")
    html, count = found
    # Rendered by our own template, so already escaped; the cache may hand back a plain str.
    return mark_safe(html), count
