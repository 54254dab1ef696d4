"""The WXR parser: what it reads from a WordPress export, and what it refuses."""

import dataclasses
import io
import os
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from imports.records import Author, Channel, Comment, Item, ItemTerm, Term, WXRError
from imports.tests.wxr_factory import (
    WXR,
    attachment,
    author,
    cdata,
    comment,
    item,
    term,
    write_large_export,
)
from imports.wxr import parse

FIXTURES = Path(__file__).parent / "fixtures"
FULL = FIXTURES / "wxr_full.xml"
ROOT = Path(__file__).resolve().parents[2]


def records(source, **kwargs):
    return list(parse(source, **kwargs))


def items_by_id(source):
    return {r.id: r for r in parse(source) if isinstance(r, Item)}


def parse_bytes(data):
    return records(io.BytesIO(data))


def refusal(data):
    with pytest.raises(WXRError) as caught:
        parse_bytes(data)
    return str(caught.value)


@pytest.fixture(scope="module")
def full():
    return items_by_id(FULL)


# What it reads -------------------------------------------------------------------------


def test_it_reads_the_channel_first_then_authors_terms_and_items_in_document_order():
    kinds = [type(r).__name__ for r in parse(FULL)]

    assert kinds == ["Channel"] + ["Author"] * 2 + ["Term"] * 12 + ["Item"] * 18


def test_it_reads_the_channel_head():
    channel = next(parse(FULL))

    assert channel == Channel(
        title="Oncology Notes",
        link="https://old.example.org",
        description="News, research and patient stories from the Oncology Notes team",
        language="en-GB",
        wxr_version="1.2",
        base_site_url="https://old.example.org",
        base_blog_url="https://old.example.org",
    )


def test_it_reads_the_channel_of_an_export_with_nothing_in_it():
    found = parse_bytes(WXR(channel={"title": "Empty", "language": "el"}).to_bytes())

    assert [(type(r), r.title, r.language) for r in found] == [(Channel, "Empty", "el")]


def test_it_does_not_mistake_the_site_icon_for_the_channel_title():
    channel = next(parse(FULL))

    assert channel.title == "Oncology Notes"
    assert channel.link == "https://old.example.org"


def test_it_reads_authors_with_unicode_names():
    authors = [r for r in parse(FULL) if isinstance(r, Author)]

    assert authors == [
        Author(1, "maria", "maria@old.example.org", "Μαρία Παπαδοπούλου", "Μαρία", "Παπαδοπούλου"),
        Author(2, "j.smith", "jane.smith@old.example.org", "Dr Jane Smith", "Jane", "Smith"),
    ]


def test_it_reads_an_author_without_an_id_as_wxr_1_1_writes_them():
    authors = [r for r in parse(FIXTURES / "wxr_1_1.xml") if isinstance(r, Author)]

    assert authors == [Author(None, "admin", "admin@old.example.org", "admin", "", "")]


def test_it_reads_hierarchical_categories_by_parent_slug():
    terms = {r.slug: r for r in parse(FULL) if isinstance(r, Term) and r.taxonomy == "category"}

    assert terms["research"].parent_slug == ""
    assert terms["clinical-trials"].parent_slug == "research"
    assert terms["immunotherapy-trials"] == Term(
        "category", 4, "immunotherapy-trials", "Immunotherapy trials", "clinical-trials", ""
    )
    assert terms["research"].description == "What is new in cancer research, explained."


def test_it_reads_tags_and_the_terms_of_other_taxonomies():
    terms = [r for r in parse(FULL) if isinstance(r, Term) and r.taxonomy != "category"]

    assert [(t.taxonomy, t.id, t.slug, t.name) for t in terms] == [
        ("post_tag", 7, "immunotherapy", "Immunotherapy"),
        ("post_tag", 8, "car-t", "CAR-T"),
        ("post_tag", 9, "survivorship", "Survivorship"),
        ("post_tag", 10, "screening-prevention", "Screening &amp; prevention"),
        ("nav_menu", 11, "main-menu", "Main menu"),
        ("post_format", 12, "post-format-video", "post-format-video"),
    ]
    assert terms[2].description == "Life during and after treatment."


def test_it_reads_a_term_with_a_parent():
    data = WXR(terms=[term(taxonomy="genre", slug="b", parent_slug="a", description="Bee")])

    assert parse_bytes(data.to_bytes())[1] == Term("genre", None, "b", "B", "a", "Bee")


def test_it_keeps_percent_encoded_slugs_as_they_are(full):
    greek = "%ce%b5%ce%bd%ce%b7%ce%bc%ce%ad%cf%81%cf%89%cf%83%ce%b7"
    terms = {r.name: r for r in parse(FULL) if isinstance(r, Term)}

    assert terms["Ενημέρωση"].slug == greek
    assert full[36].slug.startswith(f"{greek}-%ce%b3")
    assert full[36].terms[0] == ItemTerm("category", greek, "Ενημέρωση")


def test_it_reads_a_published_post(full):
    post = full[20]

    assert (post.post_type, post.status, post.creator) == ("post", "publish", "j.smith")
    assert post.slug == "car-t-cells-solid-tumours"
    assert post.link == "https://old.example.org/2024/05/06/car-t-cells-solid-tumours/"
    assert post.guid == "https://old.example.org/?p=20"
    assert post.date == datetime(2024, 5, 6, 7, 0, tzinfo=UTC)
    assert post.modified == datetime(2024, 5, 8, 15, 15, 42, tzinfo=UTC)
    assert post.content.startswith("<!-- wp:paragraph -->\n<p>Chimeric antigen receptor")
    assert "<!-- wp:acme/trial-finder" in post.content
    assert post.excerpt.startswith("Three early trials")
    assert (post.password, post.parent_id, post.menu_order) == ("", None, 0)
    assert post.is_sticky is True
    assert post.comment_status == "open"
    assert post.attachment_url == ""


def test_it_reads_a_posts_categories_and_tags_in_order(full):
    assert full[20].terms == [
        ItemTerm("category", "immunotherapy-trials", "Immunotherapy trials"),
        ItemTerm("post_tag", "car-t", "CAR-T"),
        ItemTerm("post_tag", "immunotherapy", "Immunotherapy"),
        ItemTerm("category", "research", "Research"),
    ]
    assert ItemTerm("post_format", "post-format-video", "Video") in full[23].terms


def test_it_collects_post_meta_as_lists_of_values(full):
    meta = full[20].meta

    assert meta["source"] == ["Lancet Oncology 2024", "N Engl J Med 2024"]
    assert meta["_thumbnail_id"] == ["21"]
    assert meta["footnotes"] == [""]
    assert full[20].thumbnail_id == 21
    assert full[35].thumbnail_id == 26


def test_it_keeps_markup_and_entities_in_titles_as_written(full):
    assert full[20].title == "CAR-T cells &amp; <em>solid</em> tumours: what the new trials tell us"
    assert full[36].title == "Ενημέρωση για ασθενείς 🎗️"


def test_it_reads_a_post_with_no_title(full):
    assert full[34].title == ""
    assert full[34].slug == "34"
    assert "day clinic is closed" in full[34].content


def test_it_reads_a_post_with_no_content(full):
    assert full[35].content == ""
    assert full[35].title == "Our nursing team"


def test_it_reads_a_scheduled_post_with_its_future_date(full):
    assert full[30].status == "future"
    assert full[30].date == datetime(2036, 9, 15, 8, 0, tzinfo=UTC)


def test_it_reads_a_drafts_local_date_as_utc_when_wordpress_wrote_zeros(full):
    draft = full[31]

    assert (draft.status, draft.slug) == ("draft", "")
    assert draft.date == datetime(2024, 5, 20, 14, 3, 11, tzinfo=UTC)
    assert draft.modified == datetime(2024, 5, 20, 11, 3, 11, tzinfo=UTC)


def test_it_reads_no_date_when_both_dates_are_zeros():
    data = WXR(items=[{"id": 1, "date": None, "modified": None}]).to_bytes()

    post = parse_bytes(data)[-1]

    assert (post.date, post.modified) == (None, None)


def test_it_reads_password_protected_and_private_posts(full):
    assert (full[32].status, full[32].password) == ("publish", "trial2024")
    assert (full[33].status, full[33].password) == ("private", "")


def test_it_reads_pages_and_their_parent(full):
    assert (full[5].post_type, full[5].parent_id, full[5].comment_status) == (
        "page",
        None,
        "closed",
    )
    assert (full[6].post_type, full[6].parent_id, full[6].menu_order) == ("page", 5, 1)
    assert full[5].meta["_wp_page_template"] == ["default"]


def test_it_reads_attachments_with_their_url_caption_and_alt_text(full):
    photo = full[21]

    assert (photo.post_type, photo.status, photo.parent_id) == ("attachment", "inherit", 20)
    assert photo.attachment_url == (
        "https://old.example.org/wp-content/uploads/2024/05/tumour-cells.jpg"
    )
    assert photo.excerpt == "Tumour cells under the microscope. Photo: Oncology Notes"
    assert photo.meta["_wp_attachment_image_alt"] == [
        "Tumour cells stained pink under a microscope"
    ]
    assert photo.meta["_wp_attachment_metadata"][0].startswith('a:5:{s:5:"width";i:1600;')
    assert full[26].parent_id is None
    assert full[27].attachment_url.endswith("/patient-leaflet.pdf")


def test_without_comments_it_reads_the_same_records_with_no_comment(full):
    kept = records(FULL)
    passed_over = records(FULL, comments=False)

    assert full[20].comments
    assert [r for r in passed_over if not isinstance(r, Item)] == [
        r for r in kept if not isinstance(r, Item)
    ]
    assert [r for r in passed_over if isinstance(r, Item)] == [
        dataclasses.replace(r, comments=[]) for r in kept if isinstance(r, Item)
    ]


def test_it_reads_threaded_comments_with_their_status_and_type(full):
    comments = {c.id: c for c in full[20].comments}

    assert list(comments) == [101, 102, 103, 104, 105, 106, 107]
    assert comments[101] == Comment(
        id=101,
        parent_id=None,
        author="Dr Αλέξανδρος Νικολάου",
        author_email="alexandros@example.gr",
        author_url="",
        date=datetime(2024, 5, 6, 9, 14, 3, tzinfo=UTC),
        content="Excellent summary. In our centre we see the same <em>antigen escape</em> "
        "problem.\n\nHas anyone tried dual-target constructs outside a trial?",
        approved="1",
        type="comment",
        user_id=None,
    )
    assert (comments[102].parent_id, comments[102].user_id) == (101, 2)
    assert (comments[103].parent_id, comments[103].type) == (102, "comment")
    assert comments[103].content.endswith("💪")
    assert [comments[i].approved for i in (104, 105)] == ["0", "spam"]
    assert (comments[106].type, comments[106].author_email) == ("pingback", "")
    assert comments[106].author_url == "https://oncologyweekly.example.net/2024/05/car-t-roundup/"
    assert comments[107].type == "trackback"


def test_it_never_keeps_a_commenters_ip_address(full):
    everything = repr(records(FULL))

    assert not hasattr(full[20].comments[0], "author_ip")
    for address in ("198.51.100.23", "192.0.2.10", "203.0.113.7", "2001:db8::1"):
        assert address not in everything


def test_it_does_not_mix_comment_meta_into_post_meta(full):
    assert "akismet_result" not in full[20].meta


def test_it_reads_a_comments_local_date_as_utc_when_its_gmt_date_is_zeros(full):
    reply = full[23].comments[1]

    assert (reply.id, reply.parent_id, reply.user_id) == (110, 109, 1)
    assert reply.date == datetime(2024, 5, 15, 10, 30, tzinfo=UTC)


def test_it_joins_cdata_sections_that_wordpress_split_around_a_cdata_end(full):
    assert "if (rows[ids[0]]>limit) { flag(); }" in full[37].content
    assert full[20].comments[5].content.endswith("at Oncology Notes [&#8230;]")


def test_it_hands_on_hostile_markup_as_text_without_interpreting_it(full):
    assert "<script>document.location=" in full[37].content
    assert full[37].comments[0].author == '<b onmouseover="alert(1)">Mallory</b>'
    assert full[37].comments[0].author_url == "javascript:alert(1)"


def test_it_reads_navigation_menu_items(full):
    menu_item = full[40]

    assert (menu_item.post_type, menu_item.title, menu_item.menu_order) == ("nav_menu_item", "", 1)
    assert menu_item.terms == [ItemTerm("nav_menu", "main-menu", "Main menu")]
    assert menu_item.meta["_menu_item_object_id"] == ["5"]


def test_it_reads_a_wxr_1_1_export():
    found = records(FIXTURES / "wxr_1_1.xml")
    post = {r.id: r for r in found if isinstance(r, Item)}[12]

    assert found[0].wxr_version == "1.1"
    assert found[0].base_blog_url == "http://old.example.org/blog"
    assert post.title == "Fun run & bake sale raised €2,400"
    assert post.date == datetime(2012, 9, 15, 10, 0, tzinfo=UTC)
    assert post.modified is None  # WordPress 3.4 did not export it
    assert post.terms == [
        ItemTerm("category", "clinic-news", "Clinic news"),
        ItemTerm("post_tag", "fundraising", "Fundraising"),
    ]
    assert post.comments[0].type == "comment"
    terms = [r for r in found if isinstance(r, Term)]
    assert [(t.slug, t.parent_slug) for t in terms] == [
        ("news", ""),
        ("clinic-news", "news"),
        ("fundraising", ""),
    ]


def test_it_reads_a_wxr_1_0_export_and_its_bare_duplicate_categories():
    data = WXR(
        version="1.0",
        items=[
            {
                "id": 3,
                "terms": [("category", "news", "News"), ("tag", "fun", "Fun")],
                "raw_xml": "\t\t<category><![CDATA[News]]></category>\n",
            }
        ],
    ).to_bytes()

    found = parse_bytes(data)

    assert found[0].wxr_version == "1.0"
    assert found[1].terms == [
        ItemTerm("category", "news", "News"),
        ItemTerm("post_tag", "fun", "Fun"),
    ]


def test_it_reads_a_path_a_string_path_and_a_binary_file_alike():
    with FULL.open("rb") as stream:
        from_stream = records(stream)

    assert records(FULL) == records(str(FULL)) == from_stream


def test_it_is_tolerant_of_blank_and_odd_numbers_and_dates():
    data = WXR(
        items=[
            {
                "id": 7,
                "wp:post_parent": " ",
                "wp:menu_order": "",
                "wp:post_date_gmt": "\n\t 2024-05-06   07:08:09 \n",
                "wp:post_modified_gmt": "2024-13-45 99:00:00",
                "wp:post_modified": "2024-05-07T10:11",
                "wp:is_sticky": " 1 ",
                "comments": [{"id": 3, "wp:comment_parent": "", "wp:comment_user_id": " 0 "}],
            }
        ],
        authors=[{"login": "x", "id": None}],
    ).to_bytes()

    found = parse_bytes(data)
    post = found[-1]

    assert found[1].id is None
    assert (post.parent_id, post.menu_order, post.is_sticky) == (None, 0, True)
    assert post.date == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert post.modified == datetime(2024, 5, 7, 10, 11, tzinfo=UTC)
    assert (post.comments[0].parent_id, post.comments[0].user_id) == (None, None)


def test_it_drops_control_characters_that_wordpress_writes_but_xml_forbids():
    data = WXR(items=[item(id=1, title="Vertical\x0btab", content="Back\x08space\tand\nnewline")])

    post = parse_bytes(data.to_bytes())[-1]

    assert post.title == "Verticaltab"
    assert post.content == "Backspace\tand\nnewline"


def test_it_reads_an_export_in_another_encoding():
    data = WXR(items=[item(id=1, title="Café für Ärzte", content="<p>Größe</p>")]).to_bytes()
    latin = data.decode().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")

    post = parse_bytes(latin)[-1]

    assert (post.title, post.content) == ("Café für Ärzte", "<p>Größe</p>")


def test_it_reads_an_export_that_starts_with_a_utf_8_byte_order_mark():
    data = WXR(items=[item(id=1, title="Ενημέρωση\x0b 🎗️")]).to_bytes()

    assert parse_bytes(b"\xef\xbb\xbf" + data)[-1].title == "Ενημέρωση 🎗️"


def test_it_reads_an_export_in_utf_16():
    data = WXR(items=[item(id=1, title="Ενημέρωση 🎗️")]).to_bytes().decode()
    data = data.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")

    assert parse_bytes(data)[-1].title == "Ενημέρωση 🎗️"


def test_it_reads_the_factorys_records_back_unchanged():
    written = [
        author(id=3, login="ελένη", display_name="Ελένη <K>"),
        term(taxonomy="post_tag", id=9, slug="a-b", name="A & B"),
        item(
            id=10,
            title="Dose <b>&amp;</b> timing ]]> done",
            content="<p>x]]>y</p><![CDATA[inner]]>",
            date=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            terms=[("category", "research", "Research")],
            meta={"k": ["1", "2"], "empty": ""},
            comments=[comment(id=5, type="pingback"), comment(id=6, parent_id=5, user_id=4)],
        ),
        attachment(id=11, file="x.png", parent_id=10),
    ]

    found = parse_bytes(WXR(authors=written[:1], terms=written[1:2], items=written[2:]).to_bytes())

    assert found[1:] == written


def test_it_reports_progress_at_most_once_per_item_and_ends_at_the_total():
    calls = []

    found = records(FULL, on_progress=lambda done, total: calls.append((done, total)))

    size = FULL.stat().st_size
    assert len(calls) <= sum(isinstance(r, Item) for r in found) + 1
    assert calls[-1] == (size, size)
    assert all(total == size for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[0][0] < size / 4


def test_it_reports_progress_without_a_total_when_reading_a_pipe():
    data = FULL.read_bytes()
    read_end, write_end = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(write_end, data), os.close(write_end)))
    writer.start()
    calls = []
    with os.fdopen(read_end, "rb") as pipe:
        found = records(pipe, on_progress=lambda done, total: calls.append((done, total)))
    writer.join()

    assert len(found) == 33
    assert {total for _, total in calls} == {None}
    assert calls[-1][0] == len(data)


class TrickleFile(io.RawIOBase):
    """A file that hands out its bytes in small pieces and counts how many it gave."""

    def __init__(self, data):
        self.data, self.given = data, 0

    def readable(self):
        return True

    def read(self, size=-1):
        piece = self.data[self.given : self.given + min(size, 4096)]
        self.given += len(piece)
        return piece


def test_it_yields_each_record_before_reading_the_rest_of_the_file():
    data = FULL.read_bytes()
    stream = TrickleFile(data)

    for record in parse(stream):
        if isinstance(record, Item):
            break

    assert record.id == 5
    assert stream.given < len(data) / 2


def test_it_keeps_memory_flat_for_a_large_export(tmp_path):
    export = write_large_export(tmp_path / "large.xml", posts=2000, comments_per_post=20)
    assert export.bytes > 35_000_000
    script = textwrap.dedent(
        """
        import resource, sys
        from imports.records import Item
        from imports.wxr import parse
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        items = comments = 0
        for record in parse(sys.argv[1]):
            if isinstance(record, Item):
                items += 1
                comments += len(record.comments)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(items, comments, (after - before) * 1024)
        """
    )

    result = subprocess.run(
        [sys.executable, "-c", script, str(export.path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )

    items, comments, growth = map(int, result.stdout.split())
    assert (items, comments) == (4000, 40000)
    # Keeping the records alone would take about the file's size (~40 MB).
    assert growth < 16 * 1024 * 1024


def test_the_large_export_is_realistic(tmp_path):
    export = write_large_export(tmp_path / "large.xml", posts=40, comments_per_post=12)

    found = records(export.path)
    posts = [r for r in found if isinstance(r, Item) and r.post_type == "post"]
    images = {r.id: r for r in found if isinstance(r, Item) and r.post_type == "attachment"}
    comments = [c for p in posts for c in p.comments]

    assert (len(posts), len(images), len(comments)) == (40, 40, 480)
    assert export.terms == sum(isinstance(r, Term) for r in found)
    assert {"pingback", "trackback", "comment"} <= {c.type for c in comments}
    assert {"1", "0", "spam"} <= {c.approved for c in comments}
    assert any(c.parent_id for c in comments)
    assert all(p.thumbnail_id in images for p in posts)
    assert any("<!-- wp:image" in p.content for p in posts)
    assert any("[caption id=" in p.content for p in posts)
    assert any("]]>0</code>" in p.content for p in posts)
    assert any(t.taxonomy == "post_tag" for p in posts for t in p.terms)
    assert write_large_export(tmp_path / "again.xml", posts=40, comments_per_post=12).bytes == (
        export.bytes
    )


# What it refuses -----------------------------------------------------------------------


def test_it_refuses_malformed_xml_and_says_where():
    with pytest.raises(WXRError, match=r"not valid XML at line 31, column 16.*bare &"):
        records(FIXTURES / "wxr_malformed.xml")


def test_it_refuses_malformed_xml_after_yielding_the_records_before_it():
    seen = []

    with pytest.raises(WXRError):
        for record in parse(FIXTURES / "wxr_malformed.xml"):
            seen.append(record)

    assert [type(r) for r in seen] == [Channel, Item]


def test_it_refuses_mismatched_tags_with_their_line():
    data = FULL.read_bytes().replace(b"</wp:post_name>", b"</wp:post_nam>", 1)
    line = FULL.read_bytes()[: data.index(b"</wp:post_nam>")].count(b"\n") + 1

    assert f"at line {line}, column" in refusal(data)
    assert "mismatched tag" in refusal(data)


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n", b"\xef\xbb\xbf\n"])
def test_it_refuses_an_empty_file(data):
    assert refusal(data) == "The file is empty."


@pytest.mark.parametrize(
    "data",
    [
        b'{"posts": []}',
        b"Just some words.\n",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ],
)
def test_it_refuses_a_file_that_is_not_xml(data):
    message = refusal(data)

    assert message.startswith("This file is not XML")
    assert "Tools > Export" in message


def test_it_refuses_an_html_page():
    assert refusal(b"<!DOCTYPE html>\n<html><body>Login</body></html>") == (
        "This is an HTML page, not a WordPress export."
    )
    assert "the document is <html>, not <rss>" in refusal(b"<html><body></body></html>")


def test_it_refuses_an_xml_document_of_another_kind():
    atom = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'

    assert "the document is <{http://www.w3.org/2005/Atom}feed>, not <rss>" in refusal(atom)


def test_it_refuses_an_rss_feed_that_is_not_a_wordpress_export():
    with pytest.raises(WXRError, match=r"RSS feed, not a WordPress export.*Tools > Export"):
        records(FIXTURES / "wxr_rss_feed.xml")


def test_it_refuses_an_rss_feed_with_no_items():
    data = b'<rss version="2.0"><channel><title>t</title></channel></rss>'

    assert refusal(data).startswith("This is an RSS feed, not a WordPress export")


@pytest.mark.parametrize("version", ["2.0", "0.9", "1.3"])
def test_it_refuses_an_unsupported_wxr_version(version):
    data = WXR(version=version).to_bytes()

    assert refusal(data) == (
        f"This export says it is WXR version {version!r}; "
        "this importer reads versions 1.0, 1.1, 1.2."
    )


def test_it_refuses_a_file_cut_short_in_an_item_and_says_which():
    data = FULL.read_bytes()
    cut = data[: data.index(b"<wp:post_date>", data.index(b"<wp:post_id>23<"))]
    line = data[: data.rindex(b"<item>", 0, len(cut))].count(b"\n") + 1

    with pytest.raises(WXRError) as caught:
        parse_bytes(cut)

    assert str(caught.value) == (
        f"The file ends in the middle of post 23 (the item starting at line {line}): "
        "it was cut short. Export it from WordPress again."
    )


def test_it_refuses_a_file_cut_short_before_the_items_id():
    data = FULL.read_bytes()
    cut = data[: data.index(b"When I was diagnosed") + 7]

    assert refusal(cut).startswith("The file ends in the middle of an item (the item starting")


def test_it_refuses_a_file_cut_short_in_a_multibyte_character():
    data = FULL.read_bytes()
    cut = data[: data.index("Ελένη".encode()) + 1]

    assert "cut short" in refusal(cut)


def test_it_refuses_a_file_cut_short_between_items():
    data = FULL.read_bytes()
    cut = data[: data.rindex(b"</item>") + len(b"</item>\n")]

    assert refusal(cut) == (
        "The file ends before the export does: it was cut short. Export it again."
    )


def test_it_refuses_an_entity_bomb_before_expanding_anything():
    seen = []

    with pytest.raises(WXRError, match=r"declares a document type.*entity bombs"):
        for record in parse(FIXTURES / "wxr_entity_bomb.xml"):
            seen.append(record)

    assert seen == []


def test_it_refuses_external_entities_and_never_fetches_them(tmp_path):
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<!ENTITY secret 'stolen'>")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    url = f"http://127.0.0.1:{server.server_port}/evil.dtd"
    attempts = [
        f'<!DOCTYPE rss SYSTEM "{url}"><rss><channel/></rss>',
        f'<!DOCTYPE rss [<!ENTITY % remote SYSTEM "{url}"> %remote;]><rss/>',
        f'<!DOCTYPE rss [<!ENTITY file SYSTEM "file://{secret}">]><rss><channel>'
        "<title>&file;</title></channel></rss>",
    ]
    try:
        for attempt in attempts:
            assert "declares a document type" in refusal(attempt.encode())
    finally:
        server.shutdown()
        server.server_close()

    assert requests == []


def test_it_refuses_a_compressed_export():
    import gzip

    message = "The file is compressed (gzip or zip): unpack it first and import the .xml inside."
    assert refusal(gzip.compress(FULL.read_bytes())) == message
    assert refusal(b"PK\x03\x04" + b"\x00" * 40) == message


def test_its_messages_never_quote_the_file():
    huge_title = "A" * 2_000_000
    data = WXR(items=[{"id": 1, "raw_xml": f"<title>{huge_title} & more</title>"}]).to_bytes()

    message = refusal(data)

    assert "not valid XML at line" in message
    assert len(message) < 300


def test_it_refuses_an_item_without_a_post_id():
    data = WXR(items=[{"id": 1, "wp:post_id": " "}]).to_bytes()
    line = data[: data.index(b"<item>")].count(b"\n") + 1

    assert refusal(data) == f"The item starting at line {line} has no wp:post_id."


def test_it_refuses_a_comment_without_an_id():
    data = WXR(items=[{"id": 1, "comments": [{"id": 2, "wp:comment_id": ""}]}]).to_bytes()

    assert "A comment in the item starting at line" in refusal(data)


def test_it_refuses_a_file_opened_as_text():
    with FULL.open(encoding="utf-8") as text, pytest.raises(TypeError, match="binary mode"):
        records(text)


def test_the_factory_writes_cdata_end_markers_the_way_wordpress_does():
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"
