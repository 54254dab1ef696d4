"""Reports → WordPress imports: each committed import and what in it needs a hand.

The import runs in a terminal; the editors who finish its drafts and describe its images work
in the admin. Whoever may publish pages sees the reports, with each page's edit link.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from imports.models import ImportRun
from imports.report import compact_ids

RUNS_SHOWN = 50
HANDS_PER_PAGE = 200  # a 25,000-post import can leave thousands of entries
OUTCOMES = ("created", "updated", "unchanged", "skipped")


def can_see_imports(user):
    return PagePermissionPolicy().user_has_permission(user, "publish")


class ImportReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "imports/admin/report.html"
    page_title = "WordPress imports"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_imports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        runs = list(ImportRun.objects.all()[:RUNS_SHOWN])
        run_id = kwargs.get("run_id")
        chosen = get_object_or_404(ImportRun, pk=run_id) if run_id else (runs or [None])[0]
        context["runs"] = [(run, reverse("imports_report_run", args=[run.pk])) for run in runs]
        context["chosen"] = chosen
        if chosen is not None:
            report = chosen.report or {}
            counts = report.get("counts") or {}
            context["counts"] = [
                (kind, [counts[kind].get(outcome, 0) for outcome in OUTCOMES])
                for kind in sorted(counts)
            ]
            context["outcomes"] = OUTCOMES
            hands = Paginator(report.get("needs_a_hand") or [], HANDS_PER_PAGE)
            context["needs_a_hand"] = hands.get_page(self.request.GET.get("hands"))
            context["skipped"] = [
                {**group, "ids_text": compact_ids(group.get("ids") or [])}
                for group in report.get("skipped") or []
            ]
            context["images"] = report.get("images") or {}
            context["notes"] = report.get("notes") or []
            context["file_links"] = report.get("file_links") or []
        return context
