"""Reports → WordPress imports: editors see what each import left for them to finish."""

import pytest
from django.urls import reverse

from imports import importer
from imports.models import ImportRun

from .conftest import wxr_item

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/wordpress-imports/"


@pytest.fixture
def editor(make_user):
    return make_user("editor", group="Editors")


@pytest.fixture
def imported(site_tree, write_export):
    items = [
        wxr_item(1, "Published"),
        wxr_item(2, "<script>alert(1)</script> Calendar", status="private"),
    ]
    importer.run(write_export(items), download_images=False)
    return ImportRun.objects.get()


def test_an_editor_sees_what_the_latest_import_left_with_links_to_each_page(
    client, editor, imported
):
    from blog.models import PostPage

    client.force_login(editor)
    page = client.get(REPORT).content.decode()

    draft = PostPage.objects.get(title__endswith="Calendar")
    assert "Needs a hand (1)" in page
    assert "private in WordPress: kept as a draft, never published" in page
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in page
    assert "<script>alert(1)</script>" not in page


def test_an_earlier_import_has_its_own_address(client, editor, imported, site_tree, write_export):
    importer.run(write_export([wxr_item(3, "Later")]), download_images=False)
    client.force_login(editor)

    latest = client.get(REPORT).content.decode()
    earlier = client.get(f"{REPORT}{imported.pk}/").content.decode()

    assert "Needs a hand (0)" in latest and "Earlier imports" in latest
    assert "Needs a hand (1)" in earlier
    assert client.get(f"{REPORT}999999/").status_code == 404


def test_before_any_import_the_report_says_how_to_run_one(client, editor, site_tree):
    client.force_login(editor)

    assert "No WordPress import yet" in client.get(REPORT).content.decode()


def test_someone_who_cannot_publish_neither_sees_the_report_nor_its_menu_item(
    client, make_user, imported
):
    writer = make_user("writer", group="Writers")
    client.force_login(writer)

    response = client.get(REPORT)
    # Wagtail answers a forbidden admin page with a redirect to the dashboard and a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "WordPress imports" not in client.get("/admin/").content.decode()


def test_an_editor_finds_it_under_reports(client, editor, site_tree):
    client.force_login(editor)

    assert "WordPress imports" in client.get("/admin/").content.decode()


def test_the_admin_report_lists_every_skipped_id_and_pages_long_lists_of_hands(client, editor):
    from django.utils import timezone

    now = timezone.now()
    hands = [
        {"type": "post", "wp_id": n, "title": f"Post {n}", "reason": "no alt", "admin_url": ""}
        for n in range(1, 251)
    ]
    skipped = {"type": "comment", "reason": "no text", "count": 60, "ids": [*range(100, 160)]}
    run = ImportRun.objects.create(
        source="https://old.example.org",
        file_name="export.xml",
        started_at=now,
        finished_at=now,
        report={"counts": {}, "needs_a_hand": hands, "skipped": [skipped]},
    )
    client.force_login(editor)
    url = reverse("imports_report_run", args=[run.pk])

    first = client.get(url).content.decode()
    second = client.get(url + "?hands=2").content.decode()

    assert "Needs a hand (250)" in first
    assert "Entries 1–200 of 250." in first and "(post 200)" in first and "(post 201)" not in first
    assert 'href="?hands=2">Next 200</a>' in first
    assert "Entries 201–250 of 250." in second and "(post 250)" in second
    assert "60 comment: no text" in first and "<p>100-159</p>" in first
    assert client.get(url + "?hands=<script>").status_code == 200
