"""Invitations: how new staff (and anyone whose two-factor was reset) get into the admin.

A superuser, or whoever may add users, invites someone by email; the one-use link lets them
choose a password and enrol an authenticator in one go. The link's token is `<hmac><id>`: an
HMAC (64 hex digits) under SECRET_KEY of the invitation's id and a random nonce kept in its row,
then the id; all hex, so log lines show it as `:token` even where the URL does not resolve.
Nobody can make one without the key, a leaked database holds none, and the row decides whether
it still works: not used, not revoked, not replaced by a newer one, not past `expires_at`
(ADMIN_INVITATION_HOURS).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from core.links import absolute
from core.tasks import enqueue_on_commit
from users import twofactor
from users.models import Invitation

SENT, REVOKED, ACCEPTED = (
    "users.invitation.sent",
    "users.invitation.revoked",
    "users.invitation.accepted",
)
_SALT = "users.invitation"
# A primary key beyond 64 bits would make the database refuse the query.
_MAX_ID_DIGITS = 18
_MAC_LENGTH = 64


def token_for(invitation):
    mac = salted_hmac(_SALT, f"{invitation.pk}:{invitation.nonce}", algorithm="sha256").hexdigest()
    return f"{mac}{invitation.pk}"


def link_for(invitation):
    return absolute(reverse("users:invitation", args=[token_for(invitation)]))


def find_invitation(token):
    """The invitation a link belongs to while it still works, else None (forged, used, expired,
    revoked or replaced: the same answer for all)."""
    pk = token[_MAC_LENGTH:]
    if not (pk.isascii() and pk.isdigit() and len(pk) <= _MAX_ID_DIGITS):
        return None
    invitation = Invitation.objects.select_related("user").filter(pk=int(pk)).first()
    if invitation is None or not constant_time_compare(token, token_for(invitation)):
        return None
    return invitation if invitation.is_usable else None


def _revoke_usable(user, now):
    return Invitation.objects.filter(
        user=user, used_at=None, revoked_at=None, expires_at__gt=now
    ).update(revoked_at=now)


@transaction.atomic
def create_invitation(user, by=None, reason=Invitation.Reason.NEW):
    """A fresh invitation for `user`; earlier links stop working. Sends nothing."""
    now = timezone.now()
    _revoke_usable(user, now)
    invitation = Invitation.objects.create(
        user=user,
        invited_by=by,
        reason=reason,
        nonce=secrets.token_hex(32),
        created_at=now,
        expires_at=now + timedelta(hours=settings.ADMIN_INVITATION_HOURS),
    )
    log(
        user,
        SENT,
        user=by,
        data={"reason": reason, "expires_at": invitation.expires_at.isoformat()},
    )
    return invitation


@transaction.atomic
def send_invitation(user, by=None, reason=Invitation.Reason.NEW):
    """A fresh invitation for `user`, emailed to them once the transaction commits."""
    invitation = create_invitation(user, by=by, reason=reason)
    enqueue_on_commit("users.tasks.send_invitation", invitation.pk)
    return invitation


@transaction.atomic
def invite_staff(*, username, email, first_name, last_name, groups, is_superuser=False, by):
    """Make an account without a password and email its invitation."""
    user = get_user_model()(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_unusable_password()
    user.save()
    user.groups.set(groups)
    log(user, "wagtail.create", user=by)
    send_invitation(user, by=by, reason=Invitation.Reason.NEW)
    return user


@transaction.atomic
def reset_and_invite(user, by=None):
    """A lost phone: remove the person's authenticator and recovery codes, and email them a new
    invitation (a reset account cannot enrol from its password alone)."""
    twofactor.reset_two_factor(user, by=by)
    return send_invitation(user, by=by, reason=Invitation.Reason.RESET)


@transaction.atomic
def revoke_invitations(user, by=None):
    """Make every working link of `user` stop working; returns how many there were."""
    revoked = _revoke_usable(user, timezone.now())
    if revoked:
        log(user, REVOKED, user=by, data={"invitations": revoked})
    return revoked


@transaction.atomic
def accept_invitation(invitation, password, device):
    """Use the invitation once: set the password and confirm `device`, replacing any other
    authenticator. Returns the new recovery codes, or None if the link stopped working meanwhile."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, used_at=None, revoked_at=None, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:
        return None
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    log(user, ACCEPTED, user=user, data={"invitation": invitation.pk})
    return twofactor.confirm_totp_device(device, via=twofactor.BY_INVITATION)
