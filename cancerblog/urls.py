import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from blog import feeds
from blog import views as blog_views
from core import views as core_views
from core.media import serve_media

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("sitemap.xml", blog_views.sitemap, name="sitemap"),
    path("admin/two-factor/", include("users.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", blog_views.search, name="search"),
    path("feed/", feeds.SiteRssFeed(), name="feed_rss"),
    path("feed/atom/", feeds.SiteAtomFeed(), name="feed_atom"),
    path("feed/json/", feeds.site_json_feed, name="feed_json"),
    path("comments/", include("comments.urls")),
    path("subscribe/", include("subscriptions.urls")),
    path("anymail/", include("anymail.urls")),
    path("", include("submissions.urls")),
    path("", include("blog.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # Answers only with DEBUG or SERVE_MEDIA (core/media.py); otherwise nginx serves /media/.
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", serve_media)
    )

urlpatterns.append(path("", include(wagtail_urls)))

handler404 = "blog.views.page_not_found"
handler500 = "blog.views.server_error"
