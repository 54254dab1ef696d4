from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from blog.admin_views import ReviewDueView
from blog.dashboard import EditorialPanel
from blog.models import GlossaryTerm


@hooks.register("register_admin_urls")
def review_due_urls():
    return [
        path("reports/review-due/", ReviewDueView.as_view(), name="blog_review_due"),
        path(
            "reports/review-due/results/",
            ReviewDueView.as_view(results_only=True),
            name="blog_review_due_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def review_due_menu_item():
    return MenuItem(
        "Due for medical review",
        reverse("blog_review_due"),
        name="review-due",
        icon_name="calendar-alt",
        order=650,
    )


@hooks.register("construct_homepage_panels")
def add_editorial_panel(request, panels):
    panels.append(EditorialPanel())


class GlossaryViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    list_display = ["term", "plain"]
    search_fields = ["term", "plain"]  # a short list: the database's own "contains" will do


register_snippet(GlossaryViewSet)
