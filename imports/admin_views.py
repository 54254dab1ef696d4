"""Reports → WordPress imports: each committed import and what in it needs a hand; and an
import started from the admin, with its progress.

Whoever may publish pages sees the reports, with each page's edit link. Starting an import
takes more: publishing at the home page, since the import writes posts under the blog index
and pages under the home page (and contributors, topics, images and redirects beside them).
"""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from blog.models import HomePage
from core import progress
from imports import jobs
from imports.models import ImportJob, ImportRun
from imports.report import compact_ids

RUNS_SHOWN = 50
HANDS_PER_PAGE = 200  # a 25,000-post import can leave thousands of entries
OUTCOMES = ("created", "updated", "unchanged", "skipped")


def can_see_imports(user):
    return PagePermissionPolicy().user_has_permission(user, "publish")


def can_start_imports(user):
    """May publish at the home page, so everywhere an import writes pages."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    home = HomePage.objects.first()
    return home is not None and home.permissions_for_user(user).can_publish()


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
        context["start_url"] = (
            reverse("imports_start") if can_start_imports(self.request.user) else ""
        )
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


# Starting an import and following it ------------------------------------------------------


class ImportForm(forms.Form):
    export = forms.FileField(
        label="WordPress export (.xml)",
        help_text="In WordPress: Tools > Export > All content. Up to %(limit)s.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    dry_run = forms.BooleanField(
        label="Dry run: do everything, then save nothing (to read the report first)",
        required=False,
    )
    download_images = forms.BooleanField(
        label="Copy the images from the old site", required=False, initial=True
    )
    skip_pingbacks = forms.BooleanField(label="Leave out pingbacks and trackbacks", required=False)
    earlier_import = forms.ChoiceField(
        label="Posts imported by an earlier version under a shared WordPress address",
        required=False,
        choices=[
            ("", "Only when the import asks: leave unset"),
            ("adopt", "Are this blog's: update them"),
            ("separate", "Are another blog's: import this one beside them"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["export"]
        field.help_text = field.help_text % {
            "limit": jobs._megabytes(settings.IMPORT_MAX_UPLOAD_BYTES)
        }


class ImportPermissionMixin:
    """Pages for whoever may start imports, under "WordPress imports" in the breadcrumbs."""

    def dispatch(self, request, *args, **kwargs):
        if not can_start_imports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("imports_report"), "label": "WordPress imports"},
            {"url": "", "label": self.page_title},
        ]


class StartImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """Upload an export; the task worker imports it."""

    template_name = "imports/admin/start.html"
    form_class = ImportForm
    page_title = "Import from WordPress"
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        running = jobs.running_job()
        context["running"] = running
        context["running_url"] = reverse("imports_job", args=[running.pk]) if running else ""
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            job = jobs.start_import(
                data["export"],
                by=self.request.user,
                dry_run=data["dry_run"],
                download_images=data["download_images"],
                skip_pingbacks=data["skip_pingbacks"],
                earlier_import=data["earlier_import"],
            )
        except jobs.ImportRefused as refusal:
            form.add_error("export", str(refusal))
            return self.form_invalid(form)
        messages.success(self.request, f"{job.file_name} is queued for import.")
        return redirect("imports_job", job.pk)

    def form_invalid(self, form):
        messages.error(self.request, "The import was not started: see the form below.")
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class ImportJobView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """One import started from the admin: its progress while it runs, then its outcome."""

    template_name = "imports/admin/job.html"
    page_title = "WordPress import"
    header_icon = "download"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = get_object_or_404(ImportJob.objects.select_related("run"), pk=kwargs["job_id"])
        status = jobs.job_status(job)
        context.update(
            job=job,
            status=status,
            percent=progress.percent(status["done"], status["total"]),
            status_url=reverse("imports_job_status", args=[job.pk]),
            poll_seconds=progress.POLL_SECONDS,
            report_url=reverse("imports_report_run", args=[job.run_id]) if job.run_id else "",
            start_url=reverse("imports_start"),
            cancel_url=reverse("imports_job_cancel", args=[job.pk]),
        )
        return context


class CancelImportView(ImportPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, job_id):
        job = get_object_or_404(ImportJob, pk=job_id)
        if jobs.cancel_job(job):
            messages.success(request, f"The import of {job.file_name} is cancelled.")
        else:
            messages.warning(request, "The task worker had already started it: it goes on.")
        return redirect("imports_job", job.pk)


def import_job_status(request, job_id):
    """The job's progress as JSON, for static/js/progress.js."""
    if not can_start_imports(request.user):
        return progress.forbidden()
    job = get_object_or_404(ImportJob, pk=job_id)
    payload = jobs.job_status(job)
    if job.run_id:
        payload["report_url"] = reverse("imports_report_run", args=[job.run_id])
    return progress.status_response(payload)
