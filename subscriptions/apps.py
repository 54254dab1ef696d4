from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import registry
        from subscriptions import signals  # noqa: F401  (connects the receivers)

        registry.schedule(60, "subscriptions.sending.resume_stalled")
        registry.schedule(60, "subscriptions.alerts.start_weekly_digest")
        registry.schedule(300, "subscriptions.summary.send_daily_summary")
        registry.schedule(3600, "subscriptions.services.purge_unconfirmed")
