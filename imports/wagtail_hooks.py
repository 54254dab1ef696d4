from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from imports.admin_views import (
    CancelImportView,
    ImportJobView,
    ImportReportView,
    StartImportView,
    can_see_imports,
    can_start_imports,
    import_job_status,
)


@hooks.register("register_admin_urls")
def import_report_urls():
    return [
        path("reports/wordpress-imports/", ImportReportView.as_view(), name="imports_report"),
        path(
            "reports/wordpress-imports/<int:run_id>/",
            ImportReportView.as_view(),
            name="imports_report_run",
        ),
        path("reports/wordpress-imports/start/", StartImportView.as_view(), name="imports_start"),
        path(
            "reports/wordpress-imports/jobs/<int:job_id>/",
            ImportJobView.as_view(),
            name="imports_job",
        ),
        path(
            "reports/wordpress-imports/jobs/<int:job_id>/cancel/",
            CancelImportView.as_view(),
            name="imports_job_cancel",
        ),
        path(
            "reports/wordpress-imports/jobs/<int:job_id>/status/",
            import_job_status,
            name="imports_job_status",
        ),
    ]


class ImportReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_imports(request.user)


@hooks.register("register_reports_menu_item")
def import_report_menu_item():
    return ImportReportMenuItem(
        "WordPress imports",
        reverse("imports_report"),
        name="wordpress-imports",
        icon_name="download",
        order=670,
    )


class StartImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_start_imports(request.user)


@hooks.register("register_reports_menu_item")
def start_import_menu_item():
    return StartImportMenuItem(
        "Import from WordPress",
        reverse("imports_start"),
        name="wordpress-import-start",
        icon_name="upload",
        order=671,
    )
