"""What every page shares: its public address starts with BASE_URL, the one public origin; and
what it does with readers' comments."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models


def site_address(base_url=None):
    """The (hostname, port) a Wagtail Site needs for its root URL to be `base_url` (BASE_URL)."""
    parts = urlsplit(base_url or settings.BASE_URL)
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def site_root_url(hostname, port):
    """Wagtail's Site.root_url for this address: only ports 80 and 443 say their scheme."""
    if port == 80:
        return f"http://{hostname}"
    if port == 443:
        return f"https://{hostname}"
    return f"http://{hostname}:{port}"


class PublicOriginMixin:
    """With one Site (one public blog), every absolute address of a page starts with BASE_URL,
    whatever its Site record says: canonical links, og:url, share links, JSON-LD, sitemaps, feeds,
    emails and the admin's links agree with each other. With several Sites, each keeps its own
    address; `migrate` keeps the default one in step with BASE_URL (core.sites)."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if parts is None or len(self._get_site_root_paths(request)) != 1:
            return parts
        site_id, _root_url, page_path = parts
        return site_id, settings.BASE_URL, page_path


class CommentMode(models.TextChoices):
    """What a page does with readers' comments. A page takes part in comments by having a
    `comment_mode` (a field or a property); a page without one takes none."""

    OFF = "off", "Off: no comments"
    OPEN = "open", "Open: readers can comment"
    CLOSED = "closed", "Closed: comments stay shown, no new ones"
