"""WordPress post content (block markup, classic HTML, shortcodes) as StreamField blocks.

WordPress markup is first rewritten as clean HTML segments, which the guest-post converter
(`submissions.post_body.html_to_blocks`) turns into headings, rich text, lists, tables and
images; between segments go the blocks it cannot make (click-to-load embeds, pull quotes).
Nothing of the export is copied as markup: every tag is written anew, text is escaped, links
keep only http(s) and mailto addresses. What needs a person's eye becomes a note.
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlparse, urlunparse

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag
from django.conf import settings
from wagtail.rich_text import RichText

from blog.blocks import EMBED_PROVIDERS, PLACEHOLDER_ALT, embed_src
from imports import blocks as block_markup
from imports import shortcodes
from submissions.documents import IMAGE_SCHEME
from submissions.post_body import clean_rich_text, html_to_blocks

ALT_MAX, CAPTION_MAX, TITLE_MAX, ATTRIBUTION_MAX = 250, 300, 200, 200
STANDFIRST_MAX = 400
MAX_DEPTH = 48  # deeper HTML than any editor writes is kept as plain lines of text

TEASER_MARKERS = re.compile(r"[ \t]*<!--\s*(?:more|nextpage|noteaser)\b[^>]{0,200}?-->[ \t]*")
OLD_FILES = ("/wp-content/", "/wp-includes/")  # uploads and WordPress's own files: not here
MARKER = re.compile("\ue000([0-9]+)\ue001")  # private-use characters, removed from the input
LONE_URL = re.compile(r"(?m)^[ \t]*(https?://[^\s<>\"'\[\]]+)[ \t]*$")
BARE_URL = re.compile(r"https?://[^\s<>\"']+")
CAPTION_HEAD = re.compile(r"(\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.S | re.I)
ATTACHMENT = re.compile(r"(?:^|\s)wp-image-([0-9]{1,12})(?:\s|$)")
NEWLINES = re.compile(r"(\n[ \t]*\n\s*|\n)")
SPACES = re.compile(r"[ \t\f\v\xa0]+")

# Sites WordPress embeds from a URL alone on a line, but that the site does not play.
OEMBED_HOSTS = {
    "twitter.com", "x.com", "instagram.com", "facebook.com", "tiktok.com", "soundcloud.com",
    "open.spotify.com", "flickr.com", "slideshare.net", "dailymotion.com", "ted.com",
    "reddit.com", "tumblr.com", "imgur.com", "scribd.com", "mixcloud.com", "pinterest.com",
    "wordpress.tv", "videopress.com", "issuu.com", "speakerdeck.com", "kickstarter.com",
}  # fmt: skip

SILENT = {
    "style", "template", "noscript", "title", "meta", "link", "base", "svg", "math",
    "textarea", "select", "option", "button", "input", "frameset", "frame", "source", "track",
}  # fmt: skip
REMOVED = {
    "script": "Script removed",
    "object": "Plugin object (Flash or similar) removed",
    "embed": "Plugin object (Flash or similar) removed",
    "applet": "Plugin object (Flash or similar) removed",
    "form": "Form removed: forms do not carry over",
}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
KEPT_BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th",
}  # fmt: skip
TEXTLESS = {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup"}
KEPT_INLINE_TAGS = {"b", "strong", "i", "em", "sup", "sub"}
# Inside these a paragraph is a line: html_to_blocks keeps them as one line of text each.
LINE_CONTAINERS = {"li", "td", "th", "dt", "dd", "caption", "figcaption", "summary"}
LINE_CONTAINERS |= {"h1", "h2", "h3", "h4", "h5", "h6"}

KNOWN_BLOCKS = {
    "paragraph", "heading", "list", "list-item", "quote", "table", "group", "columns",
    "column", "cover", "media-text", "buttons", "button", "preformatted", "code", "verse",
    "separator", "spacer", "html", "details", "text-columns", "subhead", "file", "more",
    "nextpage", "gallery", "video", "audio", "row", "stack",
}  # fmt: skip
# Blocks WordPress fills in each time the page is shown: nothing of theirs is in the export.
DYNAMIC_BLOCKS = {
    "archives", "calendar", "categories", "latest-comments", "latest-posts", "page-list",
    "rss", "search", "tag-cloud", "loginout", "navigation", "query", "post-template",
    "post-title", "post-content", "post-date", "post-excerpt", "post-featured-image",
    "post-author", "post-terms", "site-logo", "site-title", "site-tagline", "social-links",
    "home-link", "avatar", "comments", "footnotes", "legacy-widget", "template-part",
    "pattern", "table-of-contents",
}  # fmt: skip


@dataclass
class Converted:
    blocks: list  # (type, value) pairs for PostPage.body or StandardPage.body
    notes: list = field(default_factory=list)  # sentences for the import report


def convert(html_text, *, media, kind="post", site_url=""):
    """Blocks for a post (kind="post") or a standard page (kind="page") from WordPress content.

    `media.image(url, attachment_id=...)` gives an ImageRef for an image, or None when it
    cannot be had (the image is then kept as a link, and noted). `site_url` is the WordPress
    blog's address: links to its posts and pages, absolute or relative, are pointed at this
    site (where the import's redirects lead them on to the new page); links to its uploaded
    files stay at the old address.
    """
    if kind not in ("post", "page"):
        raise ValueError(f"kind must be 'post' or 'page', not {kind!r}")
    converter = _Converter(media, site_url)
    converter.run(html_text or "")
    result = []
    for segment in converter.writer.finish():
        if segment[0] == "html":
            result.extend(html_to_blocks(segment[1], segment[2]))
        else:
            result.extend(segment[1])
    if kind == "page":
        result = _for_page(result, converter.notes)
    return Converted(result, converter.notes.lines())


# --- Notes, images, and the HTML being written ----------------------------------------------


class _Notes:
    """Report sentences in order of first sight, each once with how many times it happened."""

    def __init__(self):
        self.counts = {}

    def add(self, message):
        self.counts[message] = self.counts.get(message, 0) + 1

    def lines(self):
        return [text if n == 1 else f"{text} ({n} times)" for text, n in self.counts.items()]


class _Images:
    """html_to_blocks' `images` collaborator for one HTML segment: the ImageRefs found in it,
    each written as <img src="IMAGE_SCHEME + key"> where it stood."""

    def __init__(self):
        self.rows = {}
        self.used = set()

    def add(self, ref, alt, caption):
        key = f"wp{len(self.rows)}"
        self.rows[key] = (ref, alt, caption)
        return key

    def block(self, key, alt=""):  # `alt` is the <img>'s, which we never write: see rows
        if key not in self.rows:
            return None
        self.used.add(key)
        ref, own_alt, caption = self.rows[key]
        alt = own_alt or _clip(_one_line(ref.alt), ALT_MAX) or PLACEHOLDER_ALT
        if caption is None:
            caption = _one_line(plain_text(ref.caption or ""))
            caption = caption if len(caption) <= CAPTION_MAX else ""
        return {"image": ref.image, "alt": alt, "caption": caption, "credit": ""}

    def unused(self):
        """Keys html_to_blocks did not place (an image in an empty heading): added at the end."""
        return [key for key in self.rows if key not in self.used]


class _Writer:
    """Clean HTML as it is written, cut into segments where a ready-made block goes: the open
    tags are closed before the block and opened again after it."""

    def __init__(self):
        self.segments = []
        self.parts = []
        self.stack = []  # (name, opening tag) of the open elements, innermost last
        self.images = _Images()

    def open(self, name, attrs=""):
        tag = f"<{name}{attrs}>"
        self.parts.append(tag)
        self.stack.append((name, tag))

    def close(self):
        name, _ = self.stack.pop()
        self.parts.append(f"</{name}>")

    def text(self, text):
        if text:
            self.parts.append(html.escape(text, quote=False))

    def raw(self, markup):
        self.parts.append(markup)

    def blocks(self, blocks):
        self.parts.extend(f"</{name}>" for name, _ in reversed(self.stack))
        self._end_segment()
        self.segments.append(("blocks", blocks))
        self.parts.extend(tag for _, tag in self.stack)

    def nearest_block(self):
        return next((name for name, _ in reversed(self.stack) if name in BLOCK_TAGS), None)

    def close_to(self, name):
        """Close the open elements down to the innermost `name`; returns them to reopen."""
        closed = []
        while self.stack:
            closed.append(self.stack[-1])
            self.close()
            if closed[-1][0] == name:
                break
        return closed

    def reopen(self, closed):
        for name, tag in reversed(closed):
            self.parts.append(tag)
            self.stack.append((name, tag))

    def paragraph_break(self):
        if self.nearest_block() == "p":
            self.reopen(self.close_to("p"))
        else:
            self.raw("<br/>")

    def _end_segment(self):
        markup = "".join(self.parts)
        if markup.strip():
            self.segments.append(("html", markup, self.images))
        self.parts = []
        self.images = _Images()

    def finish(self):
        while self.stack:
            self.close()
        self._end_segment()
        return self.segments


# --- The converter --------------------------------------------------------------------------


class _Converter:
    """One post's conversion: block markup and shortcodes are first rewritten as HTML in which
    markers (private-use characters) stand for what HTML cannot say; the HTML is then walked
    once, written out clean, and each marker met on the way writes its own block there."""

    def __init__(self, media, site_url=""):
        self.media = media
        self.site_url = site_url
        self.notes = _Notes()
        self.writer = _Writer()
        self.handlers = []  # what each marker in the text stands for: handler(depth)
        self.figure = None  # {"caption", "attachment", "imported"} while in a one-image figure

    def run(self, markup):
        markup = markup.replace("\r\n", "\n").replace("\r", "\n")
        markup = markup.replace("\ue000", "").replace("\ue001", "")
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

    def fragment(self, markup, depth, *, classic, attachment=None):
        soup = _soup(markup)
        outer = self.figure
        if attachment is not None:
            self.figure = {"caption": None, "attachment": attachment, "imported": False}
        for root in (soup.head, soup.body):  # the frame lxml puts around a fragment
            if root is not None:
                self.children(root, depth, classic=classic, flow=classic)
        self.figure = outer

    # Block markup

    def render(self, block, inside_unknown=False):
        """The block as HTML; blocks html_to_blocks cannot make stand as markers in it."""
        name, attrs = block.name, block.attrs
        if name == "block":
            self.notes.add(
                f"Reusable block {attrs.get('ref', '?')} not imported: "
                "its content is not in the post"
            )
            return ""
        if name in DYNAMIC_BLOCKS:
            self.notes.add(f"Block '{name}' left out: WordPress built it when the page was shown")
            return ""
        known = name in KNOWN_BLOCKS or name in ("image", "pullquote", "freeform", "shortcode")
        inner = "".join(
            self.shortcode_text(part)
            if isinstance(part, str)
            else self.render(part, inside_unknown or not known)
            for part in block.parts
        )
        if name == "image":
            return self.marker(
                lambda depth: self.fragment(
                    inner, depth, classic=False, attachment=_int(attrs.get("id"))
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
        if code.name in ("caption", "wp_caption"):
            match = CAPTION_HEAD.match(inner)
            head, caption = (match[1], match[2]) if match else (inner, "")
            caption = attrs.get("caption") or caption  # HTML, as WordPress reads it
            ident = _int(re.sub(r"\D", "", attrs.get("id", ""))[:12])
            data = f' data-wp-attachment="{ident}"' if ident else ""
            return f"<figure{data}>{head}<figcaption>{caption}</figcaption></figure>"
        if code.name == "gallery":
            listed = re.split(r"[\s,]+", attrs.get("ids") or attrs.get("include", ""))
            ids = [n for n in map(_int, listed) if n]
            if not ids:
                self.notes.add("Gallery left out: it showed the images attached to the post")
                return ""
            images = "".join(f'<img data-wp-attachment="{n}"/>' for n in ids)
            return f"<div>{images}</div>"
        if code.name == "embed":
            return self.marker(lambda depth: self.embed(inner.strip()))
        if code.name in ("video", "audio"):
            sources = [attrs.get(k, "") for k in ("src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg")]
            url = next((s for s in sources if s), "") or inner.strip()
            return self.marker(lambda depth: self.media_file(code.name, url))
        self.notes.add(f"Shortcode [{code.name}] left out: it has no text")
        return ""

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
        if name == "br":
            self.writer.raw("<br/>")
        elif name == "img":
            self.image(node)
        elif name == "iframe":
            self.iframe(node)
        elif name in ("video", "audio"):
            source = node.get("src") or next(
                (s.get("src") for s in node.find_all("source") if s.get("src")), ""
            )
            self.media_file(name, source)
        elif name == "figure" and (count := len(node.find_all("img", limit=2))):
            if count == 1:
                self.one_image_figure(node, depth, classic=classic)
            else:
                self.gallery(node)
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
        self.writer.open(tag, attrs)
        flow = classic and tag == "div" and name not in LINE_CONTAINERS
        self.children(node, depth, classic=classic, flow=flow, pre=pre or name == "pre")
        self.writer.close()

    def link(self, node, depth, *, classic, pre):
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

    def gallery(self, node):
        """A figure with several images (a gallery): one image block each, in order, with the
        caption of the figure around it; the gallery's own caption after them."""
        outer = self.figure
        for image in node.find_all("img"):
            own = image.find_parent("figure")
            captions = own.find_all("figcaption", recursive=False) if own is not node else []
            caption = _one_line(" ".join(_node_text(c) for c in captions))
            context = {"caption": caption or None, "attachment": None, "imported": False}
            self.figure = context
            self.image(image)
            if caption and not context["imported"]:
                self.writer.text(f" {caption} ")
        self.figure = outer
        caption = _one_line(
            " ".join(_node_text(c) for c in node.find_all("figcaption", recursive=False))
        )
        if caption:
            self.writer.open("p")
            self.writer.text(caption)
            self.writer.close()

    def image(self, node):
        figure, self.figure = self.figure or {}, None
        source = _image_source(node)
        url = _image_address(source)
        attachment = _attachment(node) or figure.get("attachment")
        alt = _clip(_one_line(node.get("alt") or ""), ALT_MAX)
        if not url and not attachment:
            if source:
                self.notes.add(f"Image with an unusable address removed: {_shorten(source)}")
            return
        ref = self.media.image(url or None, attachment_id=attachment)
        if ref is not None:
            key = self.writer.images.add(ref, alt, figure.get("caption"))
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

    def link_block(self, url, text):
        markup = f'<p><a href="{html.escape(url)}">{html.escape(_clip(text, 300))}</a></p>'
        self.writer.blocks([("paragraph", RichText(clean_rich_text(markup)))])


# --- Small helpers --------------------------------------------------------------------------


def _soup(markup):
    """The markup parsed by libxml2 (lxml), which takes linear time on any input: Python
    3.13.0's html.parser takes quadratic time on a long run of unclosed tags ("</</</...")."""
    return BeautifulSoup(markup.encode("utf-8", "replace").decode("utf-8"), "lxml")


def _int(value):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 10**12 else None


def _span(value):
    try:
        return max(1, min(int(value), 20))
    except (TypeError, ValueError):
        return 1


def _one_line(text):
    return " ".join((text or "").replace("\ue000", " ").replace("\ue001", " ").split())


def _clip(text, limit):
    """At most `limit` characters, cut at a word with "…" when too long."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


def _shorten(url):
    return _clip(url, 200)


def _dedent_lines(text):
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _has_text(markup):
    return bool(html.unescape(re.sub(r"<[^<>]*>", "", markup)).strip())


def _has_words(node):
    return any(str(t).strip() for t in node.find_all(string=True))


def _follows_break(node):
    previous = node.previous_sibling
    return isinstance(previous, Tag) and previous.name == "br"


def _host(url, keep_www=False):
    host = (urlparse(url).hostname or "").lower()
    return host if keep_www else host.removeprefix("www.").removeprefix("m.")


def _moved(url, site_url):
    """Where a link into the old blog points now: its posts and pages here (the same path, which
    the import's redirects answer), its uploaded files still at the old address."""
    url = (url or "").strip()
    old = urlparse(site_url)
    if not old.hostname or url.startswith("//"):
        return url
    if url.startswith("/"):
        url = f"{old.scheme or 'https'}://{old.netloc}{url}"
    parts = urlparse(url)
    if _host(url) != _host(site_url) or parts.path.startswith(OLD_FILES):
        return url
    return settings.BASE_URL + urlunparse(parts._replace(scheme="", netloc=""))


def _web_address(url, mailto=False):
    """`url` if it is an http(s) (or, if asked, mailto) address; "//host" read as https."""
    url = (url or "").strip().replace(" ", "%20")
    if url.startswith("//"):
        url = "https:" + url
    schemes = ("http://", "https://", "mailto:") if mailto else ("http://", "https://")
    if not url.lower().startswith(schemes) or any(c in url for c in " \n\t<>\"'"):
        return ""
    return url


def _image_source(node):
    source = (node.get("src") or "").strip()
    if not source or source.startswith("data:"):  # lazy loading puts the real one aside
        for name in ("data-src", "data-lazy-src", "data-orig-file"):
            if node.get(name):
                return node.get(name).strip()
    return source


def _image_address(source):
    """An address to fetch the image from: http(s), or a path on the old site."""
    if source.startswith("/") and not source.startswith("//"):
        return source if not any(c in source for c in "\n\t<>\"'") else ""
    return _web_address(source)


def _attachment(node):
    found = ATTACHMENT.search(" ".join(node.get("class") or []))
    return _int(found[1]) if found else _int(node.get("data-wp-attachment") or node.get("data-id"))


def _lone_url(paragraph):
    """The address in a paragraph that holds nothing but a video (or social media) address."""
    if any(isinstance(child, Tag) for child in paragraph.children):
        return ""
    text = paragraph.get_text().strip()
    if not BARE_URL.fullmatch(text):
        return ""
    return text if _playable(text) or _host(text) in OEMBED_HOSTS else ""


def _playable(url):
    """The canonical address of a YouTube or Vimeo video, or "" for any other address."""
    parsed = urlparse(url)
    host = _host(url)
    parts = [part for part in parsed.path.split("/") if part]
    if host in ("youtube.com", "youtube-nocookie.com"):
        if parts[:1] == ["watch"]:
            video = parse_qs(parsed.query).get("v", [""])[0]
        elif len(parts) >= 2 and parts[0] in ("embed", "shorts", "v", "live"):
            video = parts[1]
        else:
            video = ""
        canonical = f"https://www.youtube.com/watch?v={video}"
    elif host == "youtu.be":
        video = parts[0] if parts else ""
        canonical = f"https://www.youtube.com/watch?v={video}"
    elif host in ("vimeo.com", "player.vimeo.com"):
        video = parts[-1] if parts and parts[-1].isdigit() else ""
        canonical = f"https://vimeo.com/{video}"
    else:
        return ""
    return canonical if video and len(video) <= 64 and embed_src(canonical) else ""


def _for_page(blocks, notes):
    """Blocks a standard page can hold: embeds become links, tables and pull quotes text."""
    result = []
    for kind, value in blocks:
        if kind == "embed":
            url, title = html.escape(value["url"]), html.escape(value["title"])
            markup = f'<p><a href="{url}">{title}</a></p>'
            notes.add("Video kept as a link: pages do not show embeds")
        elif kind == "table":
            rows = (" | ".join(c for c in row if c) for row in value["data"])
            markup = "".join(f"<p>{html.escape(row)}</p>" for row in rows if row)
            notes.add("Table kept as text: pages do not show tables")
        elif kind == "pull_quote":
            lines = value["quote"].split("\n")
            if value["attribution"]:
                lines.append(f"— {value['attribution']}")
            markup = "<p>" + "<br/>".join(html.escape(line) for line in lines) + "</p>"
        else:
            result.append((kind, value))
            continue
        result.append(("paragraph", RichText(clean_rich_text(markup))))
    return result


# --- Plain text -----------------------------------------------------------------------------

PLAIN_SKIPPED = SILENT | set(REMOVED) | {"figcaption", "iframe", "video", "audio", "img"}
PARAGRAPH_TAGS = BLOCK_TAGS - {"li", "tr", "td", "th", "dt", "dd"}
LINE_TAGS = {"li", "tr", "dt", "dd"}


def plain_text(html_text):
    """The text of some WordPress HTML for a person to read: paragraphs apart by a blank
    line, links as "text (address)", images, captions, embeds and markup left out."""
    text = (html_text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        token
        for token in shortcodes.scan(text)
        if isinstance(token, str)  # known shortcodes are media: left out with what they hold
    )
    soup = _soup(text)
    return _tidy(_node_text(soup, links=True))


def _node_text(root, links=False):
    """The text of a node, walked without recursion so any depth will do."""
    pieces = []
    stack = [(iter(root.children), None, 0)]
    while stack:
        children, node, start = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if node is not None:
                _after(node, pieces, start, links)
            continue
        if isinstance(child, PreformattedString):
            continue
        if isinstance(child, NavigableString):
            pieces.append(str(child).replace("\ue000", "").replace("\ue001", ""))
        elif child.name not in PLAIN_SKIPPED:
            if child.name == "br":
                pieces.append("\n")
            elif child.name in PARAGRAPH_TAGS:
                pieces.append("\n\n")
            elif child.name in LINE_TAGS:
                pieces.append("\n")
            elif child.name in ("td", "th"):
                pieces.append(" ")
            stack.append((iter(child.children), child, len(pieces)))
    return "".join(pieces)


def _after(node, pieces, start, links):
    if node.name in PARAGRAPH_TAGS:
        pieces.append("\n\n")
    elif links and node.name == "a":
        href = _web_address(node.get("href"), mailto=True)
        text = "".join(pieces[start:]).strip()
        shown = href.removeprefix("mailto:")
        if href and _comparable(text) != _comparable(href):
            pieces.append(f" ({shown})" if text else shown)


def _comparable(url):
    url = url.lower().removeprefix("mailto:").removeprefix("https://").removeprefix("http://")
    return url.removeprefix("www.").rstrip("/")


def _tidy(text):
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def excerpt(html_text, words=55):
    """The first `words` words of the text, ending "…" when cut, at most 400 characters."""
    all_words = plain_text(html_text).split()
    text = " ".join(all_words[:words])
    if len(all_words) <= words and len(text) <= STANDFIRST_MAX:
        return text
    kept, length = [], -1
    for word in all_words[:words]:
        if length + 1 + len(word) > STANDFIRST_MAX - 1:  # room for the "…"
            break
        kept.append(word)
        length += 1 + len(word)
    if not kept:  # a single "word" longer than a standfirst: an address
        return all_words[0][: STANDFIRST_MAX - 1] + "…"
    return " ".join(kept).rstrip(" ,;:—–-") + "…"
