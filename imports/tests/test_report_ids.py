"""The report names every object skipped, changed or needing a hand by its WordPress id, however
many there are: in the JSON report, in the run kept for the admin, and in the printed summary
(ids grouped by reason, runs of consecutive ids as ranges, wrapped lines)."""

import io
import json
import re

import pytest
from django.core.management import call_command

from imports.models import ImportRun
from imports.report import Report, compact_ids

from .wxr_factory import WXR, comment, item

pytestmark = pytest.mark.django_db

EMPTY_COMMENTS = list(range(1001, 1121, 2))  # 60 ids, none next to another
TRASHED = list(range(300, 360))  # 60 consecutive ids
PRIVATE = list(range(500, 620, 2))  # 60 ids
TITLE = "Private {} “Ωμέγα” \\ ✅"  # what JSON, COPY and the terminal each escape


@pytest.fixture
def imported(site_tree, tmp_path):
    items = [
        item(
            id=10,
            title="Many silent readers",
            comments=[comment(id=wp_id, content="") for wp_id in EMPTY_COMMENTS],
        ),
        *(item(id=wp_id, title=f"Binned {wp_id}", status="trash") for wp_id in TRASHED),
        *(
            item(id=wp_id, title=TITLE.format(wp_id), status="private", content="<p>Ours.</p>")
            for wp_id in PRIVATE
        ),
    ]
    path = WXR(items=items).write(tmp_path / "export.xml")
    target = tmp_path / "report.json"
    out = io.StringIO()
    call_command("import_wordpress", str(path), "--no-images", "--report", str(target), stdout=out)
    return json.loads(target.read_text()), out.getvalue()


def group(report, kind, reason):
    [found] = [g for g in report["skipped"] if g["type"] == kind and g["reason"] == reason]
    return found


def test_the_json_report_lists_every_skipped_id(imported):
    report, _ = imported

    empty = group(report, "comment", "no text")
    assert empty["count"] == 60 and empty["ids"] == EMPTY_COMMENTS
    trashed = group(report, "post", "in the WordPress trash")
    assert trashed["count"] == 60 and trashed["ids"] == TRASHED
    private = [h["wp_id"] for h in report["needs_a_hand"] if h["reason"].startswith("private")]
    assert private == PRIVATE


def test_the_run_kept_for_the_admin_has_every_id_too(imported):
    report, _ = imported

    kept = ImportRun.objects.get().report
    assert kept == report
    titles = {h["wp_id"]: h["title"] for h in kept["needs_a_hand"]}
    assert titles[500] == TITLE.format(500)
    assert group(kept, "comment", "no text")["ids"] == EMPTY_COMMENTS


def test_the_printed_summary_lists_the_ids_of_each_group(imported):
    _, out = imported

    lines = out.splitlines()
    start = lines.index("      60 comment: no text")
    listed = []
    for line in lines[start + 1 :]:
        if not line.startswith(" " * 9):
            break
        listed += re.findall(r"\d+", line)
    assert [int(wp_id) for wp_id in listed] == EMPTY_COMMENTS
    assert max(len(line) for line in lines[start + 1 : start + 4]) <= 96
    trash = lines.index("      60 post: in the WordPress trash")
    assert lines[trash + 1].split() == ["ids:", "300-359"]
    for wp_id in PRIVATE:
        assert f"  - post {wp_id} “{TITLE.format(wp_id)}”: private in WordPress" in out


def test_ids_are_written_compactly_in_the_order_met():
    assert compact_ids([3, 4, 5, 9, 7, 8, "guest", 12]) == "3-5, 9, 7-8, guest, 12"
    assert compact_ids([]) == ""


def test_a_large_report_keeps_its_entries_off_the_heap_and_writes_them_all():
    report = Report(file_name="big.xml", dry_run=False)
    for wp_id in range(50_000):
        report.skip("comment", wp_id, "no text")
        report.hand("post", wp_id, f"Post {wp_id}", "its featured image could not be imported")

    assert report.skipped[("comment", "no text")]["ids"].numbers.itemsize == 8
    out = io.StringIO()
    report.write_json(out, indent=2)
    written = json.loads(out.getvalue())
    assert written["skipped"][0]["ids"] == list(range(50_000))
    assert [h["wp_id"] for h in written["needs_a_hand"]] == list(range(50_000))
    assert json.loads(report.json_text()) == written
