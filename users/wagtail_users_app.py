from wagtail.users.apps import WagtailUsersAppConfig


class StaffUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our viewset: adding a user invites them (users/viewsets.py)."""

    user_viewset = "users.viewsets.UserViewSet"
