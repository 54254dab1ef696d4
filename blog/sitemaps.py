from django.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from blog.models import Contributor, Topic


class TopicSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Topic.objects.all()


class ContributorSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Contributor.objects.filter(post_links__isnull=False).distinct()


sitemaps = {"pages": WagtailSitemap, "topics": TopicSitemap, "authors": ContributorSitemap}
