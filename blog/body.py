"""The post body format: clean HTML to StreamField blocks (guest posts, WordPress imports), and
free-text references to reference blocks."""

import html
import re

import nh3
from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from wagtail.rich_text import RichText

# An image in the HTML given to html_to_blocks: <img src="IMAGE_SCHEME + key">, key looked up
# in its `images` mapping (a Word document's pictures, an imported blog's media).
IMAGE_SCHEME = "submission-image:"
NOTES_HEADING = "Notes"
HEADING_MAX = 200


# --- References -----------------------------------------------------------------------------

DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)?\b(10\.\d{4,9}/[^\s<>\"]+)", re.I)
PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.I)
URL = re.compile(r"https?://[^\s<>\"]+", re.I)
URL_LABEL = re.compile(r"\b(?:Available (?:at|from|online)|URL|Online)\s*:?\s*$", re.I)
LEADING_MARK = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}[.)]|[-*•])\s+")
ENDS = " \t.,;:"


def _trim(found):
    """A DOI or URL without the punctuation that ends the sentence around it."""
    while found and (
        found[-1] in ".,;:'\"]}>" or (found[-1] == ")" and found.count(")") > found.count("("))
    ):
        found = found[:-1]
    return found


def parse_reference(line):
    """One reference block value from a line of free text; None for a blank line."""
    line = LEADING_MARK.sub("", " ".join(line.split()))
    if not line:
        return None
    rest, doi, pmid, url = line, "", "", ""
    if match := DOI.search(rest):
        doi = _trim(match.group(1))
        end = match.start(1) + len(doi)
        rest = rest[: match.start()] + " " + rest[end:]
        if len(doi) > 200:
            doi = ""
    if match := PMID.search(rest):
        pmid = match.group(1)
        rest = rest[: match.start()] + " " + rest[match.end() :]
    if match := URL.search(rest):
        url = _trim(match.group(0))
        before = URL_LABEL.sub("", rest[: match.start()])
        rest = before + " " + rest[match.start() + len(url) :]
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            url = ""
    citation = " ".join(rest.split()).strip(ENDS)
    return {"citation": citation or line, "doi": doi, "pmid": pmid, "url": url}


def parse_references(text):
    """Reference blocks, one per non-empty line of what the author typed."""
    values = (parse_reference(line) for line in (text or "").splitlines())
    return [("reference", value) for value in values if value]


# --- Body: clean HTML to StreamField blocks -------------------------------------------------

LINK_SCHEMES = ("http://", "https://", "mailto:")
NOTE_LINK = re.compile(r"#note-[0-9]{1,4}")  # a marker's link to its note (blog.blocks.NotesBlock)


def _link_filter(tag, attribute, value):
    """Links go to web or mail addresses, or to a note of the same page; nothing else."""
    if tag == "a" and attribute == "href":
        ok = value.lower().startswith(LINK_SCHEMES) or NOTE_LINK.fullmatch(value)
        return value if ok else None
    return value


_rich_text_cleaner = nh3.Cleaner(
    tags={"p", "b", "i", "a", "ul", "ol", "li", "sup", "sub", "br", "s", "code"},
    clean_content_tags={"script", "style"},
    attributes={"a": {"href"}},
    attribute_filter=_link_filter,
    url_schemes={"http", "https", "mailto"},
    url_relative="pass_through",
    link_rel=None,
)
NOTE_ITEM = re.compile(r"(?:footnote|endnote)-[0-9]{1,9}")
NOTE_BACKLINK = re.compile(r"#(?:footnote|endnote)-ref-[0-9]{1,9}")
INLINE_TAGS = {"b": "b", "strong": "b", "i": "i", "em": "i", "sup": "sup", "sub": "sub"}
INLINE_TAGS |= {"s": "s", "del": "s", "strike": "s"}
INLINE_TAGS |= {"code": "code", "kbd": "code", "samp": "code", "tt": "code"}
LANGUAGE = re.compile(r"(?:\blanguage-|\blang[-:]|\bbrush:\s*)([A-Za-z0-9+#._-]{1,30})")
CITATION_LINE = re.compile(r"^(.*)<p>\s*[—–―-]\s*([^<>]{1,300})</p>\s*$", re.S)
QUOTE_MARKS = ("“", "”", "‘", "’")  # a quotation's own marks, and those of one inside it
SUPERSCRIPT = str.maketrans("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")
SUBSCRIPT = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")
DROPPED = {
    "script", "style", "template", "iframe", "object", "embed", "svg", "math", "noscript",
    "head", "title", "textarea", "select", "button", "form", "input", "video", "audio",
}  # fmt: skip
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}


def clean_rich_text(markup):
    return _rich_text_cleaner.clean(markup)


def rich_text(markup):
    """Clean rich text for a block, paragraphs where loose text or nesting left none."""
    markup = markup.strip()
    if not markup.startswith(("<p>", "<ul>", "<ol>")):
        markup = f"<p>{markup}</p>"
    return RichText(re.sub(r"<p>\s*</p>", "", clean_rich_text(markup)))


def code_language(*nodes):
    """The language named in the classes of a <pre> or <code> ("language-r", "brush: php")."""
    for node in nodes:
        if isinstance(node, Tag):
            found = LANGUAGE.search(" ".join(node.get("class") or []))
            if found:
                return found[1].lower()
    return ""


def _scripted(piece):
    """A sub- or superscript as Unicode characters where they exist (CO₂, 10⁹), in plain text."""
    parent = piece.parent
    table = {"sup": SUPERSCRIPT, "sub": SUBSCRIPT}.get(parent.name if parent else "")
    text = str(piece)
    if table is None or not text.strip():
        return text
    converted = text.strip().translate(table)
    return converted if all(ord(c) > 127 for c in converted) else text


def _text(node):
    """Plain text of a node, one line per paragraph or line break, spaces collapsed."""
    parts = []
    for piece in node.descendants:
        if isinstance(piece, Tag):
            if piece.name in ("p", "br", "li", "tr") and parts:
                parts.append("\n")
        elif not isinstance(piece, PreformattedString) and not any(
            parent.name in DROPPED for parent in piece.parents if parent is not node
        ):
            parts.append(_scripted(piece))
    lines = ("".join(parts)).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _spaced(text):
    return re.sub(r"\s+", " ", str(text))


def _is_empty(markup):
    return not html.unescape(re.sub(r"<[^>]*>", "", markup)).strip()


class _BodyBuilder:
    def __init__(self, images):
        self.images = images
        self.blocks = []
        self.rich = []  # consecutive paragraphs and lists, in Wagtail's rich text format
        self.loose = []  # inline content found outside any paragraph
        self.notes = []
        self.pending_images = []  # found inside lists, tables or links: placed after them

    # Blocks

    def flush(self):
        self._close_loose()
        if self.rich:
            markup = clean_rich_text("".join(self.rich))
            self.rich = []
            if not _is_empty(markup):
                self.blocks.append(("paragraph", RichText(markup)))
        for key, alt in self.pending_images:
            self._image_block(key, alt)
        self.pending_images = []

    def _image_block(self, key, alt):
        value = self.images.block(key, alt) if self.images else None
        if value:
            self.blocks.append(("image", value))

    def _close_loose(self):
        markup = "".join(self.loose).strip()
        self.loose = []
        if not _is_empty(markup):
            self.rich.append(f"<p>{markup}</p>")

    def children(self, node):
        for child in node.children:
            self.block(child)

    def block(self, node):
        if isinstance(node, PreformattedString):  # comments, CDATA, doctypes
            return
        if isinstance(node, NavigableString):
            self.loose.append(html.escape(_spaced(node), quote=False))
            return
        name = node.name
        if name in DROPPED:
            return
        if name in HEADINGS:
            self.heading(node, HEADINGS[name])
        elif name == "p":
            self.paragraph(node)
        elif name == "ol" and (
            node.has_attr("reversed") or _number(node.get("start")) not in (None, 1)
        ):
            self.flush()
            self.numbered_list(node)
            self.flush()
        elif name in ("ul", "ol"):
            self._close_loose()
            if self._is_notes(node):
                self.notes.extend(self.inline(li) for li in node.find_all("li", recursive=False))
            else:
                self.rich.append(self.list(node))
            if self.pending_images:
                self.flush()
        elif name == "table":
            self.flush()
            self.table(node)
            self.flush()
        elif name == "blockquote":
            self.quote(node)
        elif name == "pre":
            self.flush()
            self.code(node)
        elif name == "hr":
            self.flush()
            self.blocks.append(("separator", None))
        elif name == "dl":
            self.flush()
            self.definition_list(node)
            self.flush()
        elif name == "figure" and (captioned := self._captioned(node)):
            self.flush()
            inner, caption = captioned
            if inner.name == "table":
                self.table(inner, caption)
                self.flush()
            else:
                self.quote(inner, caption)
        elif name == "img":
            if self._known(node):
                self.flush()
                self._image_block(*self._image_key(node))
        elif name in INLINE_TAGS or name in ("a", "br", "span", "u", "q", "cite"):
            self.loose.append(self.inline_tag(node))
        else:  # blockquote, div, stray table parts: keep what is inside
            self._close_loose()
            self.children(node)

    def heading(self, node, level):
        text = " ".join(_text(node).split())
        if not text:
            return
        if len(text) > HEADING_MAX:  # not really a heading: keep the words
            self.paragraph(node)
            return
        self.flush()
        self.blocks.append(("heading", {"text": text, "level": level}))
        for image in node.find_all("img"):
            self._image_block(*self._image_key(image))

    def paragraph(self, node):
        """A paragraph; an image in it splits it, as an image block sits between paragraphs."""
        self._close_loose()
        segment = []
        for child in node.children:
            if isinstance(child, Tag) and child.name == "img" and self._known(child):
                self._add_paragraph(segment)
                segment = []
                self.flush()
                self._image_block(*self._image_key(child))
            else:
                segment.append(self.inline(child))
        self._add_paragraph(segment)
        if self.pending_images:
            self.flush()

    def _add_paragraph(self, segment):
        markup = "".join(segment).strip()
        while markup.endswith("<br/>"):
            markup = markup[: -len("<br/>")].rstrip()
        if not _is_empty(markup):
            self.rich.append(f"<p>{markup}</p>")

    def list(self, node):
        items = []
        for li in node.find_all("li", recursive=False):
            markup = self.inline(li).strip()
            if not _is_empty(markup):
                items.append(f"<li>{markup}</li>")
        return f"<{node.name}>{''.join(items)}</{node.name}>" if items else ""

    @staticmethod
    def _is_notes(node):
        items = node.find_all("li", recursive=False)
        return bool(items) and all(NOTE_ITEM.fullmatch(li.get("id") or "") for li in items)

    def _known(self, node):
        return bool(self.images) and self._image_key(node)[0] in self.images.rows

    def _image_key(self, node):
        source = node.get("src") or ""
        key = source.removeprefix(IMAGE_SCHEME) if source.startswith(IMAGE_SCHEME) else ""
        return key, node.get("alt") or ""

    # Inline content, always written out afresh: text escaped, only known tags, safe links

    def inline(self, node):
        if isinstance(node, PreformattedString):
            return ""
        if isinstance(node, NavigableString):
            return html.escape(_spaced(node), quote=False)
        return self.inline_tag(node)

    def inner(self, node):
        return "".join(self.inline(child) for child in node.children)

    def inline_tag(self, node):
        name = node.name
        if name in DROPPED:
            return ""
        if name == "br":
            return "<br/>"
        if name == "img":
            if self._known(node):
                self.pending_images.append(self._image_key(node))
            return ""
        if name in ("ul", "ol"):
            return self.list(node)
        if name == "a":
            return self.link(node)
        if name == "p" or name in HEADINGS:  # inside a list item or a cell: a line of its own
            markup = self.inner(node).strip()
            before = "<br/>" if node.find_previous_sibling(["p", *HEADINGS]) else ""
            return before + markup if markup else ""
        markup = self.inner(node)
        if name in INLINE_TAGS:
            tag = INLINE_TAGS[name]
            return f"<{tag}>{markup}</{tag}>" if not _is_empty(markup) else markup
        if name == "q" and not _is_empty(markup):
            inside = bool(node.find_parent("q"))
            return f"{QUOTE_MARKS[2 * inside]}{markup}{QUOTE_MARKS[2 * inside + 1]}"
        return markup

    def link(self, node):
        href = (node.get("href") or "").strip()
        if NOTE_BACKLINK.fullmatch(href):  # the "↑" back to the mark: no use in the post
            return ""
        markup = self.inner(node)
        ok = href.lower().startswith(LINK_SCHEMES) or NOTE_LINK.fullmatch(href)
        if ok and not _is_empty(markup):
            return f'<a href="{html.escape(href)}">{markup}</a>'
        return markup  # footnote marks, fragments and unsafe schemes keep only their text

    # Quotes, code, definition and numbered lists

    @staticmethod
    def _captioned(node):
        """(table or blockquote, caption text) of a figure that holds one of them and a caption."""
        inner = [
            c for c in node.children if isinstance(c, Tag) and c.name in ("table", "blockquote")
        ]
        captions = node.find_all("figcaption", recursive=False)
        if len(inner) != 1 or not captions:
            return None
        return inner[0], " ".join(" ".join(_text(c).split()) for c in captions)

    def quote(self, node, citation=""):
        """A quotation block: its words as rich text, who or what is quoted as the citation."""
        self.flush()
        cited = [citation] if citation else []
        for cite in node.find_all(["cite", "footer"], recursive=False):
            cited.append(" ".join(_text(cite).split()))
            cite.extract()
        last = next((c for c in reversed(node.contents) if isinstance(c, Tag)), None)
        if not cited and last is not None and last.name == "p":
            tail = [c for c in last.contents if not (isinstance(c, Tag) and c.name == "br")]
            while tail and isinstance(tail[-1], NavigableString) and not tail[-1].strip():
                tail.pop()
            if tail and isinstance(tail[-1], Tag) and tail[-1].name == "cite":
                cited.append(" ".join(_text(tail[-1]).split()))
                tail[-1].extract()
        inner = _BodyBuilder(self.images)
        inner.children(node)
        inner.flush()
        markup, after = [], []
        for kind, value in inner.blocks:
            if kind == "paragraph":
                markup.append(value.source)
            elif kind == "heading":
                markup.append(f"<p><b>{html.escape(value['text'], quote=False)}</b></p>")
            else:  # images, tables, code: after the quote, in their order
                after.append((kind, value))
        markup = "".join(markup)
        if not cited and (found := CITATION_LINE.match(markup)):
            markup, cited = found[1], [html.unescape(found[2]).strip()]
        citation = ", ".join(c.lstrip("—–―- ").strip() for c in cited if c.strip())
        if not _is_empty(markup):
            self.blocks.append(("quote", {"quote": rich_text(markup), "citation": citation}))
        elif citation:
            self.rich.append(f"<p>{html.escape(citation, quote=False)}</p>")
        self.blocks.extend(after)
        self.notes.extend(inner.notes)

    def code(self, node):
        """Code or preformatted text, its spaces and line breaks as written."""
        parts = []
        for piece in node.descendants:
            if isinstance(piece, Tag):
                if piece.name == "br":
                    parts.append("\n")
            elif not isinstance(piece, PreformattedString) and not any(
                parent.name in DROPPED for parent in piece.parents if parent is not node
            ):
                parts.append(str(piece))
        text = re.sub(r"^(?:[ \t]*\n)+", "", "".join(parts)).rstrip()
        if text:
            language = code_language(node, node.find("code"))
            self.blocks.append(("code", {"language": language, "code": text}))

    def definition_list(self, node):
        entries = []  # [term, [definition markup]]
        for child in node.find_all(["dt", "dd"]):
            if child.find_parent("dl") is not node:
                continue
            if child.name == "dt":
                term = " ".join(_text(child).split())
                if entries and not entries[-1][1]:  # several terms, one definition
                    entries[-1][0] = f"{entries[-1][0]}, {term}".strip(", ")
                elif term:
                    entries.append([term, []])
            else:
                markup = self.inner(child).strip()
                if _is_empty(markup):
                    continue
                if entries:
                    entries[-1][1].append(markup)
                else:  # a definition with no term: a paragraph
                    self.rich.append(f"<p>{markup}</p>")
        self.flush()
        if entries:
            items = [
                {
                    "term": term[:500],
                    "definition": rich_text("".join(f"<p>{m}</p>" for m in defs)),
                }
                for term, defs in entries
            ]
            self.blocks.append(("definition_list", {"items": items}))

    def numbered_list(self, node):
        items = []
        for li in node.find_all("li", recursive=False):
            markup = self.inline(li).strip()
            if not _is_empty(markup):
                items.append(rich_text(markup))
        if not items:
            return
        reverse = node.has_attr("reversed")
        start = _number(node.get("start"))
        if start is None:
            start = len(items) if reverse else 1
        self.blocks.append(("numbered_list", {"start": start, "reversed": reverse, "items": items}))

    # Tables

    def table(self, node, caption=""):
        rows = [tr for tr in node.find_all("tr") if tr.find_parent("table") is node]
        grid, merges, header_cells, first_row = {}, [], set(), []
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr.find_all(["td", "th"], recursive=False):
                while (r, c) in grid:
                    c += 1
                rowspan = min(_span(cell.get("rowspan")), len(rows) - r)
                colspan = _span(cell.get("colspan"))
                for down in range(rowspan):
                    for right in range(colspan):
                        grid[(r + down, c + right)] = ""
                grid[(r, c)] = _text(cell)
                if r == 0:
                    first_row.append(cell.name == "th")
                self.pending_images.extend(
                    self._image_key(img) for img in cell.find_all("img") if self._known(img)
                )
                if cell.name == "th":
                    header_cells.add((r, c))
                if rowspan > 1 or colspan > 1:
                    merges.append({"row": r, "col": c, "rowspan": rowspan, "colspan": colspan})
                c += colspan
        if not grid or not any(grid.values()):
            return
        width = 1 + max(c for _, c in grid)
        data = [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]
        in_head = bool(rows[0].find_parent("thead"))
        marked_row = in_head or (bool(first_row) and all(first_row))
        marked_col = len(rows) > 1 and all((r, 0) in header_cells for r in range(1, len(rows)))
        if not header_cells and not in_head:
            # Word rarely marks a header row, yet nearly every table in a post has one.
            marked_row = len(rows) > 1
        choice = {(True, True): "both", (True, False): "row", (False, True): "column"}.get(
            (marked_row, marked_col), "neither"
        )
        self.blocks.append(
            (
                "table",
                {
                    "data": data,
                    "cell": [],
                    "mergeCells": merges,
                    "first_row_is_table_header": marked_row,
                    "first_col_is_header": marked_col,
                    "table_header_choice": choice,
                    "table_caption": caption or self._caption(node),
                },
            )
        )

    @staticmethod
    def _caption(table):
        captions = table.find_all("caption", recursive=False)
        return " ".join(" ".join(_text(c).split()) for c in captions)

    def finish(self):
        self.flush()
        if self.notes:
            items = "".join(f"<li>{note.strip()}</li>" for note in self.notes if note.strip())
            self.blocks.append(("heading", {"text": NOTES_HEADING, "level": "h2"}))
            self.rich.append(f"<ol>{items}</ol>")
            self.flush()
        if self.images:
            for key in self.images.unused():
                self._image_block(key, "")
        return self.blocks


def _span(value):
    try:
        return max(1, min(int(value), 20))
    except (TypeError, ValueError):
        return 1


def _number(value):
    """A list's start number: an integer of at most six digits, else None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if abs(number) < 1_000_000 else None


def html_to_blocks(markup, images=None):
    """StreamField blocks (type, value) for a post body from a submission's clean HTML.

    Headings become heading blocks, runs of paragraphs and lists one rich text block, tables
    table blocks and placeholder images image blocks (through `images`, an _ImageImporter).
    Footnote marks stay as plain superscripts; the notes follow under a "Notes" heading.
    Nothing of the input is copied as markup: text is escaped and tags are written anew.
    """
    soup = BeautifulSoup(markup or "", "html.parser")
    builder = _BodyBuilder(images)
    try:
        builder.children(soup)
        return builder.finish()
    except RecursionError:  # absurdly deep nesting: keep the words, one paragraph per line
        lines = (html.escape(line.strip(), quote=False) for line in soup.get_text("\n").split("\n"))
        paragraphs = "".join(f"<p>{line}</p>" for line in lines if line)
        return [("paragraph", RichText(clean_rich_text(paragraphs)))] if paragraphs else []
