"""Pass 1: what the rest of the import refers to, read without keeping the file in memory."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from imports import wxr
from imports.media import Attachment
from imports.records import Author, Channel, Item, Term, WXRError

from .pages import flat_text


@dataclass(slots=True)
class IndexEntry:
    """What pass 1 keeps of every item: enough for redirects and the page tree."""

    post_type: str
    link: str
    status: str
    parent_id: int | None


@dataclass
class Index:
    channel: Channel
    authors: list
    terms: list
    attachments: dict
    items: dict
    reusable: dict  # wp_block id -> its content, for the posts that use it


def file_name(path_or_file):
    if isinstance(path_or_file, (str, Path)):
        return Path(path_or_file).name
    return Path(getattr(path_or_file, "name", "") or "export.xml").name


def _records(path_or_file, progress, pass_number):
    if not isinstance(path_or_file, (str, Path)):
        if not path_or_file.seekable():
            raise WXRError("The export must be a file that can be read twice, not a stream.")
        path_or_file.seek(0)
    on_progress = None
    if progress is not None:

        def on_progress(done, total):
            progress(pass_number, done, total)

    # Pass 1 needs no comment: they are read with their items in pass 2.
    return wxr.parse(path_or_file, on_progress=on_progress, comments=pass_number != 1)


def read_index(path_or_file, progress=None):
    """Pass 1: the blog, its authors and terms, attachments, and an index of every item."""
    channel, authors, terms, attachments, items, reusable = None, [], [], {}, {}, {}
    for record in _records(path_or_file, progress, 1):
        if isinstance(record, Channel):
            channel = record
        elif isinstance(record, Author):
            authors.append(record)
        elif isinstance(record, Term):
            terms.append(record)
        elif isinstance(record, Item):
            items[record.id] = IndexEntry(
                record.post_type, record.link, record.status, record.parent_id
            )
            if record.post_type == "wp_block" and record.status != "trash":
                reusable[record.id] = record.content
            if record.post_type == "attachment":
                attachments[record.id] = Attachment(
                    id=record.id,
                    url=record.attachment_url,
                    title=flat_text(record.title),
                    alt=flat_text(" ".join(record.meta.get("_wp_attachment_image_alt", []))),
                    caption=flat_text(record.excerpt),
                    parent_id=record.parent_id,
                    link=record.link,
                    menu_order=record.menu_order,
                )
    if channel is None:
        raise WXRError("The file has no <channel>: it is not a WordPress export.")
    return Index(channel, authors, terms, attachments, items, reusable)


def items_of(path_or_file, progress):
    for record in _records(path_or_file, progress, 2):
        if isinstance(record, Item):
            yield record


def normalise_source(url):
    """The blog's address without scheme, `www.` or trailing slash: one key per blog."""
    parts = urlsplit(url.strip() if "//" in url else f"//{url.strip()}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path.rstrip('/')}"[:255]
