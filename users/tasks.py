"""Emails about staff accounts, sent by the task worker."""

from django.tasks import task
from django.utils import timezone

from core.email import send_email
from users.invitations import link_for
from users.models import Invitation, User


@task()
def send_invitation(invitation_id):
    """Email the link of an invitation that still works (a newer one may have replaced it)."""
    invitation = (
        Invitation.objects.select_related("user", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_usable or not invitation.user.email:
        return 0
    inviter = invitation.invited_by
    return send_email(
        "staff_invitation",
        invitation.user.email,
        {
            "person": invitation.user,
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "reset": invitation.reason == Invitation.Reason.RESET,
            "link": link_for(invitation),
            "expires_at": timezone.localtime(invitation.expires_at),
        },
    )


@task()
def send_enrolment_notice(user_id):
    """Tell the person an authenticator was enrolled on their account."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email or user.two_factor_enrolled_at is None:
        return 0
    return send_email(
        "two_factor_enrolled",
        user.email,
        {"person": user, "enrolled_at": timezone.localtime(user.two_factor_enrolled_at)},
    )
