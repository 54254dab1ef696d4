from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from imports.admin_views import ImportReportView, can_see_imports


@hooks.register("register_admin_urls")
def import_report_urls():
    return [
        path("reports/wordpress-imports/", ImportReportView.as_view(), name="imports_report"),
        path(
            "reports/wordpress-imports/<int:run_id>/",
            ImportReportView.as_view(),
            name="imports_report_run",
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
