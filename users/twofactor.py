"""Two-factor authentication for staff: who needs a second factor, devices and recovery codes.

A TOTP device (an authenticator app) is the second factor; a static device holds ten one-use
recovery codes. Whether a user had a confirmed device is noted in the session at sign-in, so the
middleware costs no query on each request.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

HAS_DEVICE_SESSION_KEY = "users_two_factor_device"
RECOVERY_CODES = 10
SETUP, VERIFY = "setup", "verify"


def can_use_admin(user):
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def note_device(request, has_device):
    request.session[HAS_DEVICE_SESSION_KEY] = has_device


@receiver(user_logged_in, dispatch_uid="users_two_factor_note_device")
def _note_device_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        note_device(request, user_has_device(user, confirmed=True))


def second_factor_step(request, user):
    """SETUP or VERIFY when this signed-in, unverified user must pass a second factor first."""
    has_device = request.session.get(HAS_DEVICE_SESSION_KEY)
    if has_device is None:  # a session from before two-factor authentication existed
        has_device = user_has_device(user, confirmed=True)
        note_device(request, has_device)
    if has_device:
        return VERIFY
    if settings.ADMIN_2FA_REQUIRED and can_use_admin(user):
        return SETUP
    return None


def pending_totp_device(user):
    """The authenticator being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_totp_device(device):
    """Confirm the device, forget other pending ones, and return fresh recovery codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes; the codes are returned once and never shown again."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def reset_two_factor(user):
    """Remove every device of the user: they set up a new authenticator at their next sign-in."""
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    deleted += StaticDevice.objects.filter(user=user).delete()[0]
    return deleted
