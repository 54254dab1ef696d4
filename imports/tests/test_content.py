"""WordPress content (block markup, classic HTML, shortcodes) becomes clean StreamField blocks;
what cannot come across is kept as text or a link and noted; nothing hostile survives."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.blocks import StreamValue
from wagtail.images.models import Image

from blog.blocks import PLACEHOLDER_ALT
from blog.models import PostPage, StandardPage
from blog.services import add_post
from imports.content import convert, excerpt, plain_text
from imports.records import ImageRef

OLD = "https://old.example.org/wp-content/uploads/2019/05"
WARD = f"{OLD}/ward.png"
LOST = f"{OLD}/lost.png"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def saved_image(title="Ward", color=(30, 110, 140)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), color).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="ward.png"))


class Media:
    """Stands for the importer's media (helper C's, which downloads): answers from a table
    and remembers what it was asked."""

    def __init__(self, by_url=None, by_id=None):
        self.by_url, self.by_id, self.asked = by_url or {}, by_id or {}, []

    def image(self, url=None, *, attachment_id=None):
        self.asked.append((url, attachment_id))
        return self.by_id.get(attachment_id) or self.by_url.get(url)


@pytest.fixture
def ward(db):
    return ImageRef(image=saved_image(), alt="A hospital ward at night", caption="Ward 3")


@pytest.fixture
def media(ward):
    plain = ImageRef(image=ward.image, alt="", caption="")
    return Media(by_url={WARD: ward, f"{OLD}/plain.png": plain}, by_id={12: ward, 13: plain})


def types(blocks):
    return [kind for kind, _ in blocks]


def dump(blocks):
    """Every block value as text, rich text as its HTML source."""
    return "\n".join(f"{kind}: {getattr(value, 'source', value)}" for kind, value in blocks)


def paragraphs(blocks):
    return [value.source for kind, value in blocks if kind == "paragraph"]


def rendered(blocks, kind="post"):
    model = PostPage if kind == "post" else StandardPage
    stream_block = model._meta.get_field("body").stream_block
    return stream_block.render(StreamValue(stream_block, blocks))


# --- Classic editor content -------------------------------------------------------------------


def test_it_turns_blank_lines_into_paragraphs_and_single_newlines_into_line_breaks(media):
    text = "First line\nsecond line\n\n\nNew paragraph with <em>stress</em>.\n\nLast one."

    result = convert(text, media=media)

    assert paragraphs(result.blocks) == [
        "<p>First line<br>second line</p><p>New paragraph with <i>stress</i>.</p><p>Last one.</p>"
    ]
    assert result.notes == []


def test_it_keeps_paragraphs_apart_inside_inline_markup_and_around_block_elements(media):
    text = (
        "Intro with <strong>bold\n\nstill bold</strong>\n"
        "<ul>\n<li>one</li>\n<li>\n two\n</li>\n</ul>\n"
        "After the list<br />\nnext line\n<h2>A heading</h2>\nClosing words"
    )

    result = convert(text, media=media)

    assert types(result.blocks) == ["paragraph", "heading", "paragraph"]
    assert result.blocks[0][1].source == (
        "<p>Intro with <b>bold</b></p><p><b>still bold</b></p><ul><li>one</li><li>two</li></ul>"
        "<p>After the list<br>next line</p>"
    )
    assert result.blocks[1][1] == {"text": "A heading", "level": "h2"}
    assert result.blocks[2][1].source == "<p>Closing words</p>"


def test_it_keeps_line_breaks_of_preformatted_text(media):
    result = convert("<pre>line one\n  line two</pre>", media=media)

    assert result.blocks == [("code", {"language": "", "code": "line one\n  line two"})]


def test_it_turns_a_youtube_or_vimeo_address_alone_on_a_line_into_an_embed(media):
    text = f"Watch this:\n\n{VIDEO}\n\nand https://vimeo.com/76979871 in a sentence stays text.\n\nhttps://vimeo.com/76979871"

    result = convert(text, media=media)

    assert types(result.blocks) == ["paragraph", "embed", "paragraph", "embed"]
    assert result.blocks[1][1] == {"url": VIDEO, "title": "Video on YouTube"}
    assert result.blocks[3][1] == {"url": "https://vimeo.com/76979871", "title": "Video on Vimeo"}
    assert "https://vimeo.com/76979871 in a sentence" in result.blocks[2][1].source


def test_it_keeps_the_text_around_ordinary_comments_such_as_the_more_tag(media):
    text = (
        "<p>&nbsp;</p>\nOur first clinic opened.<!--more-->\n\nMore below.\n"
        "<!-- wp:paragraph --><p>In a <!-- a note -->block</p><!-- /wp:paragraph -->"
    )

    result = convert(text, media=media)

    assert paragraphs(result.blocks) == [
        "<p>Our first clinic opened.</p><p>More below.</p><p>In a block</p>"
    ]


@pytest.mark.parametrize(
    "marker", ["<!--more-->", "<!--more Read the rest-->", "<!--nextpage-->", "<!--noteaser-->"]
)
def test_a_read_more_or_page_break_marker_on_its_own_line_ends_a_paragraph(media, marker):
    text = f"Before the break.\n{marker}\nAfter the break,\nsecond line."

    result = convert(text, media=media)

    assert paragraphs(result.blocks) == [
        "<p>Before the break.</p><p>After the break,<br>second line.</p>"
    ]


def test_it_reads_text_between_blocks_as_classic_content(media):
    text = (
        "<!-- wp:paragraph --><p>From a block</p><!-- /wp:paragraph -->\n\n"
        "Loose one\nline two\n\nLoose two"
    )

    result = convert(text, media=media)

    assert paragraphs(result.blocks) == [
        "<p>From a block</p><p>Loose one<br>line two</p><p>Loose two</p>"
    ]


# --- Block editor content ---------------------------------------------------------------------

BLOCK_POST = """<!-- wp:paragraph -->
<p>Opening <a href="https://example.org/trial">trial</a> news.</p>
<!-- /wp:paragraph -->

<!-- wp:heading {"level":3} -->
<h3 class="wp-block-heading">What it found</h3>
<!-- /wp:heading -->

<!-- wp:list -->
<ul class="wp-block-list"><!-- wp:list-item -->
<li>Fewer relapses</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>Mild side effects</li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:separator -->
<hr class="wp-block-separator has-alpha-channel-opacity"/>
<!-- /wp:separator -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>It changed how we talk to patients.</p>
<!-- /wp:paragraph --><cite>A nurse</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:table -->
<figure class="wp-block-table"><table><thead><tr><th>Drug</th><th>Dose</th></tr></thead>
<tbody><tr><td>Nivolumab</td><td>240 mg</td></tr></tbody></table></figure>
<!-- /wp:table -->

<!-- wp:spacer {"height":"40px"} -->
<div style="height:40px" aria-hidden="true" class="wp-block-spacer"></div>
<!-- /wp:spacer -->
"""


def test_it_turns_block_markup_into_paragraphs_headings_lists_and_tables(media):
    result = convert(BLOCK_POST, media=media)

    assert types(result.blocks) == [
        "paragraph", "heading", "paragraph", "separator", "quote", "table"
    ]  # fmt: skip
    assert result.blocks[0][1].source == (
        '<p>Opening <a href="https://example.org/trial">trial</a> news.</p>'
    )
    assert result.blocks[1][1] == {"text": "What it found", "level": "h3"}
    assert (
        result.blocks[2][1].source == "<ul><li>Fewer relapses</li><li>Mild side effects</li></ul>"
    )
    assert result.blocks[4][1]["quote"].source == "<p>It changed how we talk to patients.</p>"
    assert result.blocks[4][1]["citation"] == "A nurse"
    assert result.blocks[5][1]["data"] == [["Drug", "Dose"], ["Nivolumab", "240 mg"]]
    assert result.blocks[5][1]["first_row_is_table_header"] is True
    assert result.notes == []


def test_it_turns_pull_quotes_into_pull_quote_blocks(media):
    text = (
        '<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote>'
        "<p>Screening saves lives.</p><p>Every year.</p><cite>— Dr Ana Ribeiro</cite>"
        "</blockquote></figure><!-- /wp:pullquote -->"
    )

    result = convert(text, media=media)

    assert result.blocks == [
        (
            "pull_quote",
            {"quote": "Screening saves lives.\n\nEvery year.", "attribution": "Dr Ana Ribeiro"},
        )
    ]


def test_it_keeps_unknown_blocks_as_text_with_one_note_per_kind(media):
    form = (
        '<!-- wp:jetpack/contact-form {"to":"a@example.org"} --><div class="wp-block-jetpack">'
        '<!-- wp:jetpack/field-name {"label":"Name"} /--><p>Write to us {n}</p></div>'
        "<!-- /wp:jetpack/contact-form -->"
    )
    text = "".join(form.replace("{n}", str(n)) for n in range(3))
    text += "<!-- wp:acme/counter /-->"

    result = convert(text, media=media)

    assert [p for p in dump(result.blocks).split("<p>") if "Write" in p] == [
        "Write to us 0</p>",
        "Write to us 1</p>",
        "Write to us 2</p>",
    ]
    assert result.notes == [
        "Unknown block 'jetpack/contact-form' kept as text (3 times)",
        "Unknown block 'acme/counter' left out: it has no text",
    ]


def test_it_drops_dynamic_blocks_with_a_note(media):
    text = (
        '<!-- wp:latest-posts {"postsToShow":3} /--><!-- wp:archives /-->'
        "<!-- wp:paragraph --><p>Kept.</p><!-- /wp:paragraph --><!-- wp:latest-posts /-->"
    )

    result = convert(text, media=media)

    assert paragraphs(result.blocks) == ["<p>Kept.</p>"]
    assert result.notes == [
        "Block 'latest-posts' left out: WordPress built it when the page was shown (2 times)",
        "Block 'archives' left out: WordPress built it when the page was shown",
    ]


def test_it_notes_a_reusable_block_whose_content_is_not_in_the_export(media):
    result = convert('<!-- wp:block {"ref":123} /-->', media=media)

    assert result.blocks == []
    assert result.notes == ["Reusable block 123 not imported: its content is not in the export"]


def test_it_puts_a_reusable_blocks_content_where_the_post_uses_it(media):
    disclaimer = (
        "<!-- wp:paragraph --><p>This blog informs; ask your <strong>care team</strong>."
        "</p><!-- /wp:paragraph -->"
    )
    text = '<!-- wp:paragraph --><p>The post.</p><!-- /wp:paragraph --><!-- wp:block {"ref":7} /-->'

    result = convert(text, media=media, reusable={7: disclaimer})

    assert paragraphs(result.blocks) == [
        "<p>The post.</p><p>This blog informs; ask your <b>care team</b>.</p>"
    ]
    assert result.notes == []


def test_a_reusable_block_that_uses_itself_is_put_in_once(media):
    loop = '<!-- wp:paragraph --><p>Once.</p><!-- /wp:paragraph --><!-- wp:block {"ref":7} /-->'

    result = convert('<!-- wp:block {"ref":7} /-->', media=media, reusable={7: loop})

    assert paragraphs(result.blocks) == ["<p>Once.</p>"]
    assert result.notes == ["Reusable block 7 not imported: it uses itself"]


def test_it_keeps_the_content_of_broken_block_markup(media):
    text = (
        "<!-- wp:group --><div><!-- wp:paragraph --><p>Unclosed group</p>"
        "<!-- /wp:heading --><!-- wp:image {broken json} --><p>Still here</p>"
    )

    result = convert(text, media=media)

    assert "Unclosed group" in dump(result.blocks) and "Still here" in dump(result.blocks)


# --- Images -------------------------------------------------------------------------------------


def test_it_turns_an_image_block_into_an_image_with_its_caption_and_alt(media, ward):
    text = (
        '<!-- wp:image {"id":12,"sizeSlug":"large"} --><figure class="wp-block-image size-large">'
        f'<img src="{OLD}/ward-1024x768.png" alt="Beds by a window" class="wp-image-12"/>'
        "<figcaption>The new <em>day</em> unit</figcaption></figure><!-- /wp:image -->"
    )

    result = convert(text, media=media)

    assert media.asked == [(f"{OLD}/ward-1024x768.png", 12)]
    assert result.blocks == [
        (
            "image",
            {
                "image": ward.image,
                "alt": "Beds by a window",
                "decorative": False,
                "caption": "The new day unit",
                "credit": "",
                "size": "full",
                "align": "none",
            },
        )
    ]


def test_it_takes_alt_and_caption_from_the_attachment_when_the_post_has_none(media, ward):
    result = convert(f'<p>Before <img src="{WARD}" alt=""> after</p>', media=media)

    assert types(result.blocks) == ["paragraph", "image", "paragraph"]
    assert result.blocks[1][1]["alt"] == "A hospital ward at night"
    assert result.blocks[1][1]["caption"] == "Ward 3"


def test_an_image_with_no_description_is_imported_as_decorative_and_noted(media):
    """Never a placeholder published as alt text: empty alt (decorative), and a note for the
    report's "Needs a hand" naming the image."""
    result = convert(f'<img src="{OLD}/plain.png">', media=media)

    value = result.blocks[0][1]
    assert (value["alt"], value["decorative"]) == ("", True)
    assert PLACEHOLDER_ALT not in dump(result.blocks)
    assert result.notes == [
        f'Image with no alt text in WordPress, imported as decorative (alt=""): {OLD}/plain.png.'
        " Describe it if it carries meaning"
    ]
    stream_block = PostPage._meta.get_field("body").stream_block
    stream_block.clean(StreamValue(stream_block, result.blocks))  # valid as it stands


def test_a_small_aligned_image_stays_small_and_aligned(media):
    text = (
        f'<p><img class="alignright size-thumbnail" src="{WARD}" width="150" height="150" '
        'alt="Beds"></p><!-- wp:image {"id":12,"sizeSlug":"medium","align":"left"} -->'
        f'<figure class="wp-block-image alignleft size-medium"><img src="{WARD}" alt="Beds"/>'
        "</figure><!-- /wp:image -->"
    )

    result = convert(text, media=media)

    assert [(v["size"], v["align"]) for _, v in result.blocks] == [
        ("small", "right"),
        ("medium", "left"),
    ]


def test_it_turns_a_caption_shortcode_into_a_captioned_image(media, ward):
    text = (
        '[caption id="attachment_13" align="alignnone" width="300"]'
        f'<a href="{OLD}/plain.png"><img class="size-medium" src="{OLD}/plain-300x200.png" '
        'alt="Nurse at a drip" width="300" height="200" /></a> The infusion <b>room</b>[/caption]'
        "\n\nText after."
    )

    result = convert(text, media=media)

    assert media.asked == [(f"{OLD}/plain-300x200.png", 13)]
    assert types(result.blocks) == ["image", "paragraph"]
    assert result.blocks[0][1]["alt"] == "Nurse at a drip"
    assert result.blocks[0][1]["caption"] == "The infusion room"


def test_it_keeps_an_image_it_cannot_import_as_a_link_with_a_note(media):
    text = (
        f'<p>See <img src="{LOST}" alt="The old clinic"> and <img src="{OLD}/gone.png"></p>'
        f'[caption id="attachment_99"]<img src="{OLD}/gone2.png" alt="">Its caption[/caption]'
    )

    result = convert(text, media=media)

    assert result.blocks[0][1].source == (
        f'<p>See <a href="{LOST}">The old clinic</a> and <a href="{OLD}/gone.png">Image</a></p>'
        f'<p><a href="{OLD}/gone2.png">Image</a></p><p>Its caption</p>'
    )
    assert result.notes == [
        f"Image not imported: {LOST} (kept as a link)",
        f"Image not imported: {OLD}/gone.png (kept as a link)",
        f"Image not imported: {OLD}/gone2.png (kept as a link)",
    ]


def test_a_gallery_stays_one_gallery_block_with_its_images_and_caption(media, ward):
    shortcode = '[gallery ids="12,13,99" columns="3"]'
    old_block = (
        '<!-- wp:gallery {"ids":[12,13]} --><figure class="wp-block-gallery"><ul>'
        f'<li><figure><img src="{WARD}" data-id="12"/><figcaption>First</figcaption></figure></li>'
        f'<li><figure><img src="{OLD}/plain.png" data-id="13"/></figure></li></ul>'
        "<figcaption>Our new unit</figcaption></figure><!-- /wp:gallery -->"
    )
    nested_block = (
        '<!-- wp:gallery {"linkTo":"none"} --><figure class="wp-block-gallery has-nested-images">'
        '<!-- wp:image {"id":12} --><figure class="wp-block-image"><img src="x" alt="One"/>'
        "</figure><!-- /wp:image -->"
        '<!-- wp:image {"id":13} --><figure class="wp-block-image"><img src="y" alt="Two"/>'
        "</figure><!-- /wp:image --></figure><!-- /wp:gallery -->"
    )

    found = [convert(t, media=media) for t in (shortcode, old_block, nested_block)]

    assert types(found[0].blocks) == ["gallery"]
    first = found[0].blocks[0][1]
    assert [image["alt"] for image in first["images"]] == ["A hospital ward at night", ""]
    assert (first["columns"], first["crop"]) == ("3", True)
    assert "Image not imported: attachment 99" in found[0].notes
    assert types(found[1].blocks) == ["gallery"]
    assert found[1].blocks[0][1]["images"][0]["caption"] == "First"
    assert found[1].blocks[0][1]["caption"] == "Our new unit"
    assert types(found[2].blocks) == ["gallery"]
    assert [image["alt"] for image in found[2].blocks[0][1]["images"]] == ["One", "Two"]


def test_it_keeps_an_image_html_to_blocks_could_not_place(media):
    result = convert(f'<h2><img src="{WARD}" alt="Ward"></h2><p>Text</p>', media=media)

    assert types(result.blocks) == ["paragraph", "image"]


def test_it_keeps_a_caption_too_long_for_the_block_as_text_under_the_image(media):
    words = "A very long caption " * 20
    long_alt = "Described " * 40

    result = convert(f'[caption]<img src="{WARD}" alt="{long_alt}">{words}[/caption]', media=media)

    assert types(result.blocks) == ["image", "paragraph"]
    image = result.blocks[0][1]
    assert image["caption"] == "" and words.strip() in result.blocks[1][1].source
    assert len(image["alt"]) <= 250 and image["alt"].endswith("Described…")


def test_it_keeps_the_real_source_of_lazy_loaded_images(media):
    text = (
        f'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-lazy-src="{WARD}" alt="Ward">'
        f'<noscript><img src="{WARD}" alt="Ward"></noscript>'
    )

    result = convert(text, media=media)

    assert media.asked == [(WARD, None)]
    assert types(result.blocks) == ["image"]


def test_it_does_not_ask_for_images_at_unsafe_addresses(media):
    text = '<img src="javascript:alert(1)"><img src="data:image/png;base64,AAAA">'

    result = convert(text, media=media)

    assert media.asked == [] and result.blocks == []
    assert result.notes == [
        "Image with an unusable address removed: javascript:alert(1)",
        "Image with an unusable address removed: data:image/png;base64,AAAA",
    ]


def test_it_keeps_a_link_around_words_but_not_around_an_image(media):
    result = convert(f'<a href="{WARD}"><img src="{WARD}" alt="Ward"></a>', media=media)

    assert types(result.blocks) == ["image"]


# --- Embeds, audio and video --------------------------------------------------------------------


def test_it_turns_youtube_and_vimeo_embeds_into_click_to_load_blocks(media):
    sources = [
        f'<!-- wp:embed {{"url":"{VIDEO}","type":"video","providerNameSlug":"youtube"}} -->'
        f'<figure class="wp-block-embed is-provider-youtube"><div class="wp-block-embed__wrapper">'
        f"\n{VIDEO}\n</div><figcaption>Interview with the lead author</figcaption></figure>"
        "<!-- /wp:embed -->",
        "<!-- wp:core-embed/youtube -->\n<figure><div>\nhttps://youtu.be/dQw4w9WgXcQ\n</div>"
        "</figure><!-- /wp:core-embed/youtube -->",
        "[embed]https://youtu.be/dQw4w9WgXcQ[/embed]",
        '<iframe width="560" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0" '
        'title="Interview with the lead author"></iframe>',
        f"<!-- wp:paragraph --><p>{VIDEO}</p><!-- /wp:paragraph -->",
        '[video src="https://youtu.be/dQw4w9WgXcQ"]',
    ]

    results = [convert(source, media=media) for source in sources]

    assert [r.blocks for r in results] == [
        [("embed", {"url": VIDEO, "title": "Interview with the lead author"})],
        [("embed", {"url": VIDEO, "title": "Video on YouTube"})],
        [("embed", {"url": VIDEO, "title": "Video on YouTube"})],
        [("embed", {"url": VIDEO, "title": "Interview with the lead author"})],
        [("embed", {"url": VIDEO, "title": "Video on YouTube"})],
        [("embed", {"url": VIDEO, "title": "Video on YouTube"})],
    ]
    assert all(r.notes == [] for r in results)
    vimeo = convert('<iframe src="https://player.vimeo.com/video/76979871"></iframe>', media=media)
    assert vimeo.blocks == [
        ("embed", {"url": "https://vimeo.com/76979871", "title": "Video on Vimeo"})
    ]


def test_it_keeps_embeds_the_site_does_not_play_as_links_with_a_note(media):
    tweet = "https://twitter.com/who/status/1"
    text = (
        f'<!-- wp:embed {{"url":"{tweet}","providerNameSlug":"twitter"}} -->'
        f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">{tweet}</div>'
        "</figure><!-- /wp:embed -->"
        f"<!-- wp:freeform -->{tweet}\n\nhttps://www.instagram.com/p/abc/<!-- /wp:freeform -->"
        '<iframe src="https://maps.example.com/embed?q=clinic" title="Map of the clinic"></iframe>'
    )

    result = convert(text, media=media)

    assert paragraphs(result.blocks) == [
        f'<p><a href="{tweet}">{tweet}</a></p>',
        f'<p><a href="{tweet}">{tweet}</a></p>',
        '<p><a href="https://www.instagram.com/p/abc/">https://www.instagram.com/p/abc/</a></p>',
        '<p><a href="https://maps.example.com/embed?q=clinic">Map of the clinic</a></p>',
    ]
    assert result.notes == [
        "Embed from twitter.com kept as a link (2 times)",
        "Embed from instagram.com kept as a link",
        "Embedded frame from maps.example.com kept as a link",
    ]


def test_it_keeps_audio_as_a_player_and_self_hosted_video_as_a_link_with_a_note(media):
    text = (
        f'[video width="640" mp4="{OLD}/talk.mp4"][/video]\n\n[audio src="{OLD}/podcast.mp3"]'
        f"\n\n[audio {OLD}/bare.mp3]"
        f'<!-- wp:video --><figure class="wp-block-video"><video controls src="{OLD}/clip.mp4">'
        "</video></figure><!-- /wp:video -->"
    )

    result = convert(text, media=media)

    assert paragraphs(result.blocks) == [
        f'<p><a href="{OLD}/talk.mp4">Video: talk.mp4</a></p>',
        f'<p><a href="{OLD}/clip.mp4">Video: clip.mp4</a></p>',
    ]
    assert [v["url"] for kind, v in result.blocks if kind == "audio"] == [
        f"{OLD}/podcast.mp3",
        f"{OLD}/bare.mp3",
    ]
    assert f"Video not imported: {OLD}/talk.mp4 (kept as a link)" in result.notes
    assert (
        f"Audio left at its old address: {OLD}/bare.mp3 (copy it before the old site goes)"
        in result.notes
    )


# --- Shortcodes ---------------------------------------------------------------------------------


def test_it_keeps_the_text_of_unknown_shortcodes_and_notes_each_kind_once(media):
    text = (
        '[su_box title="Note"]Keep <b>this</b>[/su_box] [contact-form-7 id="5" title="Contact"]'
        '\n\n[contact-form-7 id="6"] [toc] [sic] [1] [[caption]] [[gallery ids="1"]]'
    )

    result = convert(text, media=media)

    assert paragraphs(result.blocks) == [
        '<p>Keep <b>this</b></p><p>[toc] [sic] [1] [caption] [gallery ids="1"]</p>'
    ]
    assert result.notes == [
        "Unknown shortcode [su_box] kept as text",
        "Unknown shortcode [contact-form-7] left out: it has no text (2 times)",
    ]


def test_it_notes_a_gallery_that_lists_no_images(media):
    result = convert("[gallery]", media=media)

    assert result.blocks == []
    assert result.notes == ["Gallery left out: no image is attached to the post in the export"]


class AttachedMedia(Media):
    def attached_images(self, post_id):
        return [13, 12] if post_id == 7 else []


def test_a_gallery_without_ids_shows_the_images_attached_to_the_post(media):
    result = convert("[gallery]", media=AttachedMedia(by_id=media.by_id), post_id=7)

    assert types(result.blocks) == ["gallery"]
    assert [image["caption"] for image in result.blocks[0][1]["images"]] == ["", "Ward 3"]


# --- Pages --------------------------------------------------------------------------------------


def test_it_turns_page_content_into_blocks_a_standard_page_allows(media):
    text = (
        f'<!-- wp:embed {{"url":"{VIDEO}"}} --><figure><div>{VIDEO}</div>'
        "<figcaption>Our clinic</figcaption></figure><!-- /wp:embed -->"
        "<table><tr><th>Day</th><th>Hours</th></tr><tr><td>Monday</td><td>9–17</td></tr></table>"
        '<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>We listen.</p>'
        "<cite>The team</cite></blockquote></figure><!-- /wp:pullquote -->"
        f'<h2>Find us</h2><img src="{WARD}">'
    )

    result = convert(text, media=media, kind="page")

    allowed = set(StandardPage._meta.get_field("body").stream_block.child_blocks)
    assert set(types(result.blocks)) <= allowed
    assert types(result.blocks) == ["paragraph", "paragraph", "quote", "heading", "image"]
    assert paragraphs(result.blocks) == [
        f'<p><a href="{VIDEO}">Our clinic</a></p>',
        "<p>Day | Hours</p><p>Monday | 9–17</p>",
    ]
    assert result.blocks[2][1]["quote"].source == "<p>We listen.</p>"
    assert result.blocks[2][1]["citation"] == "The team"
    assert result.notes == [
        "Video kept as a link: pages do not show embeds",
        "Table kept as text: pages do not show tables",
    ]


def test_it_refuses_an_unknown_kind(media):
    with pytest.raises(ValueError):
        convert("<p>x</p>", media=media, kind="attachment")


# --- Hostile and huge input ---------------------------------------------------------------------

HOSTILE = """<!-- wp:paragraph -->
<p onclick="alert('xss-1')" style="color:red">Visible words <script>alert('xss-2')</script>
<a href="javascript:alert('xss-3')">bad link</a> <a href=" JaVaScRiPt:alert('xss-4')">two</a>
<a href="data:text/html;base64,eHNzLTU=">data link</a>
<img src="x" onerror="alert('xss-6')" alt="xss-alt"></p>
<!-- /wp:paragraph -->
<!-- wp:html -->
<style>body{background:url("javascript:alert('xss-7')")}</style>
<iframe src="javascript:alert('xss-8')"></iframe>
<object data="https://evil.example/xss-9.swf"><embed src="https://evil.example/xss-10.swf"></object>
<form action="https://evil.example/xss-11"><input name="xss-12"><button>xss-13</button></form>
<svg onload="alert('xss-14')"><text>xss-15</text></svg>
<math><mi>xss-16</mi></math>
<!-- /wp:html -->
<!-- wp:embed {"url":"javascript:alert('xss-17')"} --><figure></figure><!-- /wp:embed -->
[embed]javascript:alert('xss-18')[/embed]
[video src="javascript:alert('xss-19')"]
[caption caption="<script>alert('xss-20')</script>Harmless caption"]<img src="{WARD}">[/caption]
<!-- wp:heading --><h2>Heading <script>alert('xss-21')</script>end</h2><!-- /wp:heading -->
<table><tr><td onmouseover="alert('xss-22')">cell<script>alert('xss-23')</script></td></tr></table>
""".replace("{WARD}", WARD)


def test_it_drops_scripts_event_handlers_and_unsafe_addresses(media):
    result = convert(HOSTILE, media=media)

    values = dump(result.blocks)
    html = rendered(result.blocks)
    for text in (values, html):
        assert "xss-" not in text.replace("xss-alt", "")
        assert not re.search(
            r"(?i)javascript:|data:text|<script|<iframe|<object|<form|\son\w+=", text
        )
    assert "Visible words" in html and "bad link" in html and "Harmless caption" in html
    assert "Script removed (3 times)" in result.notes  # the caption's one went with its markup
    assert "Form removed: forms do not carry over" in result.notes
    assert "Plugin object (Flash or similar) removed" in result.notes


@pytest.mark.parametrize(
    "text",
    [
        "[[[[" * 250_000,
        "<!--" * 250_000,
        "</" * 250_000,
        "<?" * 250_000,
        "<a " * 250_000,
        '<a b="' * 100_000,
        "<!-- wp:group -->" * 50_000 + "deep",
        "[caption " * 100_000 + "]",
        "[x a=1]" * 50_000 + "[/x]" * 50_000,
        "<div>" * 100_000 + "deep",
        "<span><b>" * 50_000 + "deep",
        "<ul><li>" * 20_000 + "deep",
        "<p>" * 50_000 + "deep",
        "<li>" + "<p>line</p>" * 50_000,
        "\n" * 500_000 + "x",
        "<a href='https://x.org'>" * 30_000 + "deep",
        '<!-- wp:paragraph {"a":' + "[" * 100_000 + "} -->x",
        "https://www.youtube.com/watch?v=" + "a" * 1_000_000,
        "<!-- wp:acme/widget -->" + "<" * 1_000_000,
        "[embed]" * 100_000,
        "<!--more" * 100_000,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_it_survives_huge_and_deeply_nested_input(media, text):
    result = convert(text, media=media)

    if "deep" in text or text.endswith("x"):
        assert "deep" in dump(result.blocks) or "x" in dump(result.blocks)
    plain_text(text)
    assert len(excerpt(text)) <= 400


def test_it_keeps_unicode_intact(media):
    text = "Ünïcødé 🧬 مرحبا 日本語\n\nZero\u200bwidth and e\u0301 &amp; &eacute; &#x1F600;"

    result = convert(text, media=media)

    assert paragraphs(result.blocks) == [
        "<p>Ünïcødé 🧬 مرحبا 日本語</p><p>Zero\u200bwidth and e\u0301 &amp; é 😀</p>"
    ]


def test_it_makes_no_database_queries_of_its_own(media, django_assert_num_queries):
    with django_assert_num_queries(0):
        convert(BLOCK_POST + f'<img src="{WARD}" alt="A ward">' + HOSTILE, media=media)


# --- The blocks in real pages -------------------------------------------------------------------

EVERYTHING = (
    BLOCK_POST
    + HOSTILE
    + f"\n\n{VIDEO}\n\n"
    + '<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Pulled words.</p>'
    + "<cite>Someone</cite></blockquote></figure><!-- /wp:pullquote -->"
    + f'[caption id="attachment_12"]<img src="{WARD}" alt="Beds">A caption[/caption]'
    + "<!-- wp:jetpack/slideshow --><p>Plugin words</p><!-- /wp:jetpack/slideshow -->"
    + f'<p><img src="{LOST}" alt="Lost picture"></p>'
)


def _check_page_html(html):
    for words in ("What it found", "Nivolumab", "Pulled words.", "Plugin words", "Lost picture"):
        assert words in html
    assert "xss-" not in html.replace("xss-alt", "")
    assert not re.search(r"(?i)javascript:|\son(click|error|load|mouseover)=", html)


def test_it_makes_post_blocks_that_validate_save_and_render(media, blog_index, contributor, client):
    result = convert(EVERYTHING, media=media)
    assert {"paragraph", "heading", "image", "embed", "pull_quote", "table"} <= set(
        types(result.blocks)
    )
    stream_block = PostPage._meta.get_field("body").stream_block
    stream_block.clean(StreamValue(stream_block, result.blocks))  # what the editor's form checks

    post = add_post(
        blog_index,
        title="Imported post",
        standfirst=excerpt(EVERYTHING),
        contributors=[contributor],
        body=result.blocks,
    )
    post.save_revision().publish()

    response = client.get(post.url)
    assert response.status_code == 200
    html = response.content.decode()
    _check_page_html(html)
    assert 'class="embed"' in html and "pull-quote" in html and "<table" in html


def test_it_makes_page_blocks_that_validate_save_and_render(media, site_tree, client):
    home, _ = site_tree
    result = convert(EVERYTHING, media=media, kind="page")
    stream_block = StandardPage._meta.get_field("body").stream_block
    stream_block.clean(StreamValue(stream_block, result.blocks))

    page = StandardPage(title="About", slug="about", body=result.blocks)
    home.add_child(instance=page)
    page.save_revision().publish()

    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    _check_page_html(html)
    assert VIDEO in html and 'class="embed"' not in html


# --- Plain text and excerpts --------------------------------------------------------------------


def test_it_turns_html_into_plain_text_with_paragraphs_and_links():
    text = (
        "<p>Thanks &amp; regards, see <a href='https://example.org/study'>the study</a> and "
        "<a href='https://example.org/'>example.org</a>.</p><p>Second<br>line</p>"
        "Classic first\nsecond\n\n\n\nclassic paragraph <script>alert(1)</script>"
        '<a href="javascript:alert(2)">bad</a> [caption]<img src=x alt=pic>Cap[/caption]'
        " <!-- wp:latest-posts /--> [su_note]kept[/su_note]"
    )

    assert plain_text(text) == (
        "Thanks & regards, see the study (https://example.org/study) and example.org.\n\n"
        "Second\nline\n\nClassic first\nsecond\n\nclassic paragraph bad kept"
    )


def test_it_keeps_plain_text_of_lists_and_drops_markup_entirely():
    text = "<ul><li>One</li><li>Two &lt;b&gt;</li></ul><style>p{}</style><h2>Title</h2>"

    assert plain_text(text) == "One\nTwo <b>\n\nTitle"
    assert plain_text("") == "" and plain_text(None) == ""


def test_it_cuts_an_excerpt_at_a_word_with_an_ellipsis():
    text = "<p>" + " ".join(f"word{n}" for n in range(100)) + "</p>"

    assert excerpt(text, words=5) == "word0 word1 word2 word3 word4…"
    assert excerpt("<p>Short and <b>sweet</b>.</p>") == "Short and sweet."
    assert excerpt("<p>One, two, three, four</p>", words=2) == "One, two…"


def test_it_keeps_an_excerpt_within_400_characters_without_cutting_a_word():
    text = " ".join(["immunotherapy"] * 60)

    cut = excerpt(text, words=55)

    assert len(cut) <= 400 and cut.endswith("y…")
    assert cut[:-1].split() == ["immunotherapy"] * len(cut[:-1].split())
    assert len(excerpt("x" * 1000)) == 400


def test_links_into_the_old_blog_keep_its_address_for_the_importer_to_move(media, settings):
    settings.BASE_URL = "https://blog.example.eu"
    text = (
        '<a href="https://old.example.org/2024/05/06/trial/?ref=x#results">absolute</a> '
        '<a href="https://www.old.example.org/about-us/">with www</a> '
        '<a href="/2019/01/02/first-post/">relative</a> '
        '<a href="https://old.example.org/wp-content/uploads/2024/05/leaflet.pdf">a file</a> '
        '<a href="/wp-content/uploads/guide.pdf">a relative file</a> '
        '<a href="https://elsewhere.example.com/page/">another site</a>'
    )

    html = dump(convert(text, media=media, site_url="https://old.example.org").blocks)

    assert "blog.example.eu" not in html  # imports.links makes them page links or paths
    assert 'href="https://old.example.org/2024/05/06/trial/?ref=x#results"' in html
    assert 'href="https://www.old.example.org/about-us/"' in html
    assert 'href="https://old.example.org/2019/01/02/first-post/"' in html
    assert 'href="https://old.example.org/wp-content/uploads/2024/05/leaflet.pdf"' in html
    assert 'href="https://old.example.org/wp-content/uploads/guide.pdf"' in html
    assert 'href="https://elsewhere.example.com/page/"' in html


def test_without_the_blogs_address_links_are_left_as_they_are(media):
    text = '<a href="https://old.example.org/a/">absolute</a> <a href="/b/">relative</a>'

    html = dump(convert(text, media=media).blocks)

    assert 'href="https://old.example.org/a/"' in html
    assert "relative" in html and 'href="/b/"' not in html
