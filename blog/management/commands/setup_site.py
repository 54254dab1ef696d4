from django.conf import settings
from django.core.management.base import BaseCommand

from blog.setup import setup_site


class Command(BaseCommand):
    help = (
        "Create the production site at BASE_URL: home page, blog index, standard pages with "
        "starter texts and site settings, no demo posts (idempotent)."
    )

    def handle(self, *args, **options):
        created = setup_site()
        made = ", ".join(f"{kind} {count}" for kind, count in created.items() if count)
        self.stdout.write(f"Created: {made}." if made else "The site was already in place.")
        base = settings.BASE_URL
        self.stdout.write(self.style.SUCCESS(f"Site at {base}/ — edit its pages at {base}/admin/"))
