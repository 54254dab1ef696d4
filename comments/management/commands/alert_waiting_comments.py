from django.core.management.base import BaseCommand

from comments.moderation import alert_if_comments_waiting


class Command(BaseCommand):
    help = "Email the moderators if comments have waited longer than the comment settings allow."

    def handle(self, *args, **options):
        if alert_if_comments_waiting():
            self.stdout.write("Moderators alerted.")
