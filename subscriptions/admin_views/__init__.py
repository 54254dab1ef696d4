"""Subscribers and email alerts in the Wagtail admin."""

from subscriptions.admin_views.report import (
    EmailAlertsReportView,
    counts_label,
    post_alert_counts,
    weekly_growth,
)
from subscriptions.admin_views.subscribers import (
    SubscriberPermissionPolicy,
    SubscriberViewSet,
    can_view_subscribers,
    neutralise,
)

__all__ = [
    "EmailAlertsReportView",
    "SubscriberPermissionPolicy",
    "SubscriberViewSet",
    "can_view_subscribers",
    "counts_label",
    "neutralise",
    "post_alert_counts",
    "weekly_growth",
]
