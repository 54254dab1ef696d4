import logging
import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# (every N seconds, job): scheduled publishing runs on every tick, the rest less often.
JOBS = [
    (0, "blog.services.publish_due_posts"),
    (300, "comments.moderation.alert_if_comments_waiting"),
    (3600, "comments.privacy.purge_expired"),
    (60, "subscriptions.sending.resume_stalled"),
    (60, "subscriptions.alerts.start_weekly_digest"),
    (300, "subscriptions.summary.send_daily_summary"),
    (3600, "subscriptions.services.purge_unconfirmed"),
    (3600, "submissions.privacy.purge_declined"),
    (3600, "core.ratelimit.purge_expired"),
]


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
            for every, path in JOBS:
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
