from django import template

from comments import services
from comments.forms import CommentForm
from comments.models import CommentSettings
from comments.text import render_comment

register = template.Library()


@register.filter
def comment_text(text):
    return render_comment(text or "")


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, post):
    request = context.get("request")
    newest_first = bool(request and request.GET.get("comments") == "newest")
    rules = CommentSettings.for_request(request) if request else services.rules_for(None)
    nodes, count = services.thread_for(post, newest_first=newest_first)
    return {
        "post": post,
        "nodes": nodes,
        "count": count,
        "newest_first": newest_first,
        "open": services.comments_open(post, rules),
        "form": CommentForm(max_length=rules.max_length),
        "request": request,
    }
