"""Two-factor authentication for staff: who needs a second factor, devices and recovery codes.

A TOTP device (an authenticator app) is the second factor; a static device holds ten one-use
recovery codes. Whether a user had a confirmed device is noted in the session at sign-in, so the
middleware costs no query on each request.

No trust on first use: a password alone lets someone enrol an authenticator only on an account
never invited, within ADMIN_2FA_ENROL_GRACE_DAYS of `User.two_factor_grace_from`; everyone
else enrols from an emailed invitation (users/invitations.py). Every enrolment and reset is a
line in the account's history (Wagtail's log entries), and an enrolment is emailed to the person.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from core.tasks import enqueue_on_commit
from users.models import Invitation

ENROLLED, RESET = "users.two_factor.enrolled", "users.two_factor.reset"
BY_SIGN_IN, BY_INVITATION = "sign-in", "invitation"

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


def enrol_deadline(user):
    return user.two_factor_grace_from + timedelta(days=settings.ADMIN_2FA_ENROL_GRACE_DAYS)


def may_enrol_by_password(user):
    """Whether this account may enrol an authenticator from a password-only sign-in."""
    if timezone.now() >= enrol_deadline(user):
        return False
    return not Invitation.objects.filter(user=user).exists()


def pending_totp_device(user):
    """The authenticator being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_totp_device(device, via=BY_SIGN_IN):
    """Confirm the device, forget other pending ones, and return fresh recovery codes.

    The enrolment is noted on the account, logged in its history and emailed to the person.
    """
    user = device.user
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    user.two_factor_enrolled_at = timezone.now()
    user.save(update_fields=["two_factor_enrolled_at"])
    log(user, ENROLLED, user=user, data={"via": via})
    enqueue_on_commit("users.tasks.send_enrolment_notice", user.pk)
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes; the codes are returned once and never shown again."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def reset_two_factor(user, by=None):
    """Remove every device of the user; returns how many there were.

    Callers send a fresh invitation (users.invitations.reset_and_invite): a reset account
    cannot enrol again from its password alone.
    """
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    deleted += StaticDevice.objects.filter(user=user).delete()[0]
    user.two_factor_enrolled_at = None
    user.save(update_fields=["two_factor_enrolled_at"])
    log(user, RESET, user=by, data={"devices": deleted})
    return deleted
