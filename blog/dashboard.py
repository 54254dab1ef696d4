"""The editors' dashboard panel: medical reviews coming due, posts waiting to go live and
drafts sent for review, each counted and linking to where the work is done."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from blog.models import BlogIndexPage, PostPage

SHOWN = 5  # items listed under each count; the link opens the whole list
REVIEW_HORIZON_DAYS = 30


def _edit_url(post):
    return reverse("wagtailadmin_pages:edit", args=[post.pk])


def _row(label, url, queryset, note):
    posts = list(queryset[:SHOWN])
    count = len(posts) if len(posts) < SHOWN else queryset.count()
    items = [{"title": post.title, "url": _edit_url(post), "note": note(post)} for post in posts]
    return {"label": label, "url": url, "count": count, "items": items}


def _posts_list_url():
    index = BlogIndexPage.objects.only("pk").first()
    return (
        reverse("wagtailadmin_explore", args=[index.pk])
        if index
        else reverse("wagtailadmin_explore_root")
    )


def editorial_rows():
    now = timezone.now()
    posts = PostPage.objects.all().only("pk", "title", "next_review_due", "go_live_at")
    review_due = posts.due_for_review(within_days=REVIEW_HORIZON_DAYS)
    scheduled = posts.not_live().filter(go_live_at__gt=now).order_by("go_live_at")
    # A workflow state names its page by a text id; few are open at a time.
    in_workflow = WorkflowState.objects.active().filter(
        content_type=ContentType.objects.get_for_model(PostPage)
    )
    ids = {int(pk) for pk in in_workflow.values_list("object_id", flat=True) if pk.isdigit()}
    in_review = posts.filter(pk__in=ids).order_by("-latest_revision_created_at")
    return [
        _row(
            f"Medical reviews due in {REVIEW_HORIZON_DAYS} days",
            reverse("blog_review_due"),
            review_due,
            lambda post: f"due {date_format(post.next_review_due, 'j M Y')}",
        ),
        _row(
            "Scheduled to go live",
            _posts_list_url(),
            scheduled,
            lambda post: date_format(timezone.localtime(post.go_live_at), "j M, H:i"),
        ),
        _row(
            "Submitted for review",
            reverse("wagtailadmin_reports:workflow"),
            in_review,
            lambda post: "",
        ),
    ]


class EditorialPanel(Component):
    name = "editorial"
    template_name = "admin/dashboard_panel.html"
    order = 85

    def get_context_data(self, parent_context):
        return {
            "panel_id": "editorial",
            "heading": "Posts",
            "rows": editorial_rows(),
        }

    def render_html(self, parent_context=None):
        user = parent_context["request"].user
        if not PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"}):
            return ""
        return super().render_html(parent_context)
