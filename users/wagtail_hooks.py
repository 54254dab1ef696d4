from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("users:two_factor_setup"),
        "label": "Two-factor authentication",
        "help_text": "Set up your authenticator app, or make new recovery codes.",
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if request_user.is_superuser:  # shown for everyone: no device query per row
        yield ListingButton(
            "Reset two-factor",
            reverse("users:two_factor_reset", args=[user.pk]),
            priority=60,
        )
