"""The dashboard panel of guest posts waiting for an editor, by status."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component

from submissions.admin_views import WAITING, can_view_submissions
from submissions.models import Submission

SHOWN = 5


def waiting_rows():
    index_url = reverse("guest_posts:index")
    rows = []
    for status in WAITING:
        waiting = Submission.objects.not_erased().filter(status=status).order_by("created_at")
        shown = list(waiting.only("pk", "title", "created_at")[:SHOWN])
        rows.append(
            {
                "label": Submission.Status(status).label,
                "url": f"{index_url}?{urlencode({'status': status})}",
                "count": len(shown) if len(shown) < SHOWN else waiting.count(),
                "items": [
                    {
                        "title": submission.title or "(untitled)",
                        "url": reverse("guest_posts:inspect", args=[submission.pk]),
                        "note": f"sent {date_format(submission.created_at, 'j M')}",
                    }
                    for submission in shown
                ],
            }
        )
    return rows


class GuestPostsPanel(Component):
    name = "guest_posts_waiting"
    template_name = "admin/dashboard_panel.html"
    order = 95

    def get_context_data(self, parent_context):
        return {
            "panel_id": "guest-posts-waiting",
            "heading": "Guest posts waiting",
            "rows": waiting_rows(),
            "link_url": reverse("guest_posts:index"),
            "link_label": "Open guest posts",
        }

    def render_html(self, parent_context=None):
        if not can_view_submissions(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)
