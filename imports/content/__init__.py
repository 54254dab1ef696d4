"""WordPress post content (block markup, classic HTML, shortcodes) as StreamField blocks.

WordPress markup is first rewritten as clean HTML segments, which the guest-post converter
(`submissions.post_body.html_to_blocks`) turns into headings, rich text, lists, tables and
images; between segments go the blocks it cannot make (click-to-load embeds, pull quotes).
Nothing of the export is copied as markup: every tag is written anew, text is escaped, links
keep only http(s) and mailto addresses. What needs a person's eye becomes a note.
"""

import html
from dataclasses import dataclass, field

from wagtail.rich_text import RichText

from imports.content.converter import _Converter
from imports.content.text import excerpt, plain_text
from submissions.post_body import clean_rich_text, html_to_blocks

__all__ = ["Converted", "convert", "excerpt", "plain_text"]


@dataclass
class Converted:
    blocks: list  # (type, value) pairs for PostPage.body or StandardPage.body
    notes: list = field(default_factory=list)  # sentences for the import report


def convert(html_text, *, media, kind="post", site_url="", reusable=None, post_id=None):
    """Blocks for a post (kind="post") or a standard page (kind="page") from WordPress content.

    `media.image(url, attachment_id=...)` gives an ImageRef for an image, or None when it
    cannot be had (the image is then kept as a link, and noted). `site_url` is the WordPress
    blog's address: links to its posts and pages, absolute or relative, are pointed at this
    site (where the import's redirects lead them on to the new page); links to its uploaded
    files stay at the old address. `reusable` maps the ids of WordPress's reusable blocks
    ("wp_block" items of the export) to their content, put where a post uses them.
    `post_id` is the post's WordPress id: a [gallery] without ids shows the images attached
    to it (`media.attached_images(post_id)`).
    """
    if kind not in ("post", "page"):
        raise ValueError(f"kind must be 'post' or 'page', not {kind!r}")
    converter = _Converter(media, site_url, reusable, post_id)
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
