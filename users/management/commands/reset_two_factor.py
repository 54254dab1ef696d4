from django.core.management.base import BaseCommand, CommandError

from users import invitations
from users.management.staff import user_named


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator and recovery codes (a lost phone) and email them a new "
        "invitation to set a password and enrol again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = user_named(username)
        if not user.email:
            raise CommandError(
                f"{username} has no email address: set one, or run `manage.py enrolment_link "
                f"{username}` and give them the link yourself."
            )
        invitations.reset_and_invite(user)
        self.stdout.write(f"Reset: a new invitation went to {user.email}.")
