from django.core.management.base import BaseCommand

from comments.privacy import purge_expired


class Command(BaseCommand):
    help = (
        "Forget hashed IP addresses on comments and reports older than the retention period, "
        "and follow requests never confirmed."
    )

    def handle(self, *args, **options):
        counts = purge_expired()
        self.stdout.write(
            f"Forgot IP hashes on {counts['comments']} comments and {counts['reports']} reports; "
            f"deleted {counts['unconfirmed_follows']} unconfirmed follow requests."
        )
