from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from submissions.admin_views import (
    SubmissionPermissionPolicy,
    SubmissionViewSet,
    can_view_submissions,
)
from submissions.dashboard import GuestPostsPanel
from submissions.models import Submission

# Before anything asks Wagtail for the policy, or it would make a default one.
register_permission_policy(Submission, SubmissionPermissionPolicy(Submission))


@hooks.register("register_admin_viewset")
def submissions_viewset():
    return SubmissionViewSet("guest_posts", url_prefix="guest-posts")


@hooks.register("register_page_header_buttons")
def submission_header_button(page, user, view_name, next_url=None):
    """On a post made from a guest submission: the way back to what the author sent."""
    if not can_view_submissions(user):
        return
    submission = Submission.objects.filter(post_id=page.pk).only("pk").first()
    if submission:
        yield Button(
            "Guest submission",
            url=reverse("guest_posts:inspect", args=[submission.pk]),
            icon_name="doc-full",
            priority=95,
        )


@hooks.register("construct_homepage_panels")
def add_guest_posts_panel(request, panels):
    panels.append(GuestPostsPanel())
