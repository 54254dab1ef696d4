import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "For a local run: create an 'admin' superuser once and print how to log in."

    def handle(self, *args, **options):
        User = get_user_model()
        credentials = Path(settings.VAR_DIR) / "admin-login.txt"
        admin_url = f"{settings.BASE_URL}/admin/"
        if not User.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", "admin@example.org", password)
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(f"admin\n{password}\n")
            credentials.chmod(0o600)
        if credentials.exists():
            username, password = credentials.read_text().split()[:2]
            self.stdout.write(f"Admin: {admin_url}  user: {username}  password: {password}")
        else:
            self.stdout.write(f"Admin: {admin_url}  (log in with your existing superuser)")
        if settings.ADMIN_2FA_REQUIRED:
            self.stdout.write(
                "After the password, set up an authenticator app (two-factor): possible for "
                f"{settings.ADMIN_2FA_ENROL_GRACE_DAYS} days after the account was made; later, "
                "`manage.py enrolment_link USERNAME` prints a one-use link to do it."
            )
        else:
            self.stdout.write("Two-factor sign-in is off here; ADMIN_2FA_REQUIRED=1 turns it on.")
