from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import badinput, checks, registry, signals, sites  # noqa: F401  (checks: itself)

        badinput.register_lookups()
        signals.connect()
        registry.schedule(3600, "core.ratelimit.purge_expired")
        post_migrate.connect(sites.sync_default_site, sender=self)
