from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from users import twofactor  # noqa: F401  (connects the sign-in signal receiver)
