"""Reports → Import from WordPress: an editor uploads an export, the task worker imports it
(immediately in tests), the progress page follows it and ends on the report."""

import gzip
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from blog.models import PostPage
from imports import jobs
from imports.models import ImportJob, ImportRun

from .conftest import wxr_export, wxr_item

pytestmark = pytest.mark.django_db

START = "/admin/reports/wordpress-imports/start/"
FIXTURES = Path(__file__).parent / "fixtures"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def editor(make_user):
    return make_user("editor", group="Editors")


@pytest.fixture
def writer(make_user):
    return make_user("writer", group="Writers")


def export_bytes(count=3):
    items = [wxr_item(n, f"Post number {n}") for n in range(1, count + 1)]
    return wxr_export(items).encode()


def upload(content, name="blog.xml"):
    return SimpleUploadedFile(name, content, content_type="text/xml")


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Post the form; the queued import runs when the request's transaction would commit."""

    def post(client, content=None, name="blog.xml", **options):
        data = {"export": upload(export_bytes() if content is None else content, name)}
        data.update({key: "on" for key, value in options.items() if value is True})
        # Unticked boxes are left out of the form; tests never fetch images.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(START, data)

    return post


def stored_files():
    folder = jobs.folder()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_editor_uploads_an_export_and_lands_on_its_progress_then_its_report(
    client, editor, site_tree, start
):
    client.force_login(editor)

    response = start(client)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports_job", args=[job.pk])
    assert job.status == ImportJob.Status.DONE and not job.active
    assert job.started_by == editor
    assert job.run == ImportRun.objects.get()
    assert job.run.file_name == "blog.xml"  # not the name it was kept under
    assert job.summary == ""  # the report page has it all
    assert PostPage.objects.filter(title__startswith="Post number").count() == 3
    assert stored_files() == []  # the upload and its progress file are gone
    page = client.get(response.url).content.decode()
    assert "Import progress" in page
    assert reverse("imports_report_run", args=[job.run_id]) in page
    assert "Read the report" in page
    assert "js/progress.js" in page


def test_the_progress_moves_through_reading_importing_and_finishing(
    client, editor, site_tree, monkeypatch, start
):
    seen = []
    write = jobs.ProgressFile.write

    def record(self, phase, done, total, force=False):
        write(self, phase, done, total, force)
        seen.append((phase, done, total))
        assert jobs.read_progress(int(self.path.name.split(".")[0]))["phase"] == phase

    monkeypatch.setattr(jobs.ProgressFile, "every", 0)
    monkeypatch.setattr(jobs.ProgressFile, "write", record)
    client.force_login(editor)

    start(client, export_bytes(count=4))

    phases = [phase for phase, _, _ in seen]
    assert phases[0] == "reading" and phases[-1] == "finishing"
    importing = [(done, total) for phase, done, total in seen if phase == "importing"]
    assert importing == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


def test_while_it_runs_the_status_says_how_many_posts_are_done(editor, site_tree):
    job = ImportJob.objects.create(
        file_name="blog.xml", stored_name="x.xml", status=ImportJob.Status.RUNNING
    )
    jobs.folder().mkdir(parents=True)
    jobs.ProgressFile(job.pk).write("importing", 120, 500)

    status = jobs.job_status(job)

    assert status["state"] == "running" and not status["finished"]
    assert (status["done"], status["total"]) == (120, 500)
    assert status["label"] == "Importing: 120 of 500 posts and pages."
    assert status["message"] == ""  # nothing to announce before the end


def test_the_status_endpoint_answers_json_for_whoever_may_import(client, editor, site_tree, start):
    client.force_login(editor)
    start(client)
    job = ImportJob.objects.get()

    response = client.get(reverse("imports_job_status", args=[job.pk]), **XHR)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["state"] == "done" and data["finished"] is True
    assert data["message"] == "The import finished. Read the report."
    assert data["report_url"] == reverse("imports_report_run", args=[job.run_id])


def test_a_queued_job_is_waiting_for_the_worker(client, editor, site_tree):
    job = ImportJob.objects.create(file_name="blog.xml", stored_name="x.xml")
    client.force_login(editor)

    data = client.get(reverse("imports_job_status", args=[job.pk]), **XHR).json()
    page = client.get(reverse("imports_job", args=[job.pk])).content.decode()

    assert data["state"] == "queued" and data["total"] is None
    assert "Waiting for the task worker" in page
    assert "refresh the page" in page  # without JavaScript


@pytest.mark.parametrize("who", ["anonymous", "not staff", "writer"])
def test_only_those_who_may_import_see_a_job_or_its_status(client, who, make_user, site_tree):
    job = ImportJob.objects.create(file_name="blog.xml", stored_name="x.xml")
    if who == "not staff":
        client.force_login(make_user("reader"))
    elif who == "writer":
        client.force_login(make_user("writer", group="Writers"))
    status_url = reverse("imports_job_status", args=[job.pk])

    status = client.get(status_url, **XHR)
    plain = client.get(status_url)
    start_page = client.get(START)

    if who == "anonymous":
        assert plain.status_code == 302 and "/admin/login/" in plain.url
    else:
        assert status.status_code == 403
    assert start_page.status_code == 302  # to the sign-in page, or the dashboard with a message
    assert "state" not in plain.content.decode()


def test_an_editor_sees_the_menu_item_and_a_writer_does_not(client, editor, writer, site_tree):
    client.force_login(editor)
    report = client.get("/admin/reports/wordpress-imports/").content.decode()
    assert "Import from WordPress" in report
    client.force_login(writer)
    assert client.get("/admin/").status_code == 200
    assert "Import from WordPress" not in client.get("/admin/").content.decode()


def test_a_dry_run_saves_nothing_and_says_what_it_would_have_done(client, editor, site_tree, start):
    client.force_login(editor)

    start(client, dry_run=True)

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.run is None
    assert not ImportRun.objects.exists() and not PostPage.objects.exists()
    assert job.summary.startswith("Dry run: nothing was saved.")
    page = client.get(reverse("imports_job", args=[job.pk])).content.decode()
    assert "Dry run of blog.xml" in page and "Dry run: nothing was saved." in page
    data = client.get(reverse("imports_job_status", args=[job.pk]), **XHR).json()
    assert data["message"].startswith("Dry run finished: nothing was saved.")


# Hostile uploads: refused with a message, nothing kept, nothing queued ---------------------


def refused(client, start, content, name="blog.xml"):
    response = start(client, content, name)
    assert response.status_code == 400
    assert not ImportJob.objects.exists()
    assert stored_files() == []
    return response.content.decode()


def test_an_oversized_file_is_refused(client, start, editor, site_tree, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    client.force_login(editor)

    page = refused(client, start, export_bytes())

    assert "the largest export accepted here is 1.0 KB" in page


@pytest.mark.parametrize(
    "content, name, says",
    [
        (b"", "blog.xml", "file is empty"),
        (b"%PDF-1.7 not an export", "blog.pdf", "this one is not .xml"),
        (b"\x00\x01\x02\xff\xfe binary junk" * 50, "blog.xml", "This file cannot be imported"),
        (gzip.compress(b"<rss/>"), "blog.xml", "compressed"),
        (b"<html><body>Not a feed</body></html>", "blog.xml", "This file cannot be imported"),
        ((FIXTURES / "wxr_entity_bomb.xml").read_bytes(), "bomb.xml", "document type"),
        ((FIXTURES / "wxr_rss_feed.xml").read_bytes(), "feed.xml", "RSS feed"),
    ],
    ids=["empty", "not-xml-name", "binary", "gzip", "html", "entity-bomb", "rss-feed"],
)
def test_what_is_no_wordpress_export_is_refused_with_a_message(
    client, start, editor, site_tree, content, name, says
):
    client.force_login(editor)

    page = refused(client, start, content, name)

    assert says in page
    assert "The import was not started" in page


def test_an_error_deep_in_the_file_fails_the_job_and_imports_nothing(
    client, editor, site_tree, start
):
    client.force_login(editor)

    start(client, (FIXTURES / "wxr_malformed.xml").read_bytes(), "broken.xml")

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not job.active
    assert job.error.startswith("Nothing was imported:") and "line" in job.error
    assert not PostPage.objects.exists() and not ImportRun.objects.exists()
    assert stored_files() == []
    data = client.get(reverse("imports_job_status", args=[job.pk]), **XHR).json()
    assert data["state"] == "failed" and data["message"].startswith("The import failed")
    page = client.get(reverse("imports_job", args=[job.pk])).content.decode()
    assert "Start another import" in page


def test_a_unicode_or_path_like_file_name_is_shown_but_never_used_as_a_path(
    client, editor, site_tree, settings, start
):
    client.force_login(editor)

    start(client, name="../../Ιστολόγιο <i>2024 🎗.xml")

    job = ImportJob.objects.get()
    assert job.file_name == "Ιστολόγιο <i>2024 🎗.xml"
    page = client.get(reverse("imports_job", args=[job.pk])).content.decode()
    assert "Ιστολόγιο &lt;i&gt;2024 🎗.xml" in page
    assert not (Path(settings.PRIVATE_MEDIA_ROOT).parent / "Ιστολόγιο").exists()


def test_a_second_start_while_one_is_running_is_refused(client, start, editor, site_tree):
    running = ImportJob.objects.create(
        file_name="first.xml", stored_name="x.xml", status=ImportJob.Status.RUNNING
    )
    client.force_login(editor)

    form = client.get(START).content.decode()
    response = start(client)

    assert "An import of first.xml is importing" in form
    assert reverse("imports_job", args=[running.pk]) in form
    assert response.status_code == 400
    assert "only one runs at a time" in response.content.decode()
    assert list(ImportJob.objects.all()) == [running]
    assert stored_files() == []


def test_an_import_whose_worker_went_silent_is_ended_and_a_new_one_may_start(
    client, start, editor, site_tree
):
    lost = ImportJob.objects.create(
        file_name="first.xml",
        stored_name="x.xml",
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - jobs.SILENT_FOR - timezone.timedelta(minutes=1),
    )
    client.force_login(editor)

    response = start(client)

    assert response.status_code == 302
    lost.refresh_from_db()
    assert (lost.status, lost.active, lost.error) == (
        ImportJob.Status.FAILED,
        False,
        jobs.WORKER_LOST,
    )
    assert ImportJob.objects.filter(status=ImportJob.Status.DONE).count() == 1


def test_a_long_import_still_writing_its_progress_is_not_taken_for_lost(
    client, start, editor, site_tree
):
    running = ImportJob.objects.create(
        file_name="first.xml",
        stored_name="x.xml",
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - timezone.timedelta(hours=2),
    )
    jobs.folder().mkdir(parents=True, exist_ok=True)
    jobs.ProgressFile(running.pk).write("importing", 10_000, 25_000)
    client.force_login(editor)

    assert start(client).status_code == 400
    running.refresh_from_db()
    assert running.active and running.status == ImportJob.Status.RUNNING


def test_the_database_holds_one_active_import_even_when_two_starts_race(site_tree):
    ImportJob.objects.create(file_name="a.xml", stored_name="a.xml")
    with pytest.raises(IntegrityError):
        ImportJob.objects.create(file_name="b.xml", stored_name="b.xml")


def test_a_race_lost_at_the_constraint_is_refused_and_keeps_no_file(editor, site_tree, monkeypatch):
    ImportJob.objects.create(file_name="a.xml", stored_name="a.xml")
    monkeypatch.setattr(jobs, "running_job", lambda: None)  # the check passed just before

    with pytest.raises(jobs.ImportRefused, match="only one runs at a time"):
        jobs.start_import(upload(export_bytes()), by=editor, download_images=False)
    assert ImportJob.objects.count() == 1 and stored_files() == []


def test_the_same_job_runs_once_however_often_it_is_queued(client, editor, site_tree, start):
    client.force_login(editor)
    start(client)
    job = ImportJob.objects.get()

    assert jobs.run_job(job.pk) is False
    assert ImportRun.objects.count() == 1


def test_an_unexpected_error_fails_the_job_frees_the_slot_and_reaches_the_worker(
    editor, site_tree, monkeypatch, django_capture_on_commit_callbacks
):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs.importer, "run", boom)
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.start_import(upload(export_bytes()), by=editor)

    with pytest.raises(RuntimeError):
        jobs.run_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not job.active
    assert "unexpected error" in job.error and "disk full" not in job.error
    assert stored_files() == []


def test_a_job_still_waiting_for_the_worker_can_be_cancelled(client, editor, site_tree):
    job = ImportJob.objects.create(file_name="blog.xml", stored_name="x.xml")
    jobs.folder().mkdir(parents=True)
    jobs.upload_path(job).write_bytes(b"<rss/>")
    client.force_login(editor)

    response = client.post(reverse("imports_job_cancel", args=[job.pk]))

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.FAILED and not job.active
    assert "Cancelled" in job.error and stored_files() == []
    assert jobs.run_job(job.pk) is False  # the worker, coming late, does nothing


def test_a_running_job_is_not_cancelled(client, editor, site_tree):
    job = ImportJob.objects.create(
        file_name="blog.xml", stored_name="x.xml", status=ImportJob.Status.RUNNING
    )
    client.force_login(editor)

    client.post(reverse("imports_job_cancel", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.active
