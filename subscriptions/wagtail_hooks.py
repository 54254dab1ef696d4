from django.contrib import messages
from django.urls import path, reverse
from django.utils.http import urlencode
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from subscriptions.admin_views import (
    EmailAlertsReportView,
    SubscriberPermissionPolicy,
    SubscriberViewSet,
    alert_preview,
    can_view_subscribers,
    counts_label,
    post_alert_counts,
)
from subscriptions.admin_views.mailing import MailingView, mailing_status_view
from subscriptions.alerts import ALERT_LOG_ACTION
from subscriptions.dashboard import PostalAddressPanel, SubscribersPanel
from subscriptions.models import Subscriber
from subscriptions.outlook import alert_outlook

# Before anything asks Wagtail for the policy, or it would make a default one.
register_permission_policy(Subscriber, SubscriberPermissionPolicy(Subscriber))


@hooks.register("register_admin_viewset")
def subscribers_viewset():
    return SubscriberViewSet("subscribers")


@hooks.register("register_admin_urls")
def alerts_report_urls():
    return [
        path(
            "reports/email-alerts/",
            EmailAlertsReportView.as_view(),
            name="subscriptions_alerts_report",
        ),
        path(
            "reports/email-alerts/mailings/<int:pk>/",
            MailingView.as_view(),
            name="subscriptions_mailing",
        ),
        path(
            "reports/email-alerts/mailings/<int:pk>/status/",
            mailing_status_view,
            name="subscriptions_mailing_status",
        ),
        path(
            "email-alerts/preview/<int:page_id>/",
            alert_preview.preview_alert,
            name="subscriptions_alert_preview",
        ),
        path(
            "email-alerts/test/<int:page_id>/",
            alert_preview.send_test,
            name="subscriptions_alert_test",
        ),
    ]


class AlertsReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_subscribers(request.user)


@hooks.register("register_reports_menu_item")
def alerts_report_menu_item():
    return AlertsReportMenuItem(
        "Email alerts",
        reverse("subscriptions_alerts_report"),
        name="email-alerts",
        icon_name="mail",
        order=660,
    )


def _report_url(page):
    return f"{reverse('subscriptions_alerts_report')}?{urlencode({'post': page.pk})}"


def _is_post(page):
    from blog.models import PostPage

    return issubclass(page.specific_class or type(page), PostPage)


@hooks.register("register_page_header_buttons")
def alert_counts_header_button(page, user, view_name, next_url=None):
    """On a post's own admin pages: what its alert did, linking to the report."""
    if not _is_post(page) or not can_view_subscribers(user):
        return
    counts = post_alert_counts(page.pk)
    if not any(counts.values()):
        return
    yield Button(counts_label(counts), url=_report_url(page), icon_name="mail", priority=90)


@hooks.register("register_page_listing_more_buttons")
def alert_report_listing_button(page, user, next_url=None):
    # No counts here: they would cost a query for every row of the listing.
    if _is_post(page) and can_view_subscribers(user):
        yield Button("Email alert report", url=_report_url(page), icon_name="mail", priority=70)


@hooks.register("construct_homepage_panels")
def add_subscribers_panel(request, panels):
    panels.append(PostalAddressPanel())
    panels.append(SubscribersPanel())


@hooks.register("register_page_header_buttons")
def alert_preview_header_button(page, user, view_name, next_url=None):
    """Before (and after) publishing: see the alert and send yourself a copy."""
    if _is_post(page) and page.permissions_for_user(user).can_edit():
        url = reverse("subscriptions_alert_preview", args=[page.pk])
        yield Button("Preview email alert", url=url, icon_name="mail", priority=92)


@hooks.register("after_publish_page")
def say_what_publishing_set_off(request, page):
    if _is_post(page):
        messages.info(request, alert_outlook(page.specific))


@hooks.register("register_log_actions")
def register_alert_log_action(actions):
    @actions.register_action(ALERT_LOG_ACTION)
    class AlertLogFormatter(LogFormatter):
        label = "Email alert"

        def format_message(self, log_entry):
            count = log_entry.data.get("recipients", 0)
            return f"Email alert sent to {count:,} subscriber{'s' if count != 1 else ''}"
