from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from comments import admin_urls, moderation


@hooks.register("register_admin_urls")
def comments_admin_urls():
    return [path("comments/", include(admin_urls))]


class CommentsMenuItem(MenuItem):
    def is_shown(self, request):
        return moderation.can_moderate(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        waiting = moderation.pending_count()
        if waiting:
            component.label = f"{self.label} ({waiting})"
        return component


@hooks.register("register_admin_menu_item")
def comments_menu_item():
    return CommentsMenuItem(
        "Comments", reverse("comments_admin:queue"), name="comments", icon_name="comment", order=250
    )


class CommentsPanel(Component):
    """Dashboard counts of the comments that need a moderator."""

    name = "comments_to_moderate"
    template_name = "comments/admin/dashboard_panel.html"
    order = 90
    shown = ("pending", "reported", "spam", "unconfirmed")

    def get_context_data(self, parent_context):
        counts = moderation.counts()
        queue_url = reverse("comments_admin:queue")
        return {
            "counts": [
                (tab.label, counts[tab.key], f"{queue_url}?tab={tab.key}")
                for tab in moderation.TABS
                if tab.key in self.shown
            ],
            "distress": counts["distress"],
            "queue_url": queue_url,
        }

    def render_html(self, parent_context=None):
        if not moderation.can_moderate(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)


@hooks.register("construct_homepage_panels")
def add_comments_panel(request, panels):
    panels.append(CommentsPanel())
