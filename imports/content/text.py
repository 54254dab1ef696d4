"""Plain text of WordPress HTML, and excerpts of it."""

import re

from bs4.element import NavigableString, PreformattedString

from imports import shortcodes
from imports.content.nodes import _soup, _web_address
from imports.content.rules import BARE_URL, BLOCK_TAGS, REMOVED, SILENT, SPACES, STANDFIRST_MAX

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


# What a standfirst never takes its words from: headings, captions, quotes, lists, tables, code.
NOT_PROSE = PLAIN_SKIPPED | {"h1", "h2", "h3", "h4", "h5", "h6", "caption", "blockquote"}
NOT_PROSE |= {"pre", "code", "ul", "ol", "dl", "table", "figure", "cite", "nav", "aside"}


def prose(html_text, *, first=False):
    """The prose of some WordPress HTML: its paragraphs' words, without headings, captions,
    images, shortcodes of any kind or bare web addresses. `first`: the first paragraph only."""
    text = (html_text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(token for token in shortcodes.scan(text) if isinstance(token, str))
    soup = _soup(text)
    for element in soup.find_all(NOT_PROSE):
        element.decompose()
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", _node_text(soup)):
        words = " ".join(BARE_URL.sub(" ", paragraph).split())
        if any(character.isalnum() for character in words):
            paragraphs.append(words)
            if first:
                break
    return " ".join(paragraphs)


def excerpt(html_text, words=55):
    """The first `words` words of the first paragraph, ending "…" when cut, at most 400
    characters: a standfirst from the post's own prose."""
    all_words = prose(html_text, first=True).split()
    if not all_words:
        return ""
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
