"""The dashboard panel of the subscriber list: how many are on it and where it is heading."""

from django.urls import reverse
from django.utils.formats import date_format
from wagtail.admin.ui.components import Component

from core.dashboard import DashboardPanel
from core.email import has_postal_address
from subscriptions.admin_views import can_view_subscribers, weekly_growth

WEEKS = 12
WIDTH, HEIGHT, PAD = 320, 64, 4


def sparkline(values):
    """Points of a small line of whole numbers in a WIDTH x HEIGHT box, as an SVG string."""
    top = max(max(values, default=0), 1)
    dx = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    return " ".join(
        f"{PAD + i * dx:.1f},{HEIGHT - PAD - value / top * (HEIGHT - 2 * PAD):.1f}"
        for i, value in enumerate(values)
    )


def subscriber_trend():
    growth = weekly_growth(weeks=WEEKS)
    on_list = [count for _, count, _ in growth]
    first_monday = growth[0][0]
    return {
        "template": "subscriptions/admin/dashboard_trend.html",
        "width": WIDTH,
        "height": HEIGHT,
        "points": sparkline(on_list),
        "first": on_list[0],
        "last": on_list[-1],
        "since": date_format(first_monday, "j M Y"),
        "new": sum(new for _, _, new in growth[-4:]),
    }


class SubscribersPanel(DashboardPanel):
    name = "subscribers"
    heading = "Subscribers"
    order = 110

    def is_shown(self, user):
        return can_view_subscribers(user)

    def context(self):
        chart = subscriber_trend()
        report_url = reverse("subscriptions_alerts_report")
        return {
            "chart": chart,
            "rows": [
                {"label": "On the list now", "url": report_url, "count": chart["last"]},
                {
                    "label": "Confirmed in the last 4 weeks",
                    "url": report_url,
                    "count": chart["new"],
                },
            ],
            "link_url": report_url,
            "link_label": "Open the email alerts report",
        }


class PostalAddressPanel(Component):
    """At the top of the dashboard while no alert or digest can go out for want of the
    organisation's postal address, with the way to the setting."""

    name = "postal_address"
    order = 5
    template_name = "subscriptions/admin/postal_address_panel.html"

    def render_html(self, parent_context=None):
        user = parent_context["request"].user
        shown = can_view_subscribers(user) or user.has_perm("core.change_sitesettings")
        if not shown or has_postal_address():
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        return {
            "settings_url": reverse("wagtailsettings:edit", args=["core", "sitesettings"]),
            "can_edit": parent_context["request"].user.has_perm("core.change_sitesettings"),
        }
