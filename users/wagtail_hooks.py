from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import LogFormatter

from users import invitations, twofactor
from users.models import Invitation

VIA = {twofactor.BY_INVITATION: "from an invitation", twofactor.BY_SIGN_IN: "after signing in"}


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("users:two_factor_setup"),
        "label": "Two-factor authentication",
        "help_text": "Set up your authenticator app, or make new recovery codes.",
    }


@hooks.register("register_user_listing_buttons")
def two_factor_buttons(user, request_user):
    """Superusers reset or re-invite anyone; the listing annotates who has a working link."""
    if not request_user.is_superuser:
        return
    enrolled = user.two_factor_enrolled_at is not None
    yield ListingButton(
        "Reset two-factor" if enrolled else "Send a new invitation",
        reverse("users:two_factor_reset", args=[user.pk]),
        priority=60,
    )
    if getattr(user, "has_usable_invitation", False):
        yield ListingButton(
            "Withdraw invitation",
            reverse("users:invitation_revoke", args=[user.pk]),
            priority=61,
        )


@hooks.register("register_log_actions")
def two_factor_log_actions(actions):
    @actions.register_action(twofactor.ENROLLED)
    class Enrolled(LogFormatter):
        label = "Two-factor: authenticator enrolled"

        def format_message(self, log_entry):
            via = VIA.get(log_entry.data.get("via"), "")
            return f"Enrolled an authenticator {via}".strip()

    @actions.register_action(twofactor.RESET)
    class Reset(LogFormatter):
        label = "Two-factor: reset"

        def format_message(self, log_entry):
            return "Reset two-factor authentication (authenticator and recovery codes removed)"

    @actions.register_action(invitations.SENT)
    class Sent(LogFormatter):
        label = "Invitation: sent"

        def format_message(self, log_entry):
            reasons = dict(Invitation.Reason.choices)
            reason = reasons.get(log_entry.data.get("reason"), "")
            return "Sent an invitation to set a password and enrol an authenticator" + (
                f" ({reason.lower()})" if reason else ""
            )

    actions.register_action(invitations.REVOKED, "Invitation: withdrawn", "Withdrew the invitation")
    actions.register_action(
        invitations.ACCEPTED, "Invitation: accepted", "Accepted the invitation and set a password"
    )
