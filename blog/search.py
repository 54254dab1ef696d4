"""Full-text search over published posts (PostgreSQL FTS or SQLite FTS5 through Wagtail)."""

import re

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe

from blog.models import PostPage, Topic
from blog.models.pages import PostKind

MAX_QUERY_LENGTH = 200
# Characters that carry meaning in FTS query syntax; a reader's query is words, not syntax.
_FTS_SYNTAX = re.compile(r"[\"'*^:(){}\[\]<>\\;|&!~+\-=/@#%$`]+")


def clean_query(text):
    """The reader's words, with query-syntax characters and control characters removed."""
    text = "".join(ch for ch in text if ch.isprintable())
    text = _FTS_SYNTAX.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the blog",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Please use at most {MAX_QUERY_LENGTH} characters."},
    )
    topic = forms.SlugField(required=False)
    kind = forms.ChoiceField(choices=[("", "All kinds"), *PostKind.choices], required=False)

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])

    def clean_topic(self):
        slug = self.cleaned_data["topic"]
        if not slug:
            return None
        return Topic.objects.filter(slug=slug).first()


def search_posts(query, topic=None, kind=""):
    """Published posts matching the query, best first, optionally narrowed by topic and kind."""
    posts = PostPage.objects.published()
    if kind:
        posts = posts.filter(kind=kind)
    if topic is not None:
        # Wagtail filters search results only on indexed fields; narrow by primary key instead.
        posts = posts.filter(pk__in=list(topic.posts.values_list("pk", flat=True)))
    return posts.order_by().search(query, operator="and")


def highlight(text, query):
    """Escape text and wrap each query word found in it in <mark>."""
    words = sorted({w for w in clean_query(query).split() if len(w) > 1}, key=len, reverse=True)
    escaped = escape(text)
    if not words:
        return mark_safe(escaped)
    pattern = re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))
