"""`manage.py import_wordpress`: options, summary, JSON report, errors and exit codes."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from blog.models import PostPage
from imports.management.commands.import_wordpress import Progress
from imports.models import ImportedObject

from .conftest import image_bytes, wxr_item

ROOT = Path(__file__).resolve().parents[2]
FULL = Path(__file__).parent / "fixtures" / "wxr_full.xml"
REPORT_KEYS = {
    "file",
    "source",
    "dry_run",
    "started_at",
    "seconds",
    "posts_per_second",
    "counts",
    "skipped",
    "needs_a_hand",
    "images",
    "file_links",
    "notes",
}


def command(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wordpress", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def export(write_export):
    return write_export(
        [wxr_item(1, "Kept"), wxr_item(2, status="private"), wxr_item(3, post_type="wp_block")]
    )


@pytest.mark.django_db
def test_it_imports_and_prints_a_readable_summary(site_tree, export):
    out, err = command(str(export), "--no-images")

    assert PostPage.objects.count() == 2
    assert f"Imported {export.name} from old.example.org" in out
    assert "posts/s" in out
    assert "post                    2          0          0          0" in out
    assert "1 wp_block: a reusable block: its content is put in the posts that use it" in out
    assert "private in WordPress: kept as a draft, never published" in out
    assert "/admin/pages/" in out
    assert err == ""  # no progress bar when stderr is not a terminal


@pytest.mark.django_db
def test_the_json_report_has_the_documented_shape(site_tree, export, tmp_path):
    target = tmp_path / "report.json"

    command(str(export), "--no-images", "--report", str(target))

    report = json.loads(target.read_text())
    assert set(report) == REPORT_KEYS
    assert report["counts"]["post"] == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 0}
    assert report["skipped"] == [
        {
            "type": "wp_block",
            "reason": "a reusable block: its content is put in the posts that use it",
            "count": 1,
            "ids": [3],
        }
    ]
    [hand] = report["needs_a_hand"]
    assert set(hand) == {"type", "wp_id", "title", "reason", "admin_url"} and hand["wp_id"] == 2


@pytest.mark.django_db
def test_a_dry_run_saves_nothing_and_says_so(site_tree, export):
    out, _ = command(str(export), "--dry-run")

    assert out.startswith("Dry run: nothing was saved.")
    assert not PostPage.objects.exists() and not ImportedObject.objects.exists()


@pytest.mark.django_db
def test_no_images_downloads_nothing(site_tree, write_export, http_server):
    http_server.serve("/wp-content/uploads/a.png", image_bytes())
    path = write_export(
        [
            wxr_item(1, content=f'<p><img src="{http_server.url}/wp-content/uploads/a.png"></p>'),
        ],
        base=http_server.url,
    )

    command(str(path), "--no-images")

    assert http_server.hits == []


@pytest.mark.django_db
def test_errors_are_clear_and_import_nothing(site_tree, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item></channel></rss>")
    cases = [
        (tmp_path / "missing.xml", "No such file"),
        (tmp_path, "is not a file"),
        (broken, "broken.xml cannot be imported, nothing was:"),
    ]
    for path, message in cases:
        with pytest.raises(CommandError, match=message):
            command(str(path))
    with pytest.raises(CommandError, match="is not a folder"):
        command(str(broken), "--uploads-dir", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="its folder does not exist"):
        command(str(broken), "--report", str(tmp_path / "nowhere" / "report.json"))
    assert not PostPage.objects.exists()


def test_the_progress_bar_shows_each_pass_through_the_file():
    buffer = io.StringIO()
    progress = Progress(buffer)

    progress(1, 500_000, 1_000_000)
    progress(1, 1_000_000, 1_000_000)
    progress(2, 2_000_000, None)
    progress.end()

    shown = buffer.getvalue()
    assert "Reading: 100%" in shown and "1.00M/1.00M" in shown
    assert "Importing: 2.00MB" in shown
    assert shown.endswith("\n")


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.mark.parametrize("verbosity, shown", [(1, False), (2, True)])
def test_wagtails_line_per_page_is_kept_out_of_the_summary_unless_asked(
    site_tree, tmp_path, verbosity, shown
):
    recorder = Recorder()
    logger = logging.getLogger("wagtail")
    logger.addHandler(recorder)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        command(str(FULL), "--no-images", verbosity=verbosity)
        assert logger.level == logging.INFO  # as it was before the command
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(level)

    assert any(m.startswith("Page created") for m in recorder.messages) is shown


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_real_run_exits_0_and_a_bad_file_exits_1(tmp_path, write_export):
    env = {
        **os.environ,
        "SECRET_KEY": "test-only-not-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
    }
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item></channel></rss>")

    failed = manage("import_wordpress", str(broken), env=env)

    assert failed.returncode == 1
    assert "broken.xml cannot be imported, nothing was:" in failed.stderr
    assert "Traceback" not in failed.stderr

    assert manage("migrate", "--no-input", env=env).returncode == 0
    done = manage("import_wordpress", str(write_export([wxr_item(1)])), "--no-images", env=env)

    assert done.returncode == 0, done.stderr
    assert "post                    1          0          0          0" in done.stdout
