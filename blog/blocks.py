"""StreamField blocks for post bodies and reference lists."""

from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock


class ReferenceBlock(blocks.StructBlock):
    citation = blocks.TextBlock(help_text="Authors, title, journal, year.")
    doi = blocks.CharBlock(
        required=False, max_length=200, label="DOI", help_text="e.g. 10.1056/NEJMoa2034577"
    )
    pmid = blocks.RegexBlock(
        regex=r"^\d{1,9}$",
        required=False,
        label="PubMed ID",
        error_messages={"invalid": "A PubMed ID is digits only."},
    )
    url = blocks.URLBlock(required=False, label="URL")

    class Meta:
        icon = "link"
        template = "components/blocks/reference.html"

    def clean(self, value):
        value = super().clean(value)
        doi = (value.get("doi") or "").strip()
        for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
            if doi.lower().startswith(prefix):
                doi = doi[len(prefix) :]
        if doi and not doi.startswith("10."):
            raise blocks.StructBlockValidationError(
                block_errors={"doi": ValidationError("A DOI starts with '10.'.")}
            )
        value["doi"] = doi
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(choices=[("h2", "Section"), ("h3", "Subsection")], default="h2")

    class Meta:
        icon = "title"
        template = "components/blocks/heading.html"


# Put in by code that imports an image without a description (a guest's Word document); the
# editor must replace it before the page can be saved.
PLACEHOLDER_ALT = "Image from the author's document — describe it"

IMAGE_SIZES = [("full", "Full width"), ("medium", "Medium"), ("small", "Small")]
IMAGE_ALIGNMENTS = [
    ("none", "On its own line"),
    ("left", "Left, text wraps around it"),
    ("right", "Right, text wraps around it"),
    ("center", "Centred"),
]
DECORATIVE_HELP = "Decoration only, nothing to describe: screen readers skip it (empty alt)."


def clean_alt(value):
    """The alt text of an image block, or a decorative image's empty one; errors by field."""
    alt = (value.get("alt") or "").strip()
    if value.get("decorative"):
        value["alt"] = ""
    elif not alt:
        raise blocks.StructBlockValidationError(
            block_errors={
                "alt": ValidationError("Describe what this image shows, or mark it decorative.")
            }
        )
    elif alt == PLACEHOLDER_ALT:
        raise blocks.StructBlockValidationError(
            block_errors={"alt": ValidationError("Describe what this image shows.")}
        )
    return value


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        required=False,
        max_length=250,
        label="Alt text",
        help_text="Describe the image for people who cannot see it.",
    )
    decorative = blocks.BooleanBlock(required=False, help_text=DECORATIVE_HELP)
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=200)
    size = blocks.ChoiceBlock(
        choices=IMAGE_SIZES,
        default="full",
        help_text="Small and medium images keep their size; full width fills the column.",
    )
    align = blocks.ChoiceBlock(
        choices=IMAGE_ALIGNMENTS,
        default="none",
        help_text="Small and medium images only: text wraps around a left or right image.",
    )

    class Meta:
        icon = "image"
        template = "components/blocks/image.html"

    def clean(self, value):
        return clean_alt(super().clean(value))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        size = value.get("size") or "full"
        align = value.get("align") or "none"
        context["size"] = size if size in dict(IMAGE_SIZES) else "full"
        # A full-width image cannot float: it is as wide as the text it would wrap.
        context["align"] = "none" if context["size"] == "full" else align
        return context


class GalleryImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(required=False, max_length=250, label="Alt text")
    decorative = blocks.BooleanBlock(required=False, help_text=DECORATIVE_HELP)
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"

    def clean(self, value):
        return clean_alt(super().clean(value))


class GalleryBlock(blocks.StructBlock):
    """Images side by side in a grid, each with its alt text and caption."""

    images = blocks.ListBlock(GalleryImageBlock(), min_num=1, max_num=60)
    columns = blocks.ChoiceBlock(
        choices=[("2", "2"), ("3", "3"), ("4", "4")],
        default="3",
        help_text="On wide screens; phones show two per row.",
    )
    crop = blocks.BooleanBlock(
        required=False, help_text="Crop every image to a square, as thumbnails."
    )
    link = blocks.BooleanBlock(
        required=False, help_text="Each image links to a large copy of itself."
    )
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "components/blocks/gallery.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        columns = value.get("columns") if value.get("columns") in ("2", "3", "4") else "3"
        context["columns"] = columns
        context["sizes"] = f"(max-width: 600px) 50vw, {800 // int(columns)}px"
        return context


class AudioBlock(blocks.StructBlock):
    """A sound file played by the browser's own player, with a link to download it."""

    url = blocks.URLBlock(label="Audio file address", help_text="An MP3, M4A, OGG or WAV file.")
    title = blocks.CharBlock(max_length=200, help_text="What the recording is.")
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "components/blocks/audio.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        name = urlparse(value.get("url") or "").path.rsplit("/", 1)[-1]
        extension = name.rsplit(".", 1)[-1].upper() if "." in name else ""
        context["file_kind"] = extension if extension.isalnum() and len(extension) <= 4 else ""
        return context


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "components/blocks/pull_quote.html"


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Key points", max_length=100)
    points = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "components/blocks/key_points.html"


EMBED_PROVIDERS = {
    "www.youtube.com": "YouTube",
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "vimeo.com": "Vimeo",
    "player.vimeo.com": "Vimeo",
}


def embed_src(url):
    """The privacy-friendly iframe address for a supported video URL, or '' if unsupported."""
    parsed = urlparse(url)
    host = parsed.netloc.lower()
    if host in ("www.youtube.com", "youtube.com"):
        from urllib.parse import parse_qs

        video = parse_qs(parsed.query).get("v", [""])[0]
    elif host == "youtu.be":
        video = parsed.path.lstrip("/")
    elif host in ("vimeo.com", "player.vimeo.com"):
        video = parsed.path.rstrip("/").split("/")[-1]
        return f"https://player.vimeo.com/video/{video}?dnt=1" if video.isdigit() else ""
    else:
        return ""
    if not video or not all(c.isalnum() or c in "-_" for c in video):
        return ""
    return f"https://www.youtube-nocookie.com/embed/{video}"


class ClickToLoadEmbedBlock(blocks.StructBlock):
    """A video that is fetched from the provider only after the reader asks for it."""

    url = blocks.URLBlock(help_text="YouTube or Vimeo address. Other sites are shown as a link.")
    title = blocks.CharBlock(max_length=200, help_text="What the video is, for every reader.")

    class Meta:
        icon = "media"
        template = "components/blocks/embed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        url = value["url"]
        context["provider"] = EMBED_PROVIDERS.get(urlparse(url).netloc.lower(), "")
        context["embed_src"] = embed_src(url)
        return context


class ReferencesListBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="References", max_length=100)
    references = blocks.ListBlock(ReferenceBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "components/blocks/references_list.html"


class DataTableBlock(TableBlock):
    """A table of data: header row and/or column as the editor chooses, merged cells, a caption.

    Cells are plain text. Rendered by our own template with `th scope` and the caption, from
    rows prepared here so the template needs no index arithmetic.
    """

    def __init__(self, **kwargs):
        super().__init__(table_options={"mergeCells": True}, **kwargs)

    class Meta:
        icon = "table"
        template = "components/blocks/table.html"

    def render(self, value, context=None):
        if not value or not value.get("data"):
            return ""
        return blocks.Block.render(self, value, context)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["caption"] = (value.get("table_caption") or "").strip()
        head_rows, body_rows = table_rows(value)
        context["sections"] = [("thead", head_rows), ("tbody", body_rows)]
        return context


def table_rows(value):
    """(head rows, body rows) of cells {text, header, scope, rowspan, colspan} to render."""
    data = value.get("data") or []
    header_row = bool(value.get("first_row_is_table_header"))
    header_col = bool(value.get("first_col_is_header"))
    spans, covered = {}, set()
    for merge in value.get("mergeCells") or []:
        try:
            row, col = int(merge["row"]), int(merge["col"])
            rowspan, colspan = max(1, int(merge["rowspan"])), max(1, int(merge["colspan"]))
        except (KeyError, TypeError, ValueError):
            continue
        spans[(row, col)] = (rowspan, colspan)
        covered.update(
            (row + down, col + right)
            for down in range(rowspan)
            for right in range(colspan)
            if down or right
        )
    covered.update(
        (meta.get("row"), meta.get("col")) for meta in value.get("cell") or [] if meta.get("hidden")
    )
    rows = []
    for r, row in enumerate(data):
        cells = []
        for c, text in enumerate(row or []):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            in_head = header_row and r == 0
            scope = "col" if in_head else ("row" if header_col and c == 0 else "")
            cells.append(
                {
                    "text": "" if text is None else str(text).strip(),
                    "header": bool(scope),
                    "scope": scope,
                    "rowspan": rowspan,
                    "colspan": colspan,
                }
            )
        rows.append(cells)
    return (rows[:1], rows[1:]) if header_row else ([], rows)


RICH_TEXT_FEATURES = [
    "bold", "italic", "link", "ol", "ul", "superscript", "subscript", "strikethrough", "code",
    "h3", "h4",
]  # fmt: skip


# --- Markup blocks: quotes, code, separators, definition and numbered lists, notes ----------

INLINE_FEATURES = ["bold", "italic", "link", "superscript", "subscript", "strikethrough", "code"]
QUOTE_FEATURES = [*INLINE_FEATURES, "ol", "ul"]
NOTE_ID = "note-{}"  # the id of the n-th note of a notes block; its markers link to "#note-n"


class QuoteBlock(blocks.StructBlock):
    """Someone else's words, set apart from the author's, with who or what is quoted."""

    quote = blocks.RichTextBlock(features=QUOTE_FEATURES)
    citation = blocks.CharBlock(
        required=False, max_length=300, help_text="Who said or wrote it, or the source."
    )

    class Meta:
        icon = "openquote"
        template = "components/blocks/quote.html"


class CodeTextBlock(blocks.TextBlock):
    """A text block that keeps the spaces at the start and end of its lines."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.field_options["strip"] = False


class CodeBlock(blocks.StructBlock):
    """Code or preformatted text: shown in a fixed-width font with its spaces and lines."""

    language = blocks.RegexBlock(
        regex=r"^[A-Za-z0-9+#._-]{1,30}$",
        required=False,
        help_text="e.g. python, r, sql. Leave empty for plain text.",
        error_messages={"invalid": "Letters, digits and + # . _ - only, at most 30."},
    )
    code = CodeTextBlock(rows=6)

    class Meta:
        icon = "code"
        template = "components/blocks/code.html"


class SeparatorBlock(blocks.StaticBlock):
    class Meta:
        icon = "minus"
        label = "Separator"
        admin_text = "A line between two parts of the text."
        template = "components/blocks/separator.html"


class DefinitionBlock(blocks.StructBlock):
    term = blocks.CharBlock(max_length=500)
    definition = blocks.RichTextBlock(features=QUOTE_FEATURES)


class DefinitionListBlock(blocks.StructBlock):
    items = blocks.ListBlock(DefinitionBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "Terms and definitions"
        template = "components/blocks/definition_list.html"


class NumberedListBlock(blocks.StructBlock):
    """A numbered list that starts at another number or counts down (rich text cannot)."""

    start = blocks.IntegerBlock(default=1, min_value=-999_999, max_value=999_999)
    reversed = blocks.BooleanBlock(required=False, help_text="Count down from the start.")
    items = blocks.ListBlock(blocks.RichTextBlock(features=QUOTE_FEATURES), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "components/blocks/numbered_list.html"


class NotesBlock(blocks.StructBlock):
    """Footnotes or endnotes: note n has the id "note-n", so a link to "#note-n" reaches it."""

    title = blocks.CharBlock(default="Notes", max_length=100)
    notes = blocks.ListBlock(blocks.RichTextBlock(features=INLINE_FEATURES), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "components/blocks/notes.html"


# --- End of markup blocks --------------------------------------------------------------------


class PostBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, template="components/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    audio = AudioBlock()
    pull_quote = PullQuoteBlock()
    key_points = KeyPointsBlock()
    embed = ClickToLoadEmbedBlock()
    references = ReferencesListBlock()
    table = DataTableBlock()
    quote = QuoteBlock()
    code = CodeBlock()
    separator = SeparatorBlock()
    definition_list = DefinitionListBlock()
    numbered_list = NumberedListBlock()
    notes = NotesBlock()


class StandardBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, template="components/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    audio = AudioBlock()
    key_points = KeyPointsBlock()
    quote = QuoteBlock()
    code = CodeBlock()
    separator = SeparatorBlock()
    definition_list = DefinitionListBlock()
    numbered_list = NumberedListBlock()
    notes = NotesBlock()
