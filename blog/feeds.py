"""RSS 2.0, Atom and JSON Feed 1.1 for the whole blog, each topic and each contributor."""

import json
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.http import require_GET

from blog.jsonld import absolute, hero_rendition, script_safe
from blog.models import Contributor, PostPage, Topic
from core import fragments

FEED_SIZE = 20
# Rendered post bodies are kept per published revision; the timeout bounds how long a changed
# image or a moved linked page can stay stale in feeds.
CONTENT_CACHE_SECONDS = 6 * 60 * 60
_RELATIVE_URL = re.compile(r'(\s(?:src|href|poster)=")(/[^/"][^"]*|/)"')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


def absolutize(html):
    """Make root-relative links and image sources absolute, as feed readers need."""
    base = settings.BASE_URL
    html = _RELATIVE_URL.sub(lambda m: f'{m.group(1)}{base}{m.group(2)}"', html)

    def fix_srcset(match):
        parts = []
        for candidate in match.group(2).split(","):
            candidate = candidate.strip()
            parts.append(base + candidate if candidate.startswith("/") else candidate)
        return f'{match.group(1)}{", ".join(parts)}"'

    return _SRCSET.sub(fix_srcset, html)


def post_content_html(post):
    return absolutize(render_to_string("components/feed_content.html", {"page": post}))


def content_cache_key(post):
    published = post.last_published_at.timestamp() if post.last_published_at else 0
    return f"feed-content:{post.pk}:{post.live_revision_id}:{published}"


def attach_content_html(posts):
    """Set `feed_content_html` on each post, rendering only those not rendered before.

    Body images and page links cost queries per post, so rendering every post on every poll
    would make a feed's queries grow with its length.
    """
    keys = {post.pk: content_cache_key(post) for post in posts}
    found = cache.get_many(keys.values())
    fresh = {}
    for post in posts:
        key = keys[post.pk]
        if key not in found:
            fresh[key] = post_content_html(post)
        post.feed_content_html = found[key] if key in found else fresh[key]
    if fresh:
        cache.set_many(fresh, CONTENT_CACHE_SECONDS)
    return posts


class FeedScope:
    """Which posts a feed carries and how it names itself."""

    def __init__(self, title, description, link, posts, route_prefix, route_args=()):
        self.title = title
        self.description = description
        self.link = link
        self.posts = posts
        self.route_prefix = route_prefix
        self.route_args = route_args

    def items(self):
        return attach_content_html(list(self.posts.for_listing()[:FEED_SIZE]))

    def url(self, fmt):
        return absolute(reverse(f"{self.route_prefix}_{fmt}", args=self.route_args))


def site_scope():
    return FeedScope(
        "The Cancer Blog",
        "News, features, interviews, columns and guest posts on progress in cancer care.",
        "/",
        PostPage.objects.published(),
        "feed",
    )


def topic_scope(slug):
    topic = get_object_or_404(Topic, slug=slug)
    return FeedScope(
        f"{topic.name} — The Cancer Blog",
        topic.description or f"Posts about {topic.name} on The Cancer Blog.",
        topic.get_absolute_url(),
        PostPage.objects.published().with_topic(topic),
        "blog:topic_feed",
        (slug,),
    )


def contributor_scope(slug):
    contributor = get_object_or_404(Contributor, slug=slug)
    return FeedScope(
        f"{contributor.name} — The Cancer Blog",
        f"Posts by {contributor.name} on The Cancer Blog.",
        contributor.get_absolute_url(),
        PostPage.objects.published().by_contributor(contributor),
        "blog:contributor_feed",
        (slug,),
    )


class FullContentRss(Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtom(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class PostFeed(Feed):
    """Shared item rendering; subclasses pick the scope and the format."""

    feed_type = FullContentRss
    fmt = "rss"

    def __call__(self, request, *args, **kwargs):
        """The document for this address, kept per page-cache generation (core/fragments.py):
        it changes only when something shown on public pages does."""

        def render():
            response = super(PostFeed, self).__call__(request, *args, **kwargs)
            return response.content, response["Content-Type"], response.get("Last-Modified")

        parts = [request.scheme, request.get_host(), request.path]
        content, content_type, last_modified = fragments.cached(
            request, f"feed:{type(self).__name__}", parts, render
        )
        response = HttpResponse(content, content_type=content_type)
        if last_modified:
            response["Last-Modified"] = last_modified
        return response

    def get_object(self, request, slug=None):
        return self.scope(slug)

    def scope(self, slug):
        raise NotImplementedError

    def title(self, scope):
        return scope.title

    def description(self, scope):
        # Only RSS has a channel <description>, and readers take it as HTML like an item's: the
        # scope's text can hold a guest author's name, so it goes out escaped (issue 6, part C).
        return escape(scope.description)

    def subtitle(self, scope):
        return scope.description

    def link(self, scope):
        return absolute(scope.link)

    def feed_url(self, scope):
        return scope.url(self.fmt)

    def items(self, scope):
        return scope.items()

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        # Both RSS <description> and Atom <summary type="html"> carry HTML; the standfirst is text.
        return escape(post.standfirst)

    def item_link(self, post):
        return post.full_url

    def item_guid(self, post):
        return post.full_url

    def item_pubdate(self, post):
        return post.first_published_at

    def item_updateddate(self, post):
        return post.last_published_at

    def item_author_name(self, post):
        return ", ".join(c.name for c in post.contributors) or None

    def item_categories(self, post):
        return [topic.name for topic in post.topics.all()]

    def item_extra_kwargs(self, post):
        return {"content_html": post.feed_content_html}


class SiteRssFeed(PostFeed):
    def scope(self, slug):
        return site_scope()


class SiteAtomFeed(SiteRssFeed):
    feed_type = FullContentAtom
    fmt = "atom"


class TopicRssFeed(PostFeed):
    def scope(self, slug):
        return topic_scope(slug)


class TopicAtomFeed(TopicRssFeed):
    feed_type = FullContentAtom
    fmt = "atom"


class ContributorRssFeed(PostFeed):
    def scope(self, slug):
        return contributor_scope(slug)


class ContributorAtomFeed(ContributorRssFeed):
    feed_type = FullContentAtom
    fmt = "atom"


def json_feed(scope):
    """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    items = []
    for post in scope.items():
        item = {
            "id": post.full_url,
            "url": post.full_url,
            "title": post.title,
            "summary": post.standfirst,
            "content_html": post.feed_content_html,
            "date_published": post.first_published_at.isoformat(),
            "authors": [
                {"name": c.name, "url": absolute(c.get_absolute_url())} for c in post.contributors
            ],
            "tags": [topic.name for topic in post.topics.all()],
        }
        if post.last_published_at:
            item["date_modified"] = post.last_published_at.isoformat()
        rendition = hero_rendition(post)
        if rendition is not None:
            item["image"] = absolute(rendition.url)
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": scope.title,
        "home_page_url": absolute(scope.link),
        "feed_url": scope.url("json"),
        "description": scope.description,
        "language": "en-GB",
        "items": items,
    }
    text = script_safe(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False))
    return HttpResponse(text, content_type="application/feed+json; charset=utf-8")


@require_GET
def site_json_feed(request):
    return json_feed(site_scope())


@require_GET
def topic_json_feed(request, slug):
    return json_feed(topic_scope(slug))


@require_GET
def contributor_json_feed(request, slug):
    return json_feed(contributor_scope(slug))
