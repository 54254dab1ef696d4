"""The dashboard panel of guest posts waiting for an editor, by status."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode

from core.dashboard import DashboardPanel, counted_row
from submissions.admin_views import WAITING, can_view_submissions
from submissions.models import Submission


def _item(submission):
    return {
        "title": submission.title or "(untitled)",
        "url": reverse("guest_posts:inspect", args=[submission.pk]),
        "note": f"sent {date_format(submission.created_at, 'j M')}",
    }


def waiting_rows():
    index_url = reverse("guest_posts:index")
    return [
        counted_row(
            Submission.Status(status).label,
            f"{index_url}?{urlencode({'status': status})}",
            Submission.objects.not_erased()
            .filter(status=status)
            .order_by("created_at")
            .only("pk", "title", "created_at"),
            _item,
        )
        for status in WAITING
    ]


class GuestPostsPanel(DashboardPanel):
    name = "guest_posts_waiting"
    heading = "Guest posts waiting"
    order = 95

    def is_shown(self, user):
        return can_view_submissions(user)

    def context(self):
        return {
            "rows": waiting_rows(),
            "link_url": reverse("guest_posts:index"),
            "link_label": "Open guest posts",
        }
