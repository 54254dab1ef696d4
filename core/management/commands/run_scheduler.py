import logging
import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from core.registry import scheduled_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Publish scheduled posts every --interval seconds, alert moderators about waiting "
        "comments, resume stalled mailings, start the weekly digest, and forget expired "
        "personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=30, help="Seconds between ticks.")
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, interval, once, **options):
        interval = max(interval, 1)
        last_run = {}
        while True:
            now = time.monotonic()
            for every, path in scheduled_jobs:
                if once or now - last_run.get(path, -every - 1) >= every:
                    last_run[path] = now
                    try:
                        import_string(path)()
                    except Exception:
                        # One failing job must not stop the others, nor the next tick.
                        logger.exception("scheduled job %s failed", path)
            if once:
                return
            time.sleep(interval)
