from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import checks, signals  # noqa: F401  (checks registers itself)

        signals.connect()
