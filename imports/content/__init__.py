"""WordPress post content (block markup, classic HTML, shortcodes) as StreamField blocks.

WordPress markup is first rewritten as clean HTML segments, which the guest-post converter
(`submissions.post_body.html_to_blocks`) turns into headings, rich text, lists, tables and
images, quotes, code and the like; between segments go the blocks it cannot make (click-to-load
embeds, pull quotes). Footnotes become a notes block at the end, their markers links to it.
Nothing of the export is copied as markup: every tag is written anew, text is escaped, links
keep only http(s) and mailto addresses. What needs a person's eye becomes a note.
"""

import html
from dataclasses import dataclass, field

from wagtail.rich_text import RichText

from blog.body import clean_rich_text, html_to_blocks, rich_text
from imports.content.converter import _Converter
from imports.content.rules import NOTE_HREF
from imports.content.text import excerpt, plain_text

__all__ = ["Converted", "convert", "excerpt", "plain_text"]


@dataclass
class Converted:
    blocks: list  # (type, value) pairs for PostPage.body or StandardPage.body
    notes: list = field(default_factory=list)  # sentences for the import report


def convert(
    html_text, *, media, kind="post", site_url="", reusable=None, footnotes=None, post_id=None
):
    """Blocks for a post (kind="post") or a standard page (kind="page") from WordPress content.

    `media.image(url, attachment_id=...)` gives an ImageRef for an image, or None when it
    cannot be had (the image is then kept as a link, and noted). `site_url` is the WordPress
    blog's address: links into it, absolute or relative, are kept at their old absolute
    address, which the importer makes page links or paths on this site (imports.links).
    `reusable` maps the ids of WordPress's reusable blocks ("wp_block" items of the export) to
    their content, put where a post uses them.
    `footnotes` is the post's "footnotes" meta (JSON), where WordPress 6.3+ keeps its notes.
    `post_id` is the post's WordPress id: a [gallery] without ids shows the images attached
    to it (`media.attached_images(post_id)`).
    """
    if kind not in ("post", "page"):
        raise ValueError(f"kind must be 'post' or 'page', not {kind!r}")
    converter = _Converter(media, site_url, reusable, post_id)
    converter.run(html_text or "")
    if footnotes:
        converter.meta_footnotes(footnotes)
    elif converter.footnotes_block:
        converter.notes.add("Footnotes left out: their text was not in the export")
    numbers, notes = converter.note_links()
    result = []
    for segment in converter.writer.finish():
        if segment[0] == "html":
            markup = NOTE_HREF.sub(
                lambda found: f'href="#note-{numbers[found[1]]}"' if found[1] in numbers else "",
                segment[1],
            )
            result.extend(html_to_blocks(markup, segment[2]))
        else:
            result.extend(segment[1])
    if notes:
        result.append(("notes", {"title": "Notes", "notes": notes}))
    if kind == "page":
        result = _for_page(result, converter.notes)
    return Converted(result, converter.notes.lines())


def _for_page(blocks, notes):
    """Blocks a standard page can hold: embeds become links, tables text, pull quotes quotes."""
    result = []
    for kind, value in blocks:
        if kind == "embed":
            url, title = html.escape(value["url"]), html.escape(value["title"])
            markup = f'<p><a href="{url}">{title}</a></p>'
            notes.add("Video kept as a link: pages do not show embeds")
        elif kind == "table":
            rows = [" | ".join(c for c in row if c) for row in value["data"]]
            rows.insert(0, value.get("table_caption") or "")
            markup = "".join(f"<p>{html.escape(row)}</p>" for row in rows if row)
            notes.add("Table kept as text: pages do not show tables")
        elif kind == "pull_quote":
            lines = (html.escape(line) for line in value["quote"].split("\n"))
            quote = rich_text("<p>" + "<br/>".join(lines) + "</p>")
            result.append(("quote", {"quote": quote, "citation": value["attribution"]}))
            continue
        else:
            result.append((kind, value))
            continue
        result.append(("paragraph", RichText(clean_rich_text(markup))))
    return result
