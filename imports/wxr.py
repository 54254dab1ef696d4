"""Read a WordPress export (WXR 1.0/1.1/1.2) as a stream of `imports.records`.

`parse(source)` yields a `Channel`, then `Author`s, `Term`s and `Item`s in document order.
It drives expat directly rather than building a tree: each record is built from the
element events and handed on as soon as its closing tag is read, so a 500 MB export
costs no more memory than its largest single item. Using expat's handlers (not
ElementTree) also lets us refuse a DTD the moment it starts, before any entity in it
can be expanded or fetched.
"""

import os
import re
import stat
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from xml.parsers import expat

from imports.records import Author, Channel, Comment, Item, ItemTerm, Term, WXRError

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
CHUNK_SIZE = 256 * 1024

_NS_SEPARATOR = "\x1f"
_WP_NS = re.compile(r"^https?://wordpress\.org/export/[^/]+/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/[^/]+/excerpt/$")
_KNOWN_NS = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# C0 control characters other than tab, newline and carriage return are not allowed in
# XML 1.0, yet WordPress exports them verbatim when a post was pasted from a word
# processor. Deleting them is the only way to read such a file; in UTF-8 and the 8-bit
# encodings these byte values only ever stand for those characters.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")

_CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "language": "language",
    "wp:wxr_version": "wxr_version",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}
_TERM_FIELDS = {
    "wp:category": {
        "wp:term_id": "id",
        "wp:category_nicename": "slug",
        "wp:cat_name": "name",
        "wp:category_parent": "parent_slug",
        "wp:category_description": "description",
    },
    "wp:tag": {
        "wp:term_id": "id",
        "wp:tag_slug": "slug",
        "wp:tag_name": "name",
        "wp:tag_description": "description",
    },
    "wp:term": {
        "wp:term_id": "id",
        "wp:term_taxonomy": "taxonomy",
        "wp:term_slug": "slug",
        "wp:term_name": "name",
        "wp:term_parent": "parent_slug",
        "wp:term_description": "description",
    },
}
_TERM_TAXONOMY = {"wp:category": "category", "wp:tag": "post_tag"}
_CHANNEL_RECORDS = ("wp:author", "item", *_TERM_FIELDS)
_HINTS = {
    expat.errors.XML_ERROR_UNDEFINED_ENTITY: " (HTML entities such as &nbsp; may only appear"
    " inside CDATA sections)",
    expat.errors.XML_ERROR_INVALID_TOKEN: " (often a bare & or < outside a CDATA section)",
    expat.errors.XML_ERROR_UNBOUND_PREFIX: " (a prefix such as wp: is used but never declared)",
}
# WXR 1.0 wrote tags as domain="tag"; later versions use the taxonomy's name.
_DOMAIN_TAXONOMY = {"tag": "post_tag"}


def parse(source, on_progress=None, *, comments=True):
    """Yield the records of the export at `source` (a path, or a file object opened "rb").
    With `comments=False` items come without their comments, which are not even read (a
    reader that needs only the items gets them in about a third less time).

    `on_progress(bytes_read, total_bytes)` is called at most once per item, and once more
    at the end; `total_bytes` is None when the size cannot be known (a pipe).
    Raises WXRError, with a message for a person, when the file cannot be read as a
    WordPress export; records already yielded before the error stay valid.
    """
    if isinstance(source, (str, os.PathLike)):
        with Path(source).open("rb") as stream:
            yield from _parse_stream(stream, on_progress, comments)
    else:
        yield from _parse_stream(source, on_progress, comments)


def _parse_stream(stream, on_progress, comments=True):
    total = _size_of(stream)
    reader = _Reader(comments)
    parser = reader.parser
    first = stream.read(CHUNK_SIZE)
    if isinstance(first, str):
        raise TypeError("parse() needs a file opened in binary mode ('rb')")
    _refuse_obvious_non_xml(first)
    strip_controls = not _is_wide_encoding(first)
    chunk = first
    while True:
        final = not chunk
        if strip_controls:
            chunk = chunk.translate(None, _CONTROL_BYTES)
        reader.bytes_fed += len(chunk)
        failure = None
        try:
            parser.Parse(chunk, final)
        except expat.ExpatError as error:
            failure = reader.explain(error, final)
        except WXRError as error:
            failure = error
        # Records completed before a failure are handed on first, wherever the chunk ended.
        while reader.ready:
            record, offset = reader.ready.popleft()
            yield record
            if on_progress and offset is not None:
                on_progress(offset, total)
        if failure:
            raise failure from None
        if final:
            break
        chunk = stream.read(CHUNK_SIZE)
    if on_progress:
        on_progress(total if total is not None else reader.bytes_fed, total)


def _size_of(stream):
    """Bytes in the file from where we start reading, or None for a pipe or socket."""
    try:
        status = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):
        status = None
    if status is not None and not stat.S_ISREG(status.st_mode):
        return None
    try:
        if not stream.seekable():
            return None
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
    except (AttributeError, OSError, ValueError):
        return None
    return end - here


def _refuse_obvious_non_xml(head):
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise WXRError("The file is empty.")
    if head.startswith(b"\x1f\x8b") or head.startswith(b"PK\x03\x04"):
        raise WXRError(
            "The file is compressed (gzip or zip): unpack it first and import the .xml inside."
        )


def _is_wide_encoding(head):
    """True for UTF-16/32, where a control byte can be half of an ordinary character."""
    return head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]


class _Reader:
    """expat's handlers: turns element events into records queued on `ready`."""

    def __init__(self, comments=True):
        self.parser = expat.ParserCreate(namespace_separator=_NS_SEPARATOR)
        self.parser.buffer_text = True
        self.parser.buffer_size = CHUNK_SIZE
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_entity
        self.parser.ExternalEntityRefHandler = self._refuse_entity
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.ready = deque()  # (record, byte offset of an item's end or None)
        self.bytes_fed = 0
        self._names = {}
        self._stack = []  # (name, [text pieces]) for each open element
        self._channel = {}
        self._channel_sent = False
        self._record = None  # fields of the open author, term or item
        self._record_kind = None
        self._record_line = 0
        self._category = {}
        self._comment = None
        self._comments = comments
        self._skipped_from = None  # the depth of a comment being passed over unread
        self._meta = None
        self._version_seen = False
        self._started = False

    # expat handlers ---------------------------------------------------------------------

    def _refuse_doctype(self, name, *_):
        if (name or "").lower() == "html":
            raise WXRError("This is an HTML page, not a WordPress export.")
        raise WXRError(
            f"The file declares a document type (<!DOCTYPE {name[:40]}>). WordPress exports "
            "never do, and a DTD can hide entity bombs or fetch other files, so it is refused."
        )

    def _refuse_entity(self, *_):
        raise WXRError("The file declares or references XML entities; this is refused for safety.")

    def _start(self, raw_name, attributes):
        name = self._short(raw_name)
        depth = len(self._stack)
        parent = self._stack[-1][0] if self._stack else None
        if depth == 3 and parent == "item" and name == "wp:comment" and not self._comments:
            self._skipped_from = depth
        # rss and channel hold only whitespace, a piece per item: not worth keeping.
        keep = depth >= 2 and self._skipped_from is None
        self._stack.append((name, [] if keep else None))
        self._started = True
        if depth == 0 and name != "rss":
            raise WXRError(
                f"This is not a WordPress export: the document is <{name[:40]}>, not <rss>."
            )
        if depth == 2 and parent == "channel" and name in _CHANNEL_RECORDS:
            self._send_channel()
            self._record = {"terms": [], "meta": {}, "comments": []} if name == "item" else {}
            self._record_kind = name
            self._record_line = self.parser.CurrentLineNumber
        elif depth == 3 and parent == "item":
            if name == "wp:comment" and self._comments:
                self._comment = {}
            elif name == "wp:postmeta":
                self._meta = {}
            elif name == "category":
                self._category = attributes

    def _text(self, data):
        pieces = self._stack[-1][1] if self._stack else None
        if pieces is not None:
            pieces.append(data)

    def _end(self, _raw_name):
        name, pieces = self._stack.pop()
        depth = len(self._stack)
        if self._skipped_from is not None:  # in a comment passed over, or its end
            if depth == self._skipped_from:
                self._skipped_from = None
            return
        text = "".join(pieces or ())
        parent = self._stack[-1][0] if self._stack else None
        if depth == 1 and name == "channel":
            self._send_channel()
        elif depth == 2 and parent == "channel":
            self._end_channel_child(name, text)
        elif depth == 3 and parent in _CHANNEL_RECORDS and self._record is not None:
            self._end_record_child(parent, name, text)
        elif depth == 4 and parent == "wp:comment" and self._comment is not None:
            self._comment[name] = text
        elif depth == 4 and parent == "wp:postmeta" and self._meta is not None:
            self._meta[name] = text

    # building records ------------------------------------------------------------------

    def _end_channel_child(self, name, text):
        if name in _CHANNEL_RECORDS:
            offset = self.parser.CurrentByteIndex if name == "item" else None
            self.ready.append((self._build(name, self._record), offset))
            self._record = None
        elif name in _CHANNEL_FIELDS and not self._channel_sent:
            self._channel[_CHANNEL_FIELDS[name]] = text.strip()
            if name == "wp:wxr_version":
                self._check_version(text.strip())

    def _end_record_child(self, record, name, text):
        if record != "item":
            self._record[name] = text
        elif name == "wp:comment":
            self._record["comments"].append(_comment(self._comment, self._record_line))
            self._comment = None
        elif name == "wp:postmeta":
            key = self._meta.get("wp:meta_key")
            if key is not None:
                self._record["meta"].setdefault(key, []).append(self._meta.get("wp:meta_value", ""))
            self._meta = None
        elif name == "category":
            term = _item_term(self._category, text)
            if term is not None:
                self._record["terms"].append(term)
        else:
            self._record[name] = text

    def _build(self, name, fields):
        if name == "item":
            return _item(fields, self._record_line)
        if name == "wp:author":
            return _author(fields)
        return _term(name, fields)

    def _check_version(self, version):
        self._version_seen = True
        if version not in SUPPORTED_VERSIONS:
            raise WXRError(
                f"This export says it is WXR version {version[:20]!r}; "
                f"this importer reads versions {', '.join(SUPPORTED_VERSIONS)}."
            )

    def _send_channel(self):
        if self._channel_sent:
            return
        if not self._version_seen:
            raise WXRError(
                "This is an RSS feed, not a WordPress export (it has no wp:wxr_version). "
                "Export the site from WordPress under Tools > Export."
            )
        self._channel_sent = True
        get = self._channel.get
        channel = Channel(**{field: get(field, "") for field in _CHANNEL_FIELDS.values()})
        self.ready.append((channel, None))

    def _short(self, raw_name):
        """'wp:post_id' for '{http://wordpress.org/export/1.2/}post_id', cached per name."""
        name = self._names.get(raw_name)
        if name is None:
            uri, _, local = raw_name.rpartition(_NS_SEPARATOR)
            if not uri:
                name = local
            elif _WP_NS.match(uri):
                name = f"wp:{local}"
            elif _EXCERPT_NS.match(uri):
                name = f"excerpt:{local}"
            elif uri in _KNOWN_NS:
                name = f"{_KNOWN_NS[uri]}:{local}"
            else:
                name = f"{{{uri}}}{local}"
            if len(self._names) < 1000:  # a hostile file may invent endless names
                self._names[raw_name] = name
        return name

    # errors ----------------------------------------------------------------------------

    def explain(self, error, final):
        """A WXRError for a person from expat's error, saying where and, if we can, why."""
        line, column = error.lineno, error.offset + 1
        reason = expat.errors.messages[error.code]
        if final and self._stack:
            return WXRError(self._truncated())
        if not self._started:
            return WXRError(
                f"This file is not XML ({reason} at line {line}, column {column}). "
                "A WordPress export is the .xml file from Tools > Export."
            )
        hint = _HINTS.get(expat.errors.messages[error.code], "")
        return WXRError(
            f"The file is not valid XML at line {line}, column {column}: {reason}{hint}. "
            "The export may have been damaged or edited by hand; export it again."
        )

    def _truncated(self):
        if self._record is not None and self._record_kind == "item":
            post_id = (self._record.get("wp:post_id") or "").strip()
            which = f"post {post_id}" if post_id else "an item"
            return (
                f"The file ends in the middle of {which} (the item starting at line "
                f"{self._record_line}): it was cut short. Export it from WordPress again."
            )
        return "The file ends before the export does: it was cut short. Export it again."


# Record builders: WordPress's text in, typed records out. ---------------------------------


def _item(fields, line):
    get = fields.get
    post_id = _int(get("wp:post_id"))
    if post_id is None:
        raise WXRError(f"The item starting at line {line} has no wp:post_id.")
    return Item(
        id=post_id,
        post_type=_word(get("wp:post_type")) or "post",
        title=(get("title") or "").strip(),
        link=_word(get("link")),
        guid=_word(get("guid")),
        creator=_word(get("dc:creator")),
        content=get("content:encoded") or "",
        excerpt=get("excerpt:encoded") or "",
        date=_date(get("wp:post_date_gmt")) or _date(get("wp:post_date")),
        modified=_date(get("wp:post_modified_gmt")) or _date(get("wp:post_modified")),
        slug=_word(get("wp:post_name")),
        status=_word(get("wp:status")),
        password=get("wp:post_password") or "",
        parent_id=_int(get("wp:post_parent")) or None,
        menu_order=_int(get("wp:menu_order")) or 0,
        is_sticky=_word(get("wp:is_sticky")) == "1",
        comment_status=_word(get("wp:comment_status")),
        attachment_url=_word(get("wp:attachment_url")),
        terms=fields["terms"],
        meta=fields["meta"],
        comments=fields["comments"],
    )


def _comment(fields, line):
    get = fields.get
    comment_id = _int(get("wp:comment_id"))
    if comment_id is None:
        raise WXRError(f"A comment in the item starting at line {line} has no wp:comment_id.")
    return Comment(
        id=comment_id,
        parent_id=_int(get("wp:comment_parent")) or None,
        author=(get("wp:comment_author") or "").strip(),
        author_email=_word(get("wp:comment_author_email")),
        author_url=_word(get("wp:comment_author_url")),
        date=_date(get("wp:comment_date_gmt")) or _date(get("wp:comment_date")),
        content=get("wp:comment_content") or "",
        approved=_word(get("wp:comment_approved")),
        type=_word(get("wp:comment_type")) or "comment",
        user_id=_int(get("wp:comment_user_id")) or None,
    )


def _author(fields):
    get = fields.get
    return Author(
        id=_int(get("wp:author_id")),
        login=_word(get("wp:author_login")),
        email=_word(get("wp:author_email")),
        display_name=(get("wp:author_display_name") or "").strip(),
        first_name=(get("wp:author_first_name") or "").strip(),
        last_name=(get("wp:author_last_name") or "").strip(),
    )


def _term(element, fields):
    values = {field: fields.get(tag) or "" for tag, field in _TERM_FIELDS[element].items()}
    return Term(
        taxonomy=_word(values.get("taxonomy")) or _TERM_TAXONOMY.get(element, ""),
        id=_int(values["id"]),
        slug=_word(values["slug"]),
        name=values["name"].strip(),
        parent_slug=_word(values.get("parent_slug")),
        description=values.get("description", ""),
    )


def _item_term(attributes, text):
    """An item's <category domain nicename>; None for WXR 1.0's bare duplicate <category>."""
    domain = (attributes.get("domain") or "").strip()
    if not domain:
        return None
    return ItemTerm(
        taxonomy=_DOMAIN_TAXONOMY.get(domain, domain),
        slug=(attributes.get("nicename") or "").strip(),
        name=text.strip(),
    )


def _word(text):
    return (text or "").strip()


def _int(text):
    """An integer from WordPress's text, None when blank or not a number."""
    text = (text or "").strip()
    if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
        return int(text)
    return None


def _date(text):
    """A UTC datetime from 'YYYY-MM-DD HH:MM:SS'; None for WordPress's zeros or nonsense."""
    match = _DATE.match((text or "").strip())
    if not match:
        return None
    parts = [int(part) if part else 0 for part in match.groups()]
    try:
        return datetime(*parts, tzinfo=UTC)
    except ValueError:
        return None
