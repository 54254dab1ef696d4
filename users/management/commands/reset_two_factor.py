from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from users.twofactor import reset_two_factor


class Command(BaseCommand):
    help = "Remove a user's authenticator and recovery codes (a lost phone)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        if reset_two_factor(user):
            self.stdout.write(f"Reset: {username} sets up a new authenticator at next sign-in.")
        else:
            self.stdout.write(f"{username} had no two-factor device.")
