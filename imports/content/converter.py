"""The converter: WordPress markup walked once and written out as clean HTML and blocks."""

import html
import json
import re
from urllib.parse import unquote, urlparse

from bs4.element import NavigableString, PreformattedString, Tag
from wagtail.rich_text import RichText

from blog.blocks import EMBED_PROVIDERS
from blog.body import IMAGE_SCHEME, clean_rich_text, code_language, html_to_blocks, rich_text
from imports import blocks as block_markup
from imports import shortcodes
from imports.content.layout import (
    classes_around,
    gallery_caption,
    gallery_columns,
    gallery_items,
    image_layout,
)
from imports.content.nodes import (
    _attachment,
    _clip,
    _dedent_lines,
    _follows_break,
    _has_text,
    _has_words,
    _host,
    _image_address,
    _image_source,
    _int,
    _lone_url,
    _moved,
    _one_line,
    _playable,
    _shorten,
    _soup,
    _span,
    _web_address,
)
from imports.content.rules import (
    ALT_MAX,
    ATTRIBUTION_MAX,
    BACKLINK_TEXT,
    BARE_URL,
    BLOCK_TAGS,
    CAPTION_HEAD,
    CAPTION_MAX,
    DYNAMIC_BLOCKS,
    FLOW_TAGS,
    KEPT_BLOCK_TAGS,
    KEPT_INLINE_TAGS,
    KNOWN_BLOCKS,
    LINE_CONTAINERS,
    LONE_URL,
    MARKER,
    MAX_DEPTH,
    NEWLINES,
    NOTE_ITEM_ID,
    NOTES_CLASSES,
    OEMBED_HOSTS,
    REMOVED,
    SILENT,
    TEASER_MARKERS,
    TEXTLESS,
    TITLE_MAX,
)
from imports.content.text import _node_text, plain_text
from imports.content.writer import _Notes, _Writer

CODE_NAME = re.compile(r"[A-Za-z0-9+#._-]{1,30}")
NOTE_LINK_MARK = "\ue002"  # starts a marker's link target until the notes are numbered

# --- The converter --------------------------------------------------------------------------


class _Converter:
    """One post's conversion: block markup and shortcodes are first rewritten as HTML in which
    markers (private-use characters) stand for what HTML cannot say; the HTML is then walked
    once, written out clean, and each marker met on the way writes its own block there."""

    def __init__(self, media, site_url="", reusable=None, post_id=None):
        self.media = media
        self.post_id = post_id
        self.site_url = site_url
        self.reusable = reusable or {}
        self.expanding = set()  # the reusable blocks being put in now: one in itself is a loop
        self.notes = _Notes()
        self.writer = _Writer()
        self.handlers = []  # what each marker in the text stands for: handler(depth)
        # {"caption", "attachment", "imported", "hints"} while in a one-image figure; hints are
        # the image block's sizeSlug, align and width
        self.figure = None
        self.footnotes = []  # (id in the post or None, clean HTML) of each note, in order
        self.in_note = False
        self.footnotes_block = False  # the post has WordPress 6.3's footnotes block

    def run(self, markup):
        markup = markup.replace("\r\n", "\n").replace("\r", "\n")
        markup = markup.replace("\ue000", "").replace("\ue001", "").replace(NOTE_LINK_MARK, "")
        # "Read more" and page-break markers split the text into parts: here, one continuous
        # post, so each is the end of a paragraph, never a line break inside one.
        markup = TEASER_MARKERS.sub("\n\n", markup)
        for part in block_markup.parse(markup):
            if isinstance(part, str):
                if part.strip():
                    self.fragment(self.classic_text(part), 0, classic=True)
            else:
                self.fragment(self.render(part), 0, classic=False)

    def marker(self, handler):
        self.handlers.append(handler)
        return f"\ue000{len(self.handlers) - 1}\ue001"

    def fragment(self, markup, depth, *, classic, attachment=None, hints=None):
        soup = _soup(markup)
        outer = self.figure
        if attachment is not None or hints:
            self.figure = {
                "caption": None,
                "attachment": attachment,
                "imported": False,
                "hints": hints or {},
            }
        for root in (soup.head, soup.body):  # the frame lxml puts around a fragment
            if root is not None:
                self.children(root, depth, classic=classic, flow=classic)
        self.figure = outer

    # Block markup

    def render(self, block, inside_unknown=False):
        """The block as HTML; blocks html_to_blocks cannot make stand as markers in it."""
        name, attrs = block.name, block.attrs
        if name == "block":
            return self.reusable_block(attrs, inside_unknown)
        if name in DYNAMIC_BLOCKS:
            self.notes.add(f"Block '{name}' left out: WordPress built it when the page was shown")
            return ""
        if name == "footnotes":  # WordPress shows the notes kept with the post (its meta) here
            self.footnotes_block = True
            return ""
        if name == "gallery":
            markup = self.raw_html(block)
            return self.marker(lambda depth: self.gallery_markup(markup, attrs))
        if name == "audio":
            markup = self.raw_html(block)
            return self.marker(lambda depth: self.audio_markup(markup, attrs))
        known = name in KNOWN_BLOCKS or name in ("image", "pullquote", "freeform", "shortcode")
        inner = "".join(
            self.shortcode_text(part)
            if isinstance(part, str)
            else self.render(part, inside_unknown or not known)
            for part in block.parts
        )
        if name == "image":
            hints = {key: attrs.get(key) for key in ("sizeSlug", "align", "width")}
            return self.marker(
                lambda depth: self.fragment(
                    inner, depth, classic=False, attachment=_int(attrs.get("id")), hints=hints
                )
            )
        if name == "pullquote":
            return self.marker(lambda depth: self.pull_quote(inner))
        if name in ("freeform", "shortcode"):
            text = LONE_URL.sub(self._lone_url, inner)
            return self.marker(lambda depth: self.fragment(text, depth, classic=True))
        if name == "embed" or name.startswith("core-embed/"):
            return self.marker(lambda depth: self.embed_block(inner, attrs))
        if not known and not inside_unknown:
            label = (attrs.get("originalName") if name == "missing" else "") or name
            if _has_text(inner):
                self.notes.add(f"Unknown block '{label}' kept as text")
            else:
                self.notes.add(f"Unknown block '{label}' left out: it has no text")
        return inner

    def raw_html(self, block):
        """A block's own HTML as it is, each inner image block's wrapped in an element that
        names its attachment (the image's own markup may not)."""
        out = []
        for part in block.parts:
            if isinstance(part, str):
                out.append(part)
            elif part.name == "image" and _int(part.attrs.get("id")):
                out.append(f'<div data-wp-attachment="{_int(part.attrs.get("id"))}">')
                out.append(self.raw_html(part))
                out.append("</div>")
            else:
                out.append(self.raw_html(part))
        return "".join(out)

    def reusable_block(self, attrs, inside_unknown):
        """A reusable block's content where the post uses it, from the export's wp_block item."""
        ref = _int(attrs.get("ref"))
        content = self.reusable.get(ref)
        if content is None or ref in self.expanding:
            reason = (
                "it uses itself" if ref in self.expanding else "its content is not in the export"
            )
            self.notes.add(f"Reusable block {attrs.get('ref', '?')} not imported: {reason}")
            return ""
        self.expanding.add(ref)
        try:
            content = TEASER_MARKERS.sub(
                "\n\n", content.replace("\ue000", "").replace("\ue001", "")
            )
            return "".join(
                self.shortcode_text(part)
                if isinstance(part, str)
                else self.render(part, inside_unknown)
                for part in block_markup.parse(content)
            )
        finally:
            self.expanding.discard(ref)

    def embed_block(self, inner, attrs):
        soup = _soup(inner)
        title = " ".join(_node_text(c) for c in soup.find_all("figcaption"))
        for caption in soup.find_all("figcaption"):
            caption.decompose()
        url = attrs.get("url") if isinstance(attrs.get("url"), str) else ""
        found = BARE_URL.search(_node_text(soup))
        self.embed(url or (found[0] if found else ""), _one_line(title))

    def pull_quote(self, inner):
        soup = _soup(inner)
        attribution = " ".join(_one_line(_node_text(cite)) for cite in soup.find_all("cite"))
        for cite in soup.find_all("cite"):
            cite.decompose()
        quote = _node_text(soup).strip()
        attribution = attribution.lstrip("—–- ").strip()
        if len(attribution) > ATTRIBUTION_MAX:
            quote, attribution = f"{quote}\n— {attribution}", ""
        if quote:
            self.writer.blocks(
                [("pull_quote", {"quote": _dedent_lines(quote), "attribution": attribution})]
            )

    # Shortcodes

    def classic_text(self, text):
        """Shortcodes expanded, and a video address alone on a line made an embed, as WordPress
        does for posts written in the classic editor."""
        return LONE_URL.sub(self._lone_url, self.shortcode_text(text))

    def _lone_url(self, match):
        url = match[1]
        if _playable(url) or _host(url) in OEMBED_HOSTS:
            return self.marker(lambda depth: self.embed(url))
        return match[0]

    def shortcode_text(self, text):
        out = []
        for token in shortcodes.scan(text):
            if isinstance(token, str):
                out.append(token)
            elif not token.known:
                self.notes.add(
                    f"Unknown shortcode [{token.name}] kept as text"
                    if token.encloses
                    else f"Unknown shortcode [{token.name}] left out: it has no text"
                )
            else:
                out.append(self.known_shortcode(token))
        return "".join(out)

    def known_shortcode(self, code):
        attrs, inner = code.attrs, code.inner or ""
        if code.inner is not None and (
            code.name in shortcodes.CODE or code.name in shortcodes.CODE_LANGUAGES
        ):
            return self.code_shortcode(code)
        if code.name in ("caption", "wp_caption"):
            match = CAPTION_HEAD.match(inner)
            head, caption = (match[1], match[2]) if match else (inner, "")
            caption = attrs.get("caption") or caption  # HTML, as WordPress reads it
            ident = _int(re.sub(r"\D", "", attrs.get("id", ""))[:12])
            data = f' data-wp-attachment="{ident}"' if ident else ""
            align = attrs.get("align", "")
            if re.fullmatch(r"align(left|right|center)", align):
                data += f' class="{align}"'
            return f"<figure{data}>{head}<figcaption>{caption}</figcaption></figure>"
        if code.name == "gallery":
            return self.marker(lambda depth: self.gallery_shortcode(attrs))
        if code.name == "embed":
            return self.marker(lambda depth: self.embed(inner.strip()))
        if code.name == "audio":
            return self.marker(lambda depth: self.audio(audio_source(attrs, inner)))
        if code.name == "video":
            sources = [attrs.get(k, "") for k in ("src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg")]
            url = next((s for s in sources if s), "") or inner.strip()
            return self.marker(lambda depth: self.media_file(code.name, url))
        self.notes.add(f"Shortcode [{code.name}] left out: it has no text")
        return ""

    def code_shortcode(self, code):
        """[code language="r"]...[/code] and the like: the enclosed text is the code itself."""
        text = _code_text(code.inner)
        named = code.attrs.get("language") or code.attrs.get("lang") or code.name
        language = named.lower() if CODE_NAME.fullmatch(named) else ""
        if language in shortcodes.CODE or language in ("plain", "text"):
            language = ""
        if not text:
            self.notes.add(f"Shortcode [{code.name}] left out: it has no text")
            return ""
        value = {"language": language, "code": text}
        return self.marker(lambda depth: self.writer.blocks([("code", value)]))

    # Footnotes

    def note_list(self, node, depth, *, classic):
        """A list of footnotes: each item a note, kept aside for the notes block."""
        for item in node.find_all("li", recursive=False):
            markup = self.note_markup(lambda item=item: self.children(item, depth, classic=classic))
            self.footnotes.append((item.get("id") or None, markup))

    def note_markup(self, write):
        """What `write` writes, as clean HTML for a note; blocks in a note are left out."""
        outer, outer_figure = self.writer, self.figure
        self.writer, self.figure, self.in_note = _Writer(), None, True
        try:
            write()
        finally:
            writer, self.writer, self.figure, self.in_note = self.writer, outer, outer_figure, False
        segments = writer.finish()
        if any(kind != "html" for kind, *_ in segments) or any(
            images.rows for kind, *rest in segments if kind == "html" for images in rest[1:]
        ):
            self.notes.add("Image, video or embed in a footnote left out")
        return "".join(rest[0] for kind, *rest in segments if kind == "html")

    def meta_footnotes(self, raw):
        """WordPress 6.3+ footnotes, kept with the post as JSON: [{"id", "content"}, ...]."""
        try:
            items = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            items = None
        if not isinstance(items, list):
            self.notes.add("Footnotes not imported: WordPress's list of them is unreadable")
            return
        for item in items[:1000]:
            content = item.get("content") if isinstance(item, dict) else None
            if isinstance(content, str) and content.strip():
                ident = item.get("id")
                markup = self.note_markup(
                    lambda content=content: self.fragment(content, 0, classic=False)
                )
                self.footnotes.append((str(ident) if ident else None, markup))

    def note_links(self):
        """Each note's number by its id in the post; notes with no text are left out."""
        numbers, kept = {}, []
        for ident, markup in self.footnotes:
            paragraphs = (v.source for k, v in html_to_blocks(markup) if k == "paragraph")
            text = rich_text("".join(paragraphs))
            if text.source.strip():
                kept.append(text)
                if ident:
                    numbers.setdefault(html.escape(ident), len(kept))
        return numbers, kept

    # HTML

    def children(self, node, depth, *, classic, flow=False, pre=False):
        """Write out the children of `node`. In classic content (`flow`), runs of text and
        inline elements are paragraphs: a blank line starts a new one, a newline is a <br>."""
        run = False
        last = len(node.contents) - 1
        for index, child in enumerate(node.children):
            if isinstance(child, PreformattedString):  # comments, CDATA, doctypes
                continue
            inline = isinstance(child, NavigableString) or child.name not in BLOCK_TAGS
            if flow and inline and not run:
                text = str(child) if isinstance(child, NavigableString) else None
                if text is not None and not text.strip():
                    continue
                self.writer.open("p")
                run = True
                if text is not None:
                    self.text(text.lstrip(), classic=classic, pre=pre, depth=depth)
                    continue
            if flow and not inline and run:
                self._end_run()
                run = False
            if isinstance(child, NavigableString):
                text = str(child)
                if classic and not pre:  # newlines that only lay out the source
                    if node.name in TEXTLESS and not text.strip():
                        continue
                    if index == 0 or _follows_break(child):
                        text = re.sub(r"^\s*\n", "", text)
                    if index == last:
                        text = re.sub(r"\n\s*$", "", text)
                self.text(text, classic=classic, pre=pre, depth=depth)
            else:
                self.element(child, depth + 1, classic=classic, pre=pre)
        if run:
            self._end_run()

    def _end_run(self):
        while self.writer.stack and self.writer.stack[-1][0] != "p":
            self.writer.close()
        if self.writer.stack:
            self.writer.close()

    def text(self, text, *, classic, pre, depth):
        pieces = MARKER.split(text)
        for index, piece in enumerate(pieces):
            if index % 2:
                self.handlers[int(piece)](depth)
            elif pre:
                for number, line in enumerate(piece.split("\n")):
                    if number:
                        self.writer.raw("<br/>")
                    self.writer.text(line)
            elif classic:
                for number, line in enumerate(NEWLINES.split(piece)):
                    if number % 2 == 0:
                        self.writer.text(line)
                    elif line == "\n":
                        self.writer.raw("<br/>")
                    else:
                        self.writer.paragraph_break()
            else:
                self.writer.text(piece)

    def element(self, node, depth, *, classic, pre):
        name = node.name
        if depth > MAX_DEPTH:
            self.writer.text(_node_text(node).replace("\n", " "))
            return
        if name in SILENT:
            return
        if name in REMOVED:
            self.notes.add(REMOVED[name])
            return
        in_line = any(open_name in LINE_CONTAINERS for open_name, _ in self.writer.stack)
        classes = set(node.get("class") or [])
        if name == "br":
            self.writer.raw("<br/>")
        elif name == "hr":
            self.writer.raw("<br/>" if in_line else "<hr/>")
        elif name == "pre" and not in_line and "wp-block-verse" not in classes:
            self.preformatted(node)
        elif name in ("ol", "ul") and _is_note_list(node, classes):
            self.note_list(node, depth, classic=classic)
        elif name in ("div", "section", "aside", "footer") and classes & NOTES_CLASSES:
            for child in node.children:  # the rule WordPress draws above the notes goes
                if not (isinstance(child, Tag) and child.name == "hr"):
                    self.children_of_one(child, depth, classic=classic)
        elif name == "img":
            self.image(node)
        elif name == "iframe":
            self.iframe(node)
        elif name in ("video", "audio"):
            source = node.get("src") or next(
                (s.get("src") for s in node.find_all("source") if s.get("src")), ""
            )
            if name == "audio":
                self.audio(source)
            else:
                self.media_file(name, source)
        elif name in ("div", "figure", "ul") and _is_gallery(node):
            self.gallery_element(node)
        elif name == "figure" and (count := len(node.find_all("img", limit=2))):
            if count == 1:
                self.one_image_figure(node, depth, classic=classic)
            else:
                self.gallery_element(node)
        elif name == "a":
            self.link(node, depth, classic=classic, pre=pre)
        elif name == "p" and (url := _lone_url(node)):
            self.embed(url)
        elif name in BLOCK_TAGS:
            self.block_element(node, depth, classic=classic, pre=pre)
        else:
            tag = name if name in KEPT_INLINE_TAGS else "span"
            self.writer.open(tag)
            self.children(node, depth, classic=classic, pre=pre)
            self.writer.close()

    def children_of_one(self, child, depth, *, classic):
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString) and child.strip():
                self.writer.open("p")
                self.text(str(child).strip(), classic=classic, pre=False, depth=depth)
                self.writer.close()
        elif child.name in ("ol", "ul"):
            self.note_list(child, depth + 1, classic=classic)
        else:
            self.element(child, depth + 1, classic=classic, pre=False)

    def preformatted(self, node):
        """Code or preformatted text, written with its spaces and lines as they are."""
        parts = []
        for piece in node.descendants:
            if isinstance(piece, Tag):
                if piece.name == "br":
                    parts.append("\n")
            elif not isinstance(piece, PreformattedString):
                parts.append(str(piece))
        text = "".join(parts)
        if MARKER.search(text):
            self.notes.add("Shortcode or video address inside preformatted text left out")
            text = MARKER.sub("", text)
        if not text.strip():
            return
        language = code_language(node, node.find("code"))
        attrs = f' class="language-{language}"' if language else ""
        self.writer.raw(f"<pre><code{attrs}>{html.escape(text, quote=False)}</code></pre>")

    def block_element(self, node, depth, *, classic, pre):
        name = node.name
        in_line = any(open_name in LINE_CONTAINERS for open_name, _ in self.writer.stack)
        if in_line and name not in ("ul", "ol", "li"):
            # html_to_blocks reads blocks inside a list item or cell as lines of text.
            self.children(node, depth, classic=classic, pre=pre or name == "pre")
            if node.next_sibling is not None:
                self.writer.raw("<br/>")
            return
        tag = name if name in KEPT_BLOCK_TAGS else "div"
        attrs = "".join(
            f' {span}="{_span(node.get(span))}"'
            for span in ("rowspan", "colspan")
            if name in ("td", "th") and node.get(span)
        )
        if name == "ol":
            attrs += _list_numbering(node)
        self.writer.open(tag, attrs)
        flow = classic and tag in FLOW_TAGS and name not in LINE_CONTAINERS
        self.children(node, depth, classic=classic, flow=flow, pre=pre or name == "pre")
        self.writer.close()

    def link(self, node, depth, *, classic, pre):
        target = (node.get("href") or "").strip()
        if target.startswith("#") and len(target) > 1 and _has_words(node):
            classes = " ".join(node.get("class") or [])
            if self.in_note and (
                BACKLINK_TEXT.fullmatch(_node_text(node).strip()) or "back" in classes
            ):
                return  # the way back from a note to its marker: the notes block has none
            self.writer.open("a", f' href="#{NOTE_LINK_MARK}{html.escape(target[1:])}"')
            self.children(node, depth, classic=classic, pre=pre)
            self.writer.close()
            return
        href = _web_address(_moved(node.get("href"), self.site_url), mailto=True)
        if href and _has_words(node):
            self.writer.open("a", f' href="{html.escape(href)}"')
            self.children(node, depth, classic=classic, pre=pre)
            self.writer.close()
        else:  # an unsafe address, or a link around an image to its larger self
            self.children(node, depth, classic=classic, pre=pre)

    # Images

    def one_image_figure(self, node, depth, *, classic):
        """A figure with one image: its figcaption is the image's caption."""
        captions = node.find_all("figcaption")
        caption = _one_line(" ".join(_node_text(c) for c in captions))
        for element in captions:
            element.decompose()
        outer = self.figure
        context = {
            # None: the post gives none, so the attachment's own; "": too long, kept under it
            "caption": (caption if len(caption) <= CAPTION_MAX else "") if caption else None,
            "attachment": _int(node.get("data-wp-attachment")) or (outer or {}).get("attachment"),
            "imported": False,
            "hints": (outer or {}).get("hints") or {},
        }
        self.figure = context
        self.writer.open("div")
        self.children(node, depth, classic=classic, flow=classic)
        if caption and (not context["imported"] or len(caption) > CAPTION_MAX):
            self.writer.open("p")
            self.writer.text(caption)
            self.writer.close()
        self.writer.close()
        self.figure = outer

    # Galleries: one gallery block, whatever WordPress wrote it with

    def gallery_shortcode(self, attrs):
        """[gallery ids=".."] (or include=".."), or [gallery] alone: the images attached to the
        post (or to the post `id=` names), in their menu order, less those `exclude=` lists."""
        listed = re.split(r"[\s,]+", attrs.get("ids") or attrs.get("include", ""))
        ids = [n for n in map(_int, listed) if n]
        if not ids:
            parent = _int(attrs.get("id")) or self.post_id
            attached = getattr(self.media, "attached_images", None)
            ids = list(attached(parent)) if parent and attached else []
            excluded = set(map(_int, re.split(r"[\s,]+", attrs.get("exclude", ""))))
            ids = [n for n in ids if n not in excluded]
            if attrs.get("order", "").upper() == "DESC":
                ids.reverse()
            if not ids:
                self.notes.add("Gallery left out: no image is attached to the post in the export")
                return
        items = [(None, n, "", None) for n in ids]
        self.gallery_block(
            items,
            columns=gallery_columns(attrs.get("columns")),
            crop=attrs.get("size", "thumbnail") == "thumbnail",
            link=attrs.get("link", "") in ("file", "media"),
        )

    def gallery_markup(self, markup, attrs):
        """A core/gallery block: old (images in a list) or nested image blocks."""
        root = _soup(markup).body
        if root is None:
            return
        outer = root.find("figure") or root
        crop = attrs.get("imageCrop", True) is not False
        self.gallery_block(
            gallery_items(outer),
            columns=gallery_columns(attrs.get("columns")),
            crop=crop,
            link=attrs.get("linkTo", "") in ("media", "file"),
            caption=gallery_caption(outer),
        )

    def gallery_element(self, node):
        """A gallery in HTML: <div class="gallery gallery-columns-3">, or a figure of images."""
        classes = node.get("class") or []
        columns = next(
            (
                c.removeprefix("gallery-columns-")
                for c in classes
                if c.startswith("gallery-columns-")
            ),
            next((c.removeprefix("columns-") for c in classes if c.startswith("columns-")), None),
        )
        self.gallery_block(
            gallery_items(node),
            columns=gallery_columns(columns),
            crop="gallery-size-thumbnail" in classes or "is-cropped" in classes,
            link=False,
            caption=gallery_caption(node),
        )

    def gallery_block(self, items, *, columns="3", crop=False, link=False, caption=""):
        images = []
        for url, attachment, alt, item_caption in items:
            if not url and not attachment:
                continue
            ref = self.media.image(url or None, attachment_id=attachment)
            if ref is None:
                self.notes.add(
                    f"Image not imported: {_shorten(url) if url else f'attachment {attachment}'}"
                )
                continue
            alt = self.alt_for(alt, ref, url, attachment)
            if item_caption is None:
                item_caption = _one_line(plain_text(ref.caption or ""))
            images.append(
                {
                    "image": ref.image,
                    "alt": alt,
                    "decorative": not alt,
                    "caption": _clip(item_caption, CAPTION_MAX),
                }
            )
        if images:
            value = {
                "images": images,
                "columns": columns,
                "crop": crop,
                "link": link,
                "caption": caption if len(caption) <= CAPTION_MAX else "",
            }
            self.writer.blocks([("gallery", value)])
        if caption and (not images or len(caption) > CAPTION_MAX):
            self.writer.blocks(
                [("paragraph", RichText(clean_rich_text(f"<p>{html.escape(caption)}</p>")))]
            )

    def alt_for(self, alt, ref, url, attachment):
        """The post's alt text, else the attachment's; none: decorative, noted for a person."""
        alt = _clip(_one_line(alt), ALT_MAX) or _clip(_one_line(ref.alt), ALT_MAX)
        if not alt:
            where = _shorten(url) if url else f"attachment {attachment}"
            self.notes.add(
                f'Image with no alt text in WordPress, imported as decorative (alt=""): {where}.'
                " Describe it if it carries meaning"
            )
        return alt

    def image(self, node):
        figure, self.figure = self.figure or {}, None
        source = _image_source(node)
        url = _image_address(source)
        attachment = _attachment(node) or figure.get("attachment")
        alt = _clip(_one_line(node.get("alt") or ""), ALT_MAX)
        hints = figure.get("hints") or {}
        layout = image_layout(
            classes_around(node),
            width=hints.get("width") or node.get("width"),
            size_slug=hints.get("sizeSlug"),
            align=hints.get("align"),
        )
        if not url and not attachment:
            if source:
                self.notes.add(f"Image with an unusable address removed: {_shorten(source)}")
            return
        ref = self.media.image(url or None, attachment_id=attachment)
        if ref is not None:
            alt = self.alt_for(alt, ref, url, attachment)
            key = self.writer.images.add(ref, alt, figure.get("caption"), layout)
            self.writer.raw(f'<img src="{IMAGE_SCHEME}{key}"/>')
            figure["imported"] = True
        elif url.startswith(("http://", "https://")):
            self.writer.open("a", f' href="{html.escape(url)}"')
            self.writer.text(alt or "Image")
            self.writer.close()
            self.notes.add(f"Image not imported: {_shorten(url)} (kept as a link)")
        elif url:
            self.writer.text(alt)
            self.notes.add(f"Image not imported: {_shorten(url)}")
        else:
            self.writer.text(alt)
            self.notes.add(f"Image not imported: attachment {attachment}")

    # Embeds, frames, audio and video

    def embed(self, url, title=""):
        url = _web_address(url)
        if not url:
            self.notes.add("Embed without a web address left out")
            return
        playable = _playable(url)
        if playable:
            provider = EMBED_PROVIDERS[_host(playable, keep_www=True)]
            title = _clip(title, TITLE_MAX) or f"Video on {provider}"
            self.writer.blocks([("embed", {"url": playable, "title": title})])
        else:
            self.link_block(url, title or url)
            self.notes.add(f"Embed from {_host(url)} kept as a link")

    def iframe(self, node):
        url = _web_address(node.get("src") or node.get("data-src"))
        title = _one_line(node.get("title") or "")
        if not url:
            self.notes.add("Embedded frame removed: it had no web address")
        elif _playable(url):
            self.embed(url, title)
        else:
            self.link_block(url, title or f"Embedded content from {_host(url)}")
            self.notes.add(f"Embedded frame from {_host(url)} kept as a link")

    def media_file(self, kind, source):
        url = _web_address(source)
        label = kind.capitalize()
        if url and _playable(url):
            self.embed(url)
        elif url:
            name = unquote(urlparse(url).path.rsplit("/", 1)[-1]) or url
            self.link_block(url, f"{label}: {name}")
            self.notes.add(f"{label} not imported: {_shorten(url)} (kept as a link)")
        else:
            self.notes.add(f"{label} without a web address removed")

    def audio_markup(self, markup, attrs):
        """A core/audio block: its <audio src> and figcaption."""
        soup = _soup(markup)
        player = soup.find("audio")
        source = (player.get("src") if player else "") or attrs.get("src") or ""
        caption = _one_line(" ".join(_node_text(c) for c in soup.find_all("figcaption")))
        self.audio(source, caption)

    def audio(self, source, caption=""):
        """An audio block playing the file where it is: files other than images stay at their
        old address (the report lists them), so the old site must keep serving them."""
        url = _web_address(source)
        if not url:
            self.notes.add("Audio without a web address removed")
            return
        if _playable(url):
            self.embed(url)
            return
        name = unquote(urlparse(url).path.rsplit("/", 1)[-1]) or url
        title = _clip(caption, TITLE_MAX) if caption else _clip(f"Audio: {name}", TITLE_MAX)
        extra = caption if len(caption) > TITLE_MAX else ""
        self.writer.blocks(
            [("audio", {"url": url, "title": title, "caption": _clip(extra, CAPTION_MAX)})]
        )
        self.notes.add(
            f"Audio left at its old address: {_shorten(url)} (copy it before the old site goes)"
        )

    def link_block(self, url, text):
        markup = f'<p><a href="{html.escape(url)}">{html.escape(_clip(text, 300))}</a></p>'
        self.writer.blocks([("paragraph", RichText(clean_rich_text(markup)))])


def _is_note_list(node, classes):
    """A list of footnotes: marked as one, or each item with a note's id ("fn1", "fn:1")."""
    if classes & NOTES_CLASSES:
        return True
    items = node.find_all("li", recursive=False)
    return bool(items) and all(NOTE_ITEM_ID.fullmatch(item.get("id") or "") for item in items)


def _list_numbering(node):
    """The start and direction of an ordered list, as attributes written anew."""
    attrs = ""
    try:
        start = int(str(node.get("start")).strip())
    except (TypeError, ValueError):
        start = None
    if start is not None and start != 1 and abs(start) < 1_000_000:
        attrs += f' start="{start}"'
    if node.has_attr("reversed"):
        attrs += " reversed"
    return attrs


def _code_text(inner):
    """A code shortcode's text: as typed, or, where a visual editor wrote it, its HTML read."""
    if re.search(r"(?i)<(?:br|p)\b", inner):
        text = re.sub(r"(?i)<br\s*/?>\n?", "\n", inner)
        text = re.sub(r"(?i)</p>\s*<p\b[^>]*>", "\n\n", text)
        inner = html.unescape(re.sub(r"<[^>]*>", "", text))
    elif "<" not in inner:
        inner = html.unescape(inner)
    return re.sub(r"^(?:[ \t]*\n)+", "", inner).rstrip()


def audio_source(attrs, inner):
    """[audio src=".."], [audio mp3=".."] (or m4a, ogg, wav) or [audio URL]: the file's address."""
    for key in ("src", "mp3", "m4a", "ogg", "oga", "wav", "flac"):
        if attrs.get(key):
            return attrs[key]
    bare = BARE_URL.search(inner or "")
    if bare:
        return bare[0]
    return next((value for value in attrs.values() if BARE_URL.fullmatch(value or "")), "")


def _is_gallery(node):
    """WordPress's gallery markup: shortcode output, the block's figure, Jetpack's tiles."""
    classes = set(node.get("class") or [])
    return bool(classes & {"gallery", "wp-block-gallery", "blocks-gallery-grid", "tiled-gallery"})
