import logging
import time

from django.core.management.base import BaseCommand

from blog.services import publish_due_posts

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Publish scheduled posts (and unpublish expired ones) every --interval seconds."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=30, help="Seconds between runs.")
        parser.add_argument("--once", action="store_true", help="Run once and exit (for cron).")

    def handle(self, *args, interval, once, **options):
        if interval < 1:
            interval = 1
        while True:
            try:
                publish_due_posts()
            except Exception:
                # A bad revision must not stop the next ones from going live.
                logger.exception("scheduled publishing failed; retrying in %s s", interval)
            if once:
                return
            time.sleep(interval)
