"""An editor moves a WordPress blog across from the admin: uploads the export, watches the
progress page while the task worker imports it (the page follows it by itself), then reads the
report. axe-core checks the form and the progress page."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible
from imports.tests.conftest import wxr_export, wxr_item

EDITOR, PASSWORD = "desk", "a-long-test-only-password"


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(EDITOR, "desk@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def worker_held(settings, tmp_path):
    """Tasks are queued and nobody runs them until the test says so, as when the worker is
    busy: the page must then follow the import by itself."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_editor_uploads_an_export_watches_it_import_and_reads_the_report(
    live_server, page, axe, editor, worker_held, tmp_path
):
    from blog.services import ensure_site_tree
    from imports import jobs
    from imports.models import ImportJob

    ensure_site_tree()
    export = tmp_path / "old-blog.xml"
    items = [wxr_item(n, f"Imported post {n}") for n in range(1, 6)]
    export.write_text(wxr_export(items), encoding="utf-8")

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(live_server.url + "/admin/reports/wordpress-imports/")
    page.get_by_role("link", name="Import from WordPress").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import from WordPress")
    assert_accessible(axe, page)
    page.get_by_label("WordPress export (.xml)").set_input_files(str(export))
    page.get_by_label("Copy the images from the old site").uncheck()
    page.get_by_role("button", name="Upload and import").click()

    expect(page).to_have_url(re.compile(r"/admin/reports/wordpress-imports/jobs/\d+/$"))
    bar = page.get_by_label("Import progress")
    expect(bar).to_be_visible()
    expect(page.get_by_text("Waiting for the task worker to start it.")).to_be_visible()
    assert_accessible(axe, page)

    jobs.run_job(ImportJob.objects.get().pk)  # the worker gets to it

    report_link = page.get_by_role("link", name="Read the report")
    expect(report_link).to_be_visible(timeout=20_000)
    expect(page.locator("[data-progress-announce]")).to_have_text(
        "The import finished. Read the report."
    )
    assert page.get_by_label("Import progress").get_attribute("value") is not None
    report_link.click()
    expect(page.get_by_role("heading", name=re.compile(r"old-blog\.xml from"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^post 5 0 0 0"))).to_be_visible()
