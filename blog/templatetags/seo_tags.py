"""What a page tells search engines and link previews: canonical URL, description, Open Graph,
Twitter card, robots and JSON-LD, worked out from the template context."""

from dataclasses import dataclass, field
from urllib.parse import urlparse

from django import template
from django.conf import settings
from django.utils.text import Truncator
from wagtail.models import Page, Site

from blog import jsonld
from blog.models import Contributor, HomePage, PostPage, Topic
from core.models import SiteSettings

register = template.Library()

DESCRIPTION_LENGTH = 300

# Titles for the views that have neither a page, a topic nor a contributor.
VIEW_TITLES = {
    "blog:topic_list": "Topics",
    "blog:contributor_list": "Authors",
    "blog:corrections": "Corrections",
    "search": "Search",
}
NOINDEX_VIEWS = {"search"}


@dataclass
class Seo:
    site_name: str = ""
    title: str = ""
    description: str = ""
    canonical: str = ""
    robots: str = ""
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    image_width: int | None = None
    image_height: int | None = None
    published_time: str = ""
    modified_time: str = ""
    section: str = ""
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    twitter_site: str = ""
    json_ld: str = ""  # a ready <script type="application/ld+json"> block, or ""

    @property
    def twitter_card(self):
        return "summary_large_image" if self.image else "summary"


def clean_text(text, length=DESCRIPTION_LENGTH):
    return Truncator(" ".join((text or "").split())).chars(length)


def canonical_path(request):
    """The request path, with ?page=N kept for the second page of a list onwards."""
    number = request.GET.get("page", "")
    if number.isdigit() and int(number) > 1:
        return f"{request.path}?page={int(number)}"
    return request.path


def x_handle(url):
    """'@name' from an X (Twitter) profile address, or ''."""
    parsed = urlparse(url or "")
    if parsed.netloc.lower().removeprefix("www.") not in ("x.com", "twitter.com"):
        return ""
    name = parsed.path.strip("/").split("/")[0]
    return f"@{name}" if name else ""


def site_settings_for(request):
    site = Site.find_for_request(request)
    if site is None:
        return None, SiteSettings()
    return site, SiteSettings.for_request(request)


def describe_post(seo, post, site_settings):
    post.prefetch_for_display()
    seo.og_type = "article"
    seo.description = clean_text(post.search_description or post.standfirst)
    if post.first_published_at:
        seo.published_time = post.first_published_at.isoformat()
    modified = post.last_published_at or post.first_published_at
    if modified:
        seo.modified_time = modified.isoformat()
    seo.section = post.get_kind_display()
    seo.tags = list(
        dict.fromkeys(
            [topic.name for topic in post.topics.all()] + [tag.name for tag in post.tags.all()]
        )
    )
    seo.authors = [jsonld.absolute(c.get_absolute_url()) for c in post.contributors]
    rendition = jsonld.hero_rendition(post)
    if rendition is not None:
        seo.image = jsonld.absolute(rendition.url)
        seo.image_alt = post.hero_alt
        seo.image_width, seo.image_height = rendition.width, rendition.height
    if seo.canonical:  # a preview of a page not yet in the tree has no address to describe
        seo.json_ld = jsonld.script_tag(jsonld.for_post(post, site_settings, url=seo.canonical))


def describe_page(seo, page, request, site_settings):
    page = page.specific_deferred if type(page) is Page else page
    seo.title = page.seo_title or page.title
    seo.canonical = page.get_full_url(request) or ""
    if isinstance(page, PostPage):
        describe_post(seo, page, site_settings)
        return
    seo.description = clean_text(page.search_description or getattr(page, "intro", ""))
    if isinstance(page, HomePage):
        seo.title = seo.site_name or seo.title
        seo.json_ld = jsonld.script_tag(
            jsonld.for_website(seo.site_name, site_settings, url=seo.canonical)
        )
    elif seo.canonical:
        # Lists under a page (the blog index) keep their page number.
        query = canonical_path(request)[len(request.path) :]
        seo.canonical += query


def build(context):
    request = context.get("request")
    seo = Seo(site_name=settings.WAGTAIL_SITE_NAME)
    if request is None:
        # Error pages render without a request and must not touch the database.
        return seo
    site, site_settings = site_settings_for(request)
    if site is not None and site.site_name:
        seo.site_name = site.site_name
    seo.twitter_site = x_handle(site_settings.x_url)
    match = request.resolver_match
    view_name = match.view_name if match else ""

    page, topic, contributor = context.get("page"), context.get("topic"), context.get("contributor")
    if isinstance(page, Page):
        describe_page(seo, page, request, site_settings)
    else:
        seo.canonical = jsonld.absolute(canonical_path(request))
        if isinstance(topic, Topic):
            seo.title = topic.name
            seo.description = clean_text(topic.description)
        elif isinstance(contributor, Contributor):
            seo.title = contributor.name
            seo.description = clean_text(contributor.bio or contributor.description_line)
            seo.json_ld = jsonld.script_tag(
                jsonld.for_contributor(contributor, url=jsonld.absolute(request.path))
            )
        else:
            seo.title = VIEW_TITLES.get(view_name, seo.site_name)
    if view_name in NOINDEX_VIEWS or getattr(request, "is_preview", False):
        seo.robots = "noindex"
    seo.description = seo.description or clean_text(site_settings.tagline)
    seo.title = seo.title or seo.site_name
    return seo


@register.simple_tag(takes_context=True)
def seo_meta(context):
    """Everything includes/seo.html renders, as one object: `{% seo_meta as seo %}`."""
    return build(context)
