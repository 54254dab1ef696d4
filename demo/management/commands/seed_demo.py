import logging

from django.conf import settings
from django.core.management.base import BaseCommand

from core.pages import site_root_url
from demo.seed import seed_demo


def site_url(hostname, port):
    return site_root_url(hostname, port) if hostname else settings.BASE_URL


def counted(counts):
    return ", ".join(f"{name} {count}" for name, count in counts.items() if count)


class Command(BaseCommand):
    help = "Create the demo site content (idempotent: what already exists is left alone)."

    def add_arguments(self, parser):
        parser.add_argument("--hostname", help="Default site's hostname (BASE_URL's).")
        parser.add_argument("--port", type=int, help="Default site's port (BASE_URL's).")

    def handle(self, *args, hostname, port, verbosity, **options):
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        if verbosity < 2:
            # One line per page created, revised and published would bury the summary.
            wagtail_log.setLevel(logging.WARNING)
        try:
            result = seed_demo(hostname=hostname, port=port)
        finally:
            wagtail_log.setLevel(level)
        created = counted(result.created)
        self.stdout.write(f"Created: {created}." if created else "Demo content already in place.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo site {site_url(hostname, port)}/ — {counted(result.totals)}.")
        )
