"""Block-editor footnotes (WordPress 6.3+: the texts in the post's `footnotes` meta, the markers
`<sup data-fn=ID><a href="#ID">` in the content) come through a whole import as a notes block
at the end of the post, each marker a link to its note, in the stored page and the one shown."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from blog.models import PostPage
from imports import importer
from imports.models import ImportedObject

from .wxr_factory import WXR, item

pytestmark = pytest.mark.django_db

FIRST, SECOND = "1f0a8e2c-6b1d-4c39-9d0e-a1b2c3d4e5f6", "7c9d2b40-3e5f-4a61-8b72-0f1e2d3c4b5a"

CONTENT = f"""<!-- wp:paragraph -->
<p>Survival improved at five years<sup data-fn="{FIRST}" class="fn"><a href="#{FIRST}" \
id="{FIRST}-link">1</a></sup>.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2 class="wp-block-heading">Side effects</h2>
<!-- /wp:heading -->

<!-- wp:paragraph -->
<p>Fatigue was the commonest<sup data-fn="{SECOND}" class="fn"><a href="#{SECOND}" \
id="{SECOND}-link">2</a></sup>.</p>
<!-- /wp:paragraph -->

<!-- wp:footnotes /-->"""

FOOTNOTES = [
    {"content": "Smith J. <em>Lancet Oncol</em> 2021;22:101.", "id": FIRST},
    {"content": "Jones A. <strong>BMJ</strong> 2022;376:e068.", "id": SECOND},
]


@pytest.fixture
def post(site_tree, tmp_path):
    path = WXR(
        items=[
            item(
                id=41,
                title="Five years on",
                content=CONTENT,
                meta={"footnotes": json.dumps(FOOTNOTES), "_edit_last": "1"},
            )
        ]
    ).write(tmp_path / "export.xml")
    report = importer.run(path, download_images=False)
    assert report.counts["post"]["created"] == 1
    row = ImportedObject.objects.get(wp_type="post", wp_id="41")
    return PostPage.objects.get(pk=row.object_id)


def test_the_post_ends_with_a_notes_block_holding_the_footnote_texts(post):
    *text, last = list(post.body)

    assert last.block_type == "notes"
    notes = [note.source for note in last.value["notes"]]
    assert notes == [
        "<p>Smith J. <i>Lancet Oncol</i> 2021;22:101.</p>",
        "<p>Jones A. <b>BMJ</b> 2022;376:e068.</p>",
    ]
    assert [block.block_type for block in text] == ["paragraph", "heading", "paragraph"]
    assert 'five years<sup><a href="#note-1">1</a></sup>.' in text[0].value.source
    assert 'commonest<sup><a href="#note-2">2</a></sup>.' in text[2].value.source
    assert FIRST not in str(post.body.raw_data) and "data-fn" not in str(post.body.raw_data)


def test_on_the_page_each_marker_links_to_its_note(post):
    html = BeautifulSoup(Client().get(post.url).content, "html.parser")

    markers = [a for a in html.select("sup > a") if a["href"].startswith("#note-")]
    assert [(a["href"], a.get_text()) for a in markers] == [("#note-1", "1"), ("#note-2", "2")]
    for marker in markers:
        note = html.find(id=marker["href"][1:])
        assert note is not None and note.name == "li"
    assert "Lancet Oncol" in html.find(id="note-1").get_text()
    assert "BMJ" in html.find(id="note-2").get_text()
