"""The editors' dashboard panel: medical reviews coming due, posts waiting to go live and
drafts sent for review, each counted and linking to where the work is done."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.models import WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from blog.models import BlogIndexPage, PostPage
from core.dashboard import DashboardPanel, counted_row

REVIEW_HORIZON_DAYS = 30


def _item(note):
    def item(post):
        url = reverse("wagtailadmin_pages:edit", args=[post.pk])
        return {"title": post.title, "url": url, "note": note(post)}

    return item


def _posts_list_url():
    index = BlogIndexPage.objects.only("pk").first()
    if index is None:
        return reverse("wagtailadmin_explore_root")
    return reverse("wagtailadmin_explore", args=[index.pk])


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
        counted_row(
            f"Medical reviews due in {REVIEW_HORIZON_DAYS} days",
            reverse("blog_review_due"),
            review_due,
            _item(lambda post: f"due {date_format(post.next_review_due, 'j M Y')}"),
        ),
        counted_row(
            "Scheduled to go live",
            _posts_list_url(),
            scheduled,
            _item(lambda post: date_format(timezone.localtime(post.go_live_at), "j M, H:i")),
        ),
        counted_row(
            "Submitted for review",
            reverse("wagtailadmin_reports:workflow"),
            in_review,
            _item(lambda post: ""),
        ),
    ]


class EditorialPanel(DashboardPanel):
    name = "editorial"
    heading = "Posts"
    order = 85

    def is_shown(self, user):
        return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})

    def context(self):
        return {"rows": editorial_rows()}
