"""Small helpers on text, parsed HTML and web addresses."""

import html
import re
from urllib.parse import parse_qs, urlparse

from bs4 import BeautifulSoup
from bs4.element import Tag

from blog.blocks import embed_src
from imports.content.rules import ATTACHMENT, BARE_URL, OEMBED_HOSTS

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
    """A link into the old blog at its old absolute address (a relative one made absolute), for
    the importer to make a page link or a path on this site (imports.links); any other link,
    and the old blog's uploaded files, as they are."""
    url = (url or "").strip()
    old = urlparse(site_url)
    if old.hostname and url.startswith("/") and not url.startswith("//"):
        url = f"{old.scheme or 'https'}://{old.netloc}{url}"
    return url


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
