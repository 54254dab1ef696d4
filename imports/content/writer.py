"""Report notes, images, and the clean HTML being written."""

import html

from imports.content.nodes import _one_line
from imports.content.rules import BLOCK_TAGS, CAPTION_MAX
from imports.content.text import plain_text

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

    def add(self, ref, alt, caption, layout=("full", "none")):
        key = f"wp{len(self.rows)}"
        self.rows[key] = (ref, alt, caption, layout)
        return key

    def block(self, key, alt=""):  # `alt` is the <img>'s, which we never write: see rows
        if key not in self.rows:
            return None
        self.used.add(key)
        ref, alt, caption, (size, align) = self.rows[key]
        if caption is None:
            caption = _one_line(plain_text(ref.caption or ""))
            caption = caption if len(caption) <= CAPTION_MAX else ""
        return {
            "image": ref.image,
            "alt": alt,
            "decorative": not alt,
            "caption": caption,
            "credit": "",
            "size": size,
            "align": align,
        }

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
