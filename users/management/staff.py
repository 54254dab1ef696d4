from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_named(username):
    """The account a command names, or a CommandError an operator understands."""
    User = get_user_model()
    try:
        return User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist:
        raise CommandError(f"No user {username!r}.") from None
