from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from users import invitations
from users.management.staff import user_named
from users.models import Invitation


class Command(BaseCommand):
    help = (
        "Print a one-use link where USERNAME chooses a password and enrols an authenticator "
        "(the first superuser, or anyone without a working email). Earlier links stop working; "
        "an authenticator they had is replaced when the link is used."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = user_named(username)
        if not user.is_active:
            raise CommandError(f"{username} is not active.")
        invitation = invitations.create_invitation(user, reason=Invitation.Reason.COMMAND)
        self.stdout.write(invitations.link_for(invitation))
        self.stderr.write(
            f"Works once, for {settings.ADMIN_INVITATION_HOURS} hours. Give it to {username} "
            "only: whoever opens it sets the password and the authenticator."
        )
