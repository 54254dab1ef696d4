"""The whole fixture export (imports/tests/fixtures/wxr_full.xml) through the real parser,
converter and comments import: a browsable blog with working old links, and a rerun that
changes nothing."""

from pathlib import Path

import pytest
from wagtail.images import get_image_model

from blog.models import PostPage, StandardPage, Topic
from comments.models import Comment
from imports import importer
from imports.models import ImportedObject

from .conftest import image_bytes

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "wxr_full.xml"
IMAGES = {
    "tumour-cells.jpg": ("JPEG", (200, 0, 0)),
    "trial-chart.png": ("PNG", (0, 200, 0)),
    "clinic-waiting-room.jpg": ("JPEG", (0, 0, 200)),
    "nurse-team.jpg": ("JPEG", (90, 90, 90)),
}


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2024" / "05").mkdir(parents=True)
    for name, (fmt, color) in IMAGES.items():
        (folder / "2024" / "05" / name).write_bytes(image_bytes(fmt, color=color))
    return folder


@pytest.fixture
def imported(site_tree, uploads):
    report = importer.run(FIXTURE, uploads_dir=uploads)
    yield report
    for image in get_image_model().objects.all():
        image.file.delete(save=False)


def post(wp_id):
    row = ImportedObject.objects.get(wp_type="post", wp_id=str(wp_id))
    return PostPage.objects.get(pk=row.object_id)


def test_the_fixture_export_becomes_a_blog(imported):
    counts = imported.as_dict()["counts"]
    assert counts["post"]["created"] == 10 and counts["page"]["created"] == 2
    assert counts["contributor"]["created"] == 2
    assert {p.pk for p in PostPage.objects.live()} == {post(n).pk for n in (20, 23, 34, 36, 37)}
    assert not post(30).live and post(30).go_live_at.year == 2036
    assert [s["type"] for s in imported.as_dict()["skipped"]] == ["nav_menu_item"]


def test_the_flagship_post_keeps_title_author_topics_tags_hero_and_comments(imported):
    page = post(20)
    assert page.title == "CAR-T cells & solid tumours: what the new trials tell us"
    assert page.featured and not page.send_alert
    assert [c.name for c in page.contributors] == ["Dr Jane Smith"]
    assert {t.slug for t in page.topics.all()} == {"immunotherapy-trials", "research"}
    assert sorted(page.tags.names()) == ["CAR-T", "Immunotherapy"]
    assert page.hero_alt == "Tumour cells stained pink under a microscope"
    assert page.standfirst.startswith("Three early trials of CAR-T cells")
    assert Comment.objects.filter(post=page).exists()
    assert page.first_published_at.isoformat() == "2024-05-06T07:00:00+00:00"


def test_categories_keep_their_hierarchy(imported):
    trials = Topic.objects.get(slug="immunotherapy-trials")
    assert trials.parent.slug == "clinical-trials" and trials.parent.parent.slug == "research"
    assert not Topic.objects.filter(slug="uncategorized").exists()
    assert Topic.objects.get(name="Ενημέρωση").slug == "enemerose"


def test_pages_keep_their_tree(imported):
    team = StandardPage.objects.get(slug="our-team")
    assert team.get_parent().specific.slug == "about-us" and team.live


def test_what_needs_a_hand_is_listed(imported):
    reasons = {(h["wp_id"], h["reason"]) for h in imported.needs_a_hand}
    assert (33, "private in WordPress: kept as a draft, never published") in reasons
    assert any(wp_id == 32 and "password-protected" in reason for wp_id, reason in reasons)
    assert (35, "no content in WordPress: kept as a draft, never published") in reasons
    assert (34, "had no title in WordPress; titled from its first words") in reasons
    assert imported.file_links == [
        "https://old.example.org/wp-content/uploads/2024/05/patient-leaflet.pdf"
    ]


def test_the_hacked_post_is_clean_on_its_page_and_in_the_feed(imported, client):
    for url in (post(37).url, "/feed/"):
        html = client.get(url).content.decode()
        assert "document.cookie" not in html and "onerror" not in html
        assert "javascript:" not in html and "<iframe" not in html


def test_old_links_lead_to_the_new_pages(imported, client):
    for old in ("/2024/05/06/car-t-cells-solid-tumours/", "/?p=20"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, post(20).url)


def test_a_rerun_changes_nothing(imported, uploads):
    again = importer.run(FIXTURE, uploads_dir=uploads)

    counts = again.as_dict()["counts"]
    for kind in ("post", "page", "topic", "contributor", "redirect", "comment"):
        assert counts[kind]["created"] == counts[kind]["updated"] == 0, kind
    assert again.images["unused_attachments"] == imported.images["unused_attachments"]


def test_what_the_comments_import_noticed_reaches_the_report(imported):
    assert any("WordPress users (staff)" in note for note in imported.notes)
