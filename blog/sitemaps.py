"""What /sitemap.xml lists: every live public page, and the topics and authors with posts."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from blog.models import Contributor, Topic


class BaseUrlSitemap(Sitemap):
    """Addresses under BASE_URL, whichever host name the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.BASE_URL).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.BASE_URL).netloc or super().get_domain(site)

    def lastmod(self, obj):
        return obj.latest_post_at


class TopicSitemap(BaseUrlSitemap):
    changefreq = "weekly"

    def items(self):
        # A topic without a published post is an empty page, not worth a crawler's visit.
        return (
            Topic.objects.annotate(
                latest_post_at=Max("posts__last_published_at", filter=Q(posts__live=True))
            )
            .filter(latest_post_at__isnull=False)
            .order_by("name", "pk")
        )


class ContributorSitemap(BaseUrlSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Contributor.objects.filter(post_links__post__live=True)
            .annotate(latest_post_at=Max("post_links__post__last_published_at"))
            .order_by("name", "pk")
        )


sitemaps = {"pages": WagtailSitemap, "topics": TopicSitemap, "authors": ContributorSitemap}
