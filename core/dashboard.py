"""Panels on the Wagtail dashboard: a heading, counted rows each linking to its list with a few
items under it, an optional chart and link; shown only to who may act on what they count.
Apps subclass DashboardPanel and register it with the `construct_homepage_panels` hook."""

from wagtail.admin.ui.components import Component

SHOWN = 5  # items listed under a count; its link opens the whole list


def counted_row(label, url, queryset, item):
    """A row counting `queryset`, listing its first SHOWN objects as `item(obj)` dicts
    (title, url, note); one query when they are fewer than SHOWN, two otherwise."""
    objects = list(queryset[:SHOWN])
    count = len(objects) if len(objects) < SHOWN else queryset.count()
    return {"label": label, "url": url, "count": count, "items": [item(o) for o in objects]}


class DashboardPanel(Component):
    template_name = "admin/dashboard_panel.html"
    heading = ""

    def is_shown(self, user):
        raise NotImplementedError

    def context(self):
        """rows, and optionally chart, link_url, link_label."""
        raise NotImplementedError

    def get_context_data(self, parent_context):
        return {"panel_id": self.name.replace("_", "-"), "heading": self.heading, **self.context()}

    def render_html(self, parent_context=None):
        if not self.is_shown(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)
