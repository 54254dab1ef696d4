from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Guest submissions"

    def ready(self):
        from core import registry
        from submissions import signals  # noqa: F401  (connects the receivers)

        registry.schedule(3600, "submissions.privacy.purge_declined")
