from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import badinput, checks, signals, sites  # noqa: F401  (checks registers itself)

        badinput.register_lookups()
        signals.connect()
        post_migrate.connect(sites.sync_default_site, sender=self)
