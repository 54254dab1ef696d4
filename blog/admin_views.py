"""Editorial reports in the Wagtail admin."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from blog.models import PostPage

REVIEW_HORIZON_DAYS = 30


class ReviewDueView(ReportView):
    """Medically reviewed posts whose next review is overdue or due within 30 days."""

    page_title = "Posts due for medical review"
    header_icon = "calendar-alt"
    index_url_name = "blog_review_due"
    index_results_url_name = "blog_review_due_results"
    model = PostPage
    any_permission_required = ["change", "publish"]
    list_export = ["title", "medical_reviewer", "last_reviewed", "next_review_due"]
    columns = [
        TitleColumn(
            "title",
            label="Post",
            get_url=lambda post: reverse("wagtailadmin_pages:edit", args=[post.pk]),
        ),
        Column("medical_reviewer", label="Reviewer"),
        Column(
            "last_reviewed", label="Last reviewed", accessor=lambda post: _day(post.last_reviewed)
        ),
        Column("next_review_due", label="Next review due", accessor=lambda post: _due(post)),
    ]

    def get_queryset(self):
        return PostPage.objects.due_for_review(REVIEW_HORIZON_DAYS).select_related(
            "medical_reviewer"
        )

    def get_filename(self):
        return "posts-due-for-review"


def _day(value):
    return date_format(value, "j M Y") if value else "—"


def _due(post):
    overdue = post.next_review_due < timezone.localdate()
    return f"{_day(post.next_review_due)} (overdue)" if overdue else _day(post.next_review_due)
