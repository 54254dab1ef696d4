import io
import re

import pytest
from PIL import Image

from submissions import documents
from submissions.documents import (
    DocumentError,
    check_docx,
    clean_html,
    convert_docx,
    resolve_images,
    text_to_html,
)
from submissions.tests import docx_files


def assert_inert(html):
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"<[^>]*javascript:", lowered), "script URL in a tag"
    assert "<iframe" not in lowered
    assert "<style" not in lowered
    assert not re.search(r"<[^>]*\son\w+\s*=", lowered), "event handler attribute survived"


@pytest.fixture(scope="module")
def converted():
    return convert_docx(docx_files.full_docx())


def test_it_accepts_a_real_word_document():
    assert check_docx(docx_files.full_docx()) is None


def test_it_maps_word_headings_below_the_page_title(converted):
    assert "<h2>Living with the diagnosis</h2>" in converted.html
    assert "<h3>What helped</h3>" in converted.html
    assert "<h1" not in converted.html


def test_it_keeps_simple_formatting_and_lists(converted):
    assert "<strong>hard</strong>" in converted.html
    assert "<em>confusing</em>" in converted.html
    assert "<ul><li>Talking to a nurse</li><li>Writing questions down</li></ul>" in converted.html


def test_it_keeps_tables(converted):
    assert "<table>" in converted.html
    assert re.search(r"<td>(<p>)?Appointments(</p>)?</td>", converted.html)


def test_it_keeps_footnotes_with_their_links(converted):
    assert '<a href="#footnote-1" id="footnote-ref-1"' in converted.html
    assert '<li id="footnote-1">' in converted.html
    assert "Survey of 212 patients, 2024." in converted.html
    assert 'href="#footnote-ref-1"' in converted.html


def test_it_keeps_web_links_and_drops_script_links(converted):
    assert '<a href="https://example.org/guide" rel="nofollow noopener">the guide</a>' in (
        converted.html
    )
    assert "this trap" in converted.html
    assert_inert(converted.html)


def test_it_shows_markup_typed_in_the_document_as_text(converted):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in converted.html
    assert_inert(converted.html)


def test_it_replaces_images_by_placeholders_with_their_alt_text(converted):
    assert [image.name for image in converted.images] == ["image-1.png", "image-2.jpg"]
    assert '<img alt="A red square" src="submission-image:image-1.png">' in converted.html
    assert '<img alt="A blue photo" src="submission-image:image-2.jpg">' in converted.html
    assert [image.alt for image in converted.images] == ["A red square", "A blue photo"]


def test_it_reencodes_a_png_keeping_transparency_and_dropping_metadata(converted):
    png = converted.images[0]
    assert png.content_type == "image/png"
    picture = Image.open(io.BytesIO(png.data))
    assert picture.format == "PNG"
    assert picture.mode == "RGBA"
    assert picture.getpixel((0, 0))[3] == 128
    assert not picture.getexif()
    assert "Author" not in picture.info
    assert docx_files.PHOTOGRAPHER.encode() not in png.data


def test_it_reencodes_a_jpeg_without_exif(converted):
    jpeg = converted.images[1]
    assert jpeg.content_type == "image/jpeg"
    picture = Image.open(io.BytesIO(jpeg.data))
    assert picture.format == "JPEG"
    assert picture.size == (64, 48)
    assert not picture.getexif()
    assert b"Exif" not in jpeg.data
    assert docx_files.CAMERA.encode() not in jpeg.data


def test_it_leaves_out_an_unreadable_image_and_says_so():
    result = convert_docx(docx_files.with_broken_image())
    assert [image.name for image in result.images] == ["image-1.jpg"]
    assert "submission-image:image-1.jpg" in result.html
    assert "image-2" not in result.html
    assert any('An image ("A red square") was left out' in m for m in result.messages)


def test_it_leaves_out_an_image_too_large_to_decode_safely():
    result = convert_docx(docx_files.with_huge_image())
    assert result.images == []
    assert "<img" not in result.html
    assert "A big picture follows." in result.html
    assert result.messages == [
        'An image ("Huge") was left out: it is too large (over 40 megapixels). '
        "Insert a smaller copy."
    ]


def test_it_refuses_a_document_without_text():
    with pytest.raises(DocumentError, match="no text"):
        convert_docx(docx_files.simple_docx(""))


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: b"", "empty"),
        (docx_files.truncated_docx, "damaged or incomplete"),
        (docx_files.pdf_file, "This file is a PDF, not a Word document"),
        (docx_files.png_file, "This file is an image, not a Word document"),
        (docx_files.old_doc_or_encrypted, "password-protected or is an old Word document"),
        (docx_files.plain_zip, "not a Word document"),
        (docx_files.zip_without_document, "not a Word document"),
        (docx_files.macro_docm, "contains macros"),
        (docx_files.docx_with_vba_project_only, "contains macros"),
        (docx_files.zip_bomb, "expands to far more data"),
        (docx_files.high_ratio_member, "expands to far more data"),
        (docx_files.many_members, "too many parts"),
        (docx_files.path_traversal, "not a valid Word document"),
        (lambda: docx_files.path_traversal("/etc/passwd"), "not a valid Word document"),
        (lambda: docx_files.path_traversal("C:/Windows/evil.dll"), "not a valid Word document"),
        (lambda: docx_files.path_traversal("word\\..\\..\\evil"), "not a valid Word document"),
        (docx_files.with_doctype, "not a valid Word document"),
    ],
    ids=[
        "empty",
        "truncated",
        "pdf-renamed",
        "png-renamed",
        "ole-password-or-doc",
        "zip-not-word",
        "no-document-xml",
        "docm",
        "vba-project",
        "zip-bomb",
        "compression-ratio",
        "too-many-members",
        "dot-dot",
        "absolute",
        "drive-letter",
        "backslashes",
        "doctype",
    ],
)
def test_it_refuses_hostile_or_broken_files_with_a_clear_message(build, expected):
    data = build()
    with pytest.raises(DocumentError, match=re.escape(expected)) as caught:
        check_docx(data)
    assert caught.value.message == str(caught.value)
    with pytest.raises(DocumentError):
        convert_docx(data)


def test_it_tells_the_limit_when_a_file_is_too_large():
    with pytest.raises(DocumentError, match="the limit is 10 MB"):
        check_docx(b"PK" + bytes(documents.MAX_BYTES))
    with pytest.raises(DocumentError, match="the limit is 1 MB"):
        check_docx(docx_files.full_docx() + bytes(1024 * 1024), max_bytes=1024 * 1024)


def test_it_tells_authors_how_to_fix_a_renamed_file():
    with pytest.raises(DocumentError, match=r"Save As > Word Document \(\.docx\)"):
        check_docx(docx_files.pdf_file())


def test_the_sanitiser_strips_everything_outside_the_allow_list():
    hostile = (
        '<p onclick="steal()" style="color:red" class="x">Hi'
        "<script>alert(1)</script><style>p{}</style>"
        '<iframe src="https://evil.example"></iframe>'
        '<a href="javascript:alert(1)">a</a><a href="JaVaScRiPt:alert(1)">b</a>'
        '<a href="//evil.example/">c</a><a href="data:text/html,x">d</a>'
        '<a href="#elsewhere" id="main-nav">e</a>'
        '<img src="https://tracker.example/pixel.gif" onerror="x()">'
        '<img src="submission-image:../../secret.png">'
        "<svg><script>alert(2)</script></svg><h1>Big</h1><div>block</div>"
        '<table><tr><td colspan="2" rowspan="x">t</td></tr></table></p>'
    )
    html = clean_html(hostile)
    assert_inert(html)
    for dropped in ('href="//', "data:", "tracker", "secret", "main-nav", "#elsewhere", "<h1"):
        assert dropped not in html
    assert "style=" not in html and "class=" not in html and "<div" not in html
    assert '<td colspan="2">t</td>' in html
    assert '<a href="mailto:ed@example.org" rel="nofollow noopener">m</a>' == clean_html(
        '<a href="mailto:ed@example.org">m</a>'
    )


def test_it_points_placeholders_at_stored_images():
    html = '<p><img alt="A &quot;red&quot; square" src="submission-image:image-1.png"></p>'
    resolved = resolve_images(html, {"image-1.png": "/media/submissions/ab12.png"})
    assert (
        resolved == '<p><img alt="A &quot;red&quot; square" src="/media/submissions/ab12.png"></p>'
    )
    assert resolve_images(html, {}) == "<p></p>"


class TestTypedText:
    def test_it_makes_paragraphs_and_line_breaks(self):
        assert text_to_html("One\ntwo\r\n\r\n\n Three ") == "<p>One<br>two</p><p>Three</p>"

    def test_it_makes_headings(self):
        assert text_to_html("## Why\n### How\ntext") == "<h2>Why</h2><h3>How</h3><p>text</p>"

    def test_it_leaves_other_hashes_as_text(self):
        assert text_to_html("# one\n#### four\n##nospace") == (
            "<p># one<br>#### four<br>##nospace</p>"
        )

    def test_it_makes_lists(self):
        text = "Before\n- apples\n* pears\n1. first\n2) second\nafter"
        assert text_to_html(text) == (
            "<p>Before</p><ul><li>apples</li><li>pears</li></ul>"
            "<ol><li>first</li><li>second</li></ol><p>after</p>"
        )

    def test_it_makes_bold_and_italic(self):
        assert text_to_html("a **strong** and *soft* word") == (
            "<p>a <strong>strong</strong> and <em>soft</em> word</p>"
        )

    def test_it_leaves_stray_asterisks_alone(self):
        assert text_to_html("2 * 3 * 4 and snake*case*word") == (
            "<p>2 * 3 * 4 and snake*case*word</p>"
        )

    def test_it_links_web_addresses_without_trailing_punctuation(self):
        html = text_to_html("See https://example.org/a_b?x=1&y=2. Or **http://example.com**!")
        assert html == (
            '<p>See <a href="https://example.org/a_b?x=1&amp;y=2" rel="nofollow noopener">'
            "https://example.org/a_b?x=1&amp;y=2</a>. Or <strong>"
            '<a href="http://example.com" rel="nofollow noopener">http://example.com</a>'
            "</strong>!</p>"
        )

    @pytest.mark.parametrize(
        "hostile",
        [
            "<script>alert(1)</script>",
            '<img src=x onerror="alert(1)">',
            "javascript:alert(1)",
            "[click](javascript:alert(1))",
            'https://example.org/"onmouseover="alert(1)',
            "**<b onclick=x>bold</b>**",
            "- <iframe src=https://evil.example>",
            "## <style>body{display:none}</style>",
            "\x00<scr\x00ipt>",
        ],
    )
    def test_it_never_lets_typed_markup_through(self, hostile):
        html = text_to_html(hostile)
        assert_inert(html)
        assert set(re.findall(r"</?([a-z0-9]+)", html)) <= {"p", "h2", "ul", "li", "strong", "a"}

    def test_it_does_not_link_script_urls(self):
        assert text_to_html("javascript:alert(1)") == "<p>javascript:alert(1)</p>"

    def test_it_keeps_unicode(self):
        text = "## Ärzte und Pflege\nÜber 治疗 – «soins» 🎗️ *ça va*"
        assert text_to_html(text) == (
            "<h2>Ärzte und Pflege</h2><p>Über 治疗 – «soins» 🎗️ <em>ça va</em></p>"
        )

    def test_it_returns_nothing_for_blank_text(self):
        assert text_to_html("  \n\n \t") == ""
