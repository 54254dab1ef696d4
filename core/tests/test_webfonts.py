"""The typeface is cut from the pinned font package, served with its licence, preloaded by
every page and used by its headings; the masthead shows the organisation's logo or name."""

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

from core import webfonts

FACE = "fonts/source-serif-4-semibold.woff2"
LICENCE = "fonts/source-serif-4-OFL.txt"


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("webfonts")
    with override_settings(WEBFONT_BUILD_DIR=folder):
        yield folder


def test_the_finder_builds_a_small_woff2_and_serves_the_licence_beside_it(build_dir):
    found = finders.find(FACE)

    assert found == str(build_dir / FACE)
    data = (build_dir / FACE).read_bytes()
    assert data[:4] == b"wOF2"
    assert len(data) < 40_000  # a page's whole weight is under 100 kB: keep it so
    assert "SIL Open Font License" in (build_dir / LICENCE).read_text()
    assert finders.find(LICENCE) == str(build_dir / LICENCE)


def test_it_builds_once_per_package_version(build_dir):
    finders.find(FACE)
    before = (build_dir / FACE).stat().st_mtime_ns
    finders.find(FACE)
    assert (build_dir / FACE).stat().st_mtime_ns == before

    (build_dir / (FACE + ".version")).write_text("0.0")  # as after an upgrade of the package
    finders.find(FACE)
    assert (build_dir / (FACE + ".version")).read_text() != "0.0"


def test_collectstatic_lists_the_face_and_its_licence(build_dir):
    listed = [path for path, _storage in webfonts.FontFinder().list([])]
    assert sorted(listed) == [LICENCE, FACE]
    assert [p for p, _s in webfonts.FontFinder().list(["*.txt"])] == [FACE]
    assert webfonts.FontFinder().find("fonts/other.woff2") is None


@pytest.mark.django_db
def test_every_page_preloads_the_face_and_declares_it(client, site_tree, build_dir):
    html = client.get("/").content.decode()
    assert (
        '<link rel="preload" href="/static/fonts/source-serif-4-semibold.woff2" as="font" '
        'type="font/woff2" crossorigin>'
    ) in html
    with open(finders.find("css/site.css")) as stylesheet:
        css = stylesheet.read()
    assert 'url("../fonts/source-serif-4-semibold.woff2")' in css
    assert "font-display: swap" in css
