"""The default Wagtail Site follows BASE_URL: kept in step at every `migrate`, checked at
`check --deploy`."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from core.pages import site_address, site_root_url


def sync_default_site(**kwargs):
    """post_migrate: give the default Site BASE_URL's host name and port."""
    from wagtail.models import Site

    hostname, port = site_address()
    try:
        Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(
            hostname=hostname, port=port
        )
    except DatabaseError:  # Wagtail's tables are not there yet
        return
    Site.clear_site_root_paths_cache()


@checks.register(checks.Tags.sites, deploy=True)
def check_default_site(app_configs=None, **kwargs):
    from wagtail.models import Site

    try:
        sites = list(Site.objects.values_list("hostname", "port", "is_default_site"))
    except DatabaseError:  # not migrated yet: nothing to compare
        return []
    defaults = [(hostname, port) for hostname, port, is_default in sites if is_default]
    if not defaults:
        return []
    root_url = site_root_url(*defaults[0])
    if root_url == settings.BASE_URL:
        return []
    if len(sites) == 1 and root_url == site_root_url(*site_address()):
        return []  # https on a port other than 443: one site takes BASE_URL (core.pages)
    return [
        checks.Error(
            f"The default Wagtail site answers at {root_url}, but BASE_URL is "
            f"{settings.BASE_URL}: the admin's site list, and with several sites every page "
            "address, would carry another origin than emails and feeds.",
            hint="Run `manage.py migrate` (it sets the default site from BASE_URL), or fix "
            "the site under Settings -> Sites. With several sites, BASE_URL must use port 80 "
            "(http) or 443 (https).",
            id="core.E001",
        )
    ]
