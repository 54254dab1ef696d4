"""A blog moved from WordPress: after `import_wordpress`, a reader follows an old link, reads an
imported post with its comments and mentions, and browses a topic with its subtopics; every page
passes axe."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from e2e.conftest import assert_accessible

EXPORT = Path(__file__).parents[1] / "imports" / "tests" / "fixtures" / "wxr_full.xml"
IMAGES = ("tumour-cells.jpg", "trial-chart.png", "clinic-waiting-room.jpg", "nurse-team.jpg")


@pytest.fixture
def uploads(tmp_path):
    """The old site's wp-content/uploads, as an operator copies it across."""
    folder = tmp_path / "uploads" / "2024" / "05"
    folder.mkdir(parents=True)
    for n, name in enumerate(IMAGES):
        picture = io.BytesIO()
        Image.new("RGB", (1200, 800), (40 * n, 90, 160)).save(
            picture, "PNG" if name.endswith(".png") else "JPEG"
        )
        (folder / name).write_bytes(picture.getvalue())
    return tmp_path / "uploads"


@pytest.fixture
def imported_site(live_server, uploads, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("import_wordpress", str(EXPORT), "--uploads-dir", str(uploads), stdout=out)
    assert "Needs a hand:" in out.getvalue()
    return live_server.url


def test_a_reader_follows_an_old_link_to_an_imported_post_and_its_topic(imported_site, page, axe):
    page.set_default_navigation_timeout(90_000)  # first views make the image renditions
    page.goto(imported_site + "/?p=20")

    assert page.url == imported_site + "/blog/car-t-cells-solid-tumours/"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "CAR-T cells & solid tumours: what the new trials tell us"
    )
    expect(page.get_by_role("button", name="Load video")).to_be_visible()
    expect(page.get_by_role("heading", name="Join the conversation (3 comments)")).to_be_visible()
    mentions = page.get_by_role("heading", name="Mentions")
    expect(mentions).to_be_visible()
    expect(page.get_by_role("link", name="Oncology Weekly » CAR-T roundup")).to_have_attribute(
        "rel", "nofollow ugc noopener"
    )
    assert_accessible(axe, page)

    page.goto(imported_site + "/category/research/clinical-trials/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinical trials")
    expect(page.get_by_text("Part of")).to_contain_text("Research")
    expect(
        page.get_by_role("navigation", name="Subtopics").get_by_role(
            "link", name="Immunotherapy trials"
        )
    ).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Research").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Research")
    assert_accessible(axe, page)


def test_an_imported_post_keeps_its_quote_gallery_and_small_aligned_image(
    imported_site, page, axe, tmp_path
):
    page.set_default_navigation_timeout(90_000)  # first views make the image renditions
    page.goto(imported_site + "/blog/car-t-cells-solid-tumours/")
    quote = page.locator("figure.quote")
    expect(quote.locator("blockquote")).to_have_text(
        "We are cautiously optimistic, but these are small numbers."
    )
    expect(quote.locator("cite")).to_have_text("Prof. Anna Lindqvist, trial lead")
    expect(page.locator("article hr")).to_have_count(1)
    assert_accessible(axe, page)

    page.goto(imported_site + "/?p=23")
    gallery = page.locator("figure.gallery")
    expect(gallery.get_by_role("listitem")).to_have_count(2)
    first, second = (gallery.locator("img").nth(n).bounding_box() for n in (0, 1))
    side_by_side = second["x"] > first["x"] and abs(second["y"] - first["y"]) < first["height"] / 2
    assert side_by_side, "a two-column gallery shows its images side by side"
    assert first["width"] < 400
    # The 300 px image aligned right in WordPress stays small, not blown up to the column width.
    aligned = page.get_by_role("img", name="The waiting room at the day clinic").first
    expect(aligned).to_be_visible()
    assert aligned.bounding_box()["width"] <= 400  # a medium image: at most 25rem, half the column
    page.screenshot(path=tmp_path / "imported-diary.png", full_page=True)
    assert_accessible(axe, page)
