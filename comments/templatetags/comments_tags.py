import logging
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from comments import services
from comments.forms import CommentForm
from comments.models import Comment, CommentSettings
from comments.text import render_comment
from core.pagecache import current_generation

register = template.Library()
logger = logging.getLogger(__name__)


@register.filter
def comment_text(text):
    return render_comment(text or "")


@register.filter
def http_url(url):
    """The URL if it is an http(s) address with a host, else "": only those become links."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return ""
    return parts.geturl() if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


@register.filter
def site_of(url):
    """The host name of an http(s) URL, without "www.", to name a linking site."""
    host = urlsplit(http_url(url)).hostname or ""
    return host.removeprefix("www.")


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, post):
    """The comment section of a post or page (its specific object); nothing where comments are
    off."""
    if not services.takes_comments(post):
        return {"shown": False}
    request = context.get("request")
    newest_first = bool(request and request.GET.get("comments") == "newest")
    rules = CommentSettings.for_request(request) if request else services.rules_for(None)
    thread_html, mentions_html, count = _thread(post, newest_first)
    return {
        "shown": True,
        "post": post,
        "thread_html": thread_html,
        "mentions_html": mentions_html,
        "count": count,
        "newest_first": newest_first,
        "open": services.comments_open(post, rules),
        "form": CommentForm(max_length=rules.max_length),
        "request": request,
    }


def _is_mention(node):
    return node.comment.kind != Comment.Kind.COMMENT


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.replies)


def _split_mentions(roots):
    """The conversation, and the pingbacks and trackbacks listed apart from it (oldest first).
    A reply to a mention (WordPress lets staff reply to one) stays in the conversation."""
    conversation, mentions = [], []
    for node in roots:
        if _is_mention(node):
            if node.comment.status == Comment.Status.APPROVED:
                mentions.append(node)
            conversation.extend(node.replies)
        else:
            conversation.append(node)
    mentions.sort(key=lambda node: (node.comment.created_at, node.comment.pk))
    return conversation, mentions


def _render_thread(post, newest_first):
    roots, published = services.thread_for(post, newest_first=newest_first)
    conversation, mentions = _split_mentions(roots)
    # Readers count the conversation: mentions are not comments anyone wrote here.
    pings = sum(
        1
        for node in _walk(roots)
        if _is_mention(node) and node.comment.status == Comment.Status.APPROVED
    )
    html = render_to_string("comments/thread.html", {"nodes": conversation, "post": post})
    mentions_html = render_to_string("comments/mentions.html", {"nodes": mentions})
    return html.strip(), mentions_html.strip(), published - pings


def _thread(post, newest_first):
    """The rendered conversation, its mentions and its count. The same for every reader, they
    are kept in the cache until anything shown on public pages changes (the page cache's
    generation, which comment moderation, edits and deletions move on), so a post with
    hundreds of comments does not render each of them for every reader the whole-page cache
    does not serve."""
    if not settings.COMMENT_THREAD_CACHE:
        return _safe(_render_thread(post, newest_first))
    try:
        # "v2": the value holds the mentions too; a copy stored by older code is not read.
        key = f"comments:thread:v2:{post.pk}:{int(newest_first)}:{current_generation()}"
        found = cache.get(key)
    except Exception:  # the cache is down: the page must still show its comments
        logger.exception("comment thread cache: lookup failed")
        return _safe(_render_thread(post, newest_first))
    if found is None:
        found = _render_thread(post, newest_first)
        try:
            cache.set(key, found, settings.COMMENT_THREAD_CACHE_SECONDS)
        except Exception:
            logger.exception("comment thread cache: store failed")
    return _safe(found)


def _safe(rendered):
    # Rendered by our own templates, so already escaped; the cache may hand back plain strs.
    html, mentions_html, count = rendered
    return mark_safe(html), mark_safe(mentions_html), count
