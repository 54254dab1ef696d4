"""What a WordPress export (WXR 1.1/1.2) says, as plain records.

`imports.wxr.parse` yields these in document order; the importer turns them into pages,
topics, contributors, comments and redirects. Nothing here touches the database.
Text fields are exactly as in the file (HTML left as it is, entities decoded by the XML
parser); dates are timezone-aware UTC datetimes, or None where WordPress wrote zeros.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Channel:
    """The blog itself: the <channel> head, before any author, term or item."""

    title: str
    link: str  # the blog's home address, e.g. "https://old.example.org"
    description: str
    language: str
    wxr_version: str  # "1.1" or "1.2"
    base_site_url: str
    base_blog_url: str


@dataclass
class Author:
    """<wp:author>: someone who wrote posts; items name them by login (dc:creator)."""

    id: int | None
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass
class Term:
    """<wp:category>, <wp:tag> or <wp:term>: a category, a tag or another taxonomy's term."""

    taxonomy: str  # "category", "post_tag", or another taxonomy ("nav_menu", ...)
    id: int | None
    slug: str  # as in the file: may be percent-encoded for non-ASCII slugs
    name: str
    parent_slug: str  # "" for a top-level term
    description: str


@dataclass
class Comment:
    """<wp:comment> inside an item."""

    id: int
    parent_id: int | None  # None for a top-level comment (WordPress writes 0)
    author: str
    author_email: str
    author_url: str
    date: datetime | None  # from wp:comment_date_gmt, else wp:comment_date read as UTC
    content: str
    approved: str  # "1" approved, "0" pending, "spam", "trash", "post-trashed"
    type: str  # "comment" ("" in the file), "pingback", "trackback", or a plugin's own type
    user_id: int | None  # a WordPress user (staff) wrote it; None for a reader
    # author_IP is read and thrown away: IP addresses are never kept.


@dataclass
class ItemTerm:
    """A <category domain="..." nicename="..."> of an item."""

    taxonomy: str  # "category", "post_tag", ...
    slug: str
    name: str


@dataclass
class Item:
    """<item>: a post, page, attachment, menu item or any other post type."""

    id: int
    post_type: str  # "post", "page", "attachment", "nav_menu_item", "wp_block", ...
    title: str
    link: str  # the public permalink WordPress gave it
    guid: str
    creator: str  # the author's login (dc:creator)
    content: str  # content:encoded, WordPress HTML and block markup
    excerpt: str  # excerpt:encoded; for an attachment, its caption
    date: datetime | None  # publication date (wp:post_date_gmt, else wp:post_date as UTC)
    modified: datetime | None  # wp:post_modified_gmt where present
    slug: str  # wp:post_name, may be percent-encoded; "" for drafts never saved with one
    status: str  # "publish", "future", "draft", "pending", "private", "trash", "inherit", ...
    password: str  # wp:post_password; "" when not protected
    parent_id: int | None  # wp:post_parent; None for 0
    menu_order: int
    is_sticky: bool
    comment_status: str  # "open" or "closed"
    attachment_url: str  # wp:attachment_url, for attachments
    terms: list[ItemTerm] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)  # wp:postmeta key -> values
    comments: list[Comment] = field(default_factory=list)

    @property
    def thumbnail_id(self):
        """The featured image's attachment id (postmeta _thumbnail_id), or None."""
        for value in self.meta.get("_thumbnail_id", []):
            if value.strip().isdigit():
                return int(value)
        return None


@dataclass
class ImageRef:
    """An image the importer has in Wagtail for a WordPress URL or attachment id."""

    image: object  # a wagtail.images Image, saved
    alt: str  # the attachment's alt text (_wp_attachment_image_alt), may be ""
    caption: str  # the attachment's caption (its excerpt), may be ""


class WXRError(Exception):
    """The file is not a WordPress export we can read; the message says why, for a person."""
