"""One WordPress post or page becoming a PostPage or StandardPage, or updating one."""

import hashlib
import html
import json
import re
from urllib.parse import unquote

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from blog.blocks import PLACEHOLDER_ALT
from blog.models import PostContributor, PostPage, StandardPage
from blog.services import unique_slug
from imports.records import Author

from .bulk import PendingPost

SKIPPED_STATUSES = {
    "trash": "in the WordPress trash",
    "auto-draft": "an auto-draft WordPress made, never written",
    "inherit": "a revision of another post",
}
HAND_STATUSES = {
    "private": "private in WordPress: kept as a draft, never published",
}
PASSWORD_REASON = (
    "password-protected in WordPress: we do not support per-post passwords; "
    "publish it or keep it a draft"
)
UNCATEGORIZED = "uncategorized"
NO_CONTENT_BODY = "<p>This post had no content in WordPress.</p>"
STANDFIRST_MAX = 400
TITLE_MAX = 255
NO_TITLE = "(no title)"
SLUG_MAX = 80


def flat_text(text):
    """Plain text from WordPress HTML: tags gone, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(text or "")).split())


def _digest(item):
    fields = {
        "title": item.title,
        "content": item.content,
        "excerpt": item.excerpt,
        "date": item.date.isoformat() if item.date else None,
        "slug": item.slug,
        "status": item.status,
        "password": bool(item.password),
        "parent": item.parent_id,
        "order": item.menu_order,
        "sticky": item.is_sticky,
        "comment_status": item.comment_status,
        "creator": item.creator,
        "thumbnail": item.thumbnail_id,
        "terms": sorted((term.taxonomy, term.slug, term.name) for term in item.terms),
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def page_slug(item, title):
    """From wp:post_name (percent-decoded; unicode is fine), else the title, else the id."""
    for text in (unquote(item.slug or ""), title):
        slug = slugify(text, allow_unicode=True)[:SLUG_MAX].strip("-")
        if slug:
            return slug
    return f"{item.post_type}-{item.id}"


class PageImport:
    """One post or page: created, updated, or left alone, with what the report must say."""

    def __init__(self, importer, item):
        self.importer = importer
        self.report = importer.report
        self.item = item
        self.kind = item.post_type
        self.model = PostPage if self.kind == "post" else StandardPage
        self.title, self.title_note = self._title()
        self.tag_names = []

    def run(self):
        item = self.item
        digest = _digest(item)
        row = self.importer.ledger_row(self.kind, item.id)
        if row is None:
            page = self.create(digest)
            self.report.count(self.kind, "created")
            return page
        page = self.model.objects.filter(pk=row.object_id).first()
        if page is None:
            self.report.skip(
                self.kind, item.id, "deleted here since the last import; not re-created"
            )
            return None
        if row.digest == digest:
            self.report.count(self.kind, "unchanged")
            self._status_hands(page)
            return page
        if page.revisions.filter(user__isnull=False, created_at__gt=row.updated_at).exists():
            self.report.count(self.kind, "unchanged")
            self.report.hand(
                self.kind,
                item.id,
                self.title,
                "changed in WordPress, but edited here since the last import; not overwritten",
                page,
            )
            return page
        page = self.update(page)
        row.digest = digest
        row.save(update_fields=["digest", "updated_at"])
        self.report.count(self.kind, "updated")
        return page

    # What WordPress says --------------------------------------------------------------------

    def _title(self):
        title = flat_text(self.item.title)[:TITLE_MAX]
        if title:
            return title, None
        from imports.content import plain_text

        words = plain_text(self.item.content).split()
        if words:
            title = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
            return title[:TITLE_MAX], "had no title in WordPress; titled from its first words"
        return NO_TITLE, "had no title in WordPress"

    def target(self, has_body):
        """'live', 'scheduled' or 'draft', and why a person should look at it (or None)."""
        item = self.item
        if not has_body:
            return "draft", "no content in WordPress: kept as a draft, never published"
        if item.password:
            return "draft", PASSWORD_REASON
        if item.status in HAND_STATUSES:
            return "draft", HAND_STATUSES[item.status]
        if item.status == "publish":
            return "live", None
        if item.status == "future":
            if item.date and item.date > timezone.now():
                return "scheduled", None
            return "draft", "scheduled in WordPress for a date now past: publish it by hand"
        return "draft", None

    def _status_hands(self, page):
        """On an unchanged rerun, private and password-protected drafts still need a hand."""
        if self.item.password:
            self.report.hand(self.kind, self.item.id, self.title, PASSWORD_REASON, page)
        elif self.item.status in HAND_STATUSES:
            self.report.hand(
                self.kind, self.item.id, self.title, HAND_STATUSES[self.item.status], page
            )

    def fields(self):
        """The page's fields from the item, and the notes for the report."""
        from imports.content import convert, excerpt, plain_text

        item = self.item
        converted = convert(
            item.content,
            media=self.importer.media,
            kind=self.kind,
            site_url=self.importer.site_url,
            reusable=self.importer.index.reusable,
        )
        notes = list(converted.notes)
        if self.title_note:
            notes.append(self.title_note)
        body = list(converted.blocks)
        fields = {"title": self.title, "draft_title": self.title}
        summary = flat_text(plain_text(item.excerpt)) if item.excerpt.strip() else ""
        if self.kind == "post":
            standfirst = summary or excerpt(item.content) or self.title
            fields.update(
                standfirst=_shorten(standfirst, STANDFIRST_MAX),
                featured=item.is_sticky,
                comments_closed=item.comment_status == "closed",
                send_alert=item.status == "future",
                body=body or [("paragraph", NO_CONTENT_BODY)],
            )
            fields.update(self._hero(notes))
        else:
            fields.update(intro=_shorten(summary, 500), body=body)
        self._file_links()
        return fields, bool(body), notes

    def _hero(self, notes):
        thumbnail_id = self.item.thumbnail_id
        if thumbnail_id is None:
            return {"hero_image": None, "hero_alt": "", "hero_caption": ""}
        ref = self.importer.media.image(attachment_id=thumbnail_id)
        if ref is None:
            notes.append("its featured image could not be imported")
            return {"hero_image": None, "hero_alt": "", "hero_caption": ""}
        alt = ref.alt or ref.caption
        if not alt:
            alt = PLACEHOLDER_ALT
            notes.append("its featured image has no alt text in WordPress: describe it")
        return {"hero_image": ref.image, "hero_alt": alt[:250], "hero_caption": ref.caption[:300]}

    def _file_links(self):
        """Files (PDF...) linked from the content stay at their old address: list them."""
        links = self.importer.report.file_links
        for url in re.findall(r"""href=["']([^"']+)["']""", self.item.content):
            if url in self.importer.non_image_urls and url not in links:
                links.append(url)

    # Creating and updating ------------------------------------------------------------------

    def create(self, digest=""):
        """The new page; a new post that goes live or stays a draft waits for its batch
        (imports.importer.bulk) and has no primary key until the batch is written."""
        item = self.item
        fields, has_body, notes = self.fields()
        target, reason = self.target(has_body)
        parent, waiting_for = self._parent()
        page = self.model(slug=self._free_slug(parent), live=False, **fields)
        if self.kind == "post":
            self._relations(page)
        page.first_published_at = item.date if target == "live" else None
        if (
            self.importer.bulk
            and self.kind == "post"
            and parent is self.importer.blog_index
            and target != "scheduled"
        ):
            date = item.date or timezone.now()
            published = (page.first_published_at or date, max(item.modified or date, date))
            self.importer.batch.add(
                PendingPost(
                    self, page, target == "live", published, self.tag_names, reason, notes, digest
                )
            )
            return page
        self.importer.batch.flush()  # the posts before it take their places in the tree first
        if self.kind == "post":
            page.tags.set(self.tag_names)
        parent.add_child(instance=page)
        self.importer.remember(self.kind, item.id, page.pk, digest)
        if waiting_for is not None:
            self.importer.orphans.append((page.pk, waiting_for))
        self._save(page, target)
        self._hands(page, reason, notes)
        return page

    def update(self, page):
        item = self.item
        was_live = page.live
        page = page.get_latest_revision_as_object()
        fields, has_body, notes = self.fields()
        target, reason = self.target(has_body)
        for name, value in fields.items():
            setattr(page, name, value)
        if self.kind == "post":
            self._relations(page)
            page.tags.set(self.tag_names)
        if page.first_published_at is None and target == "live":
            page.first_published_at = item.date
        self._save(page, target)
        if was_live and target != "live":
            page.refresh_from_db()
            page.unpublish()
            notes.append(f"no longer published in WordPress ({item.status}): unpublished here")
        elif not was_live and target == "live":
            notes.append("published in WordPress since the last import: published here")
        self._hands(page, reason, notes)
        return page

    def _relations(self, page):
        item = self.item
        contributor = self.importer.contributors.get(item.creator)
        if contributor is None and item.creator:
            contributor = self.importer.contributor_for(
                Author(None, item.creator, "", item.creator, "", "")
            )
        page.post_contributors = (
            [PostContributor(contributor=contributor, sort_order=0)] if contributor else []
        )
        topics, uncategorized = [], False
        for term in item.terms:
            if term.taxonomy != "category":
                continue
            if unquote(term.slug).lower() == UNCATEGORIZED:
                uncategorized = True
            elif term.slug in self.importer.topics:
                topics.append(self.importer.topics[term.slug])
        if uncategorized:
            self.report.note(
                "Posts in WordPress's “Uncategorized” category were imported without a topic."
            )
        page.topics = topics
        tags = {flat_text(t.name)[:100] for t in item.terms if t.taxonomy == "post_tag"}
        self.tag_names = sorted(tag for tag in tags if tag)  # set by the caller: see create

    def _save(self, page, target):
        revision = page.save_revision(log_action=True)
        date = self.item.date or timezone.now()
        if target == "live":
            revision.publish()
            self.model.objects.filter(pk=page.pk).update(
                first_published_at=page.first_published_at or date,
                last_published_at=max(self.item.modified or date, date),
            )
        elif target == "scheduled":
            page.go_live_at = date
            page.save_revision(log_action=True, approved_go_live_at=date).publish()

    def _hands(self, page, reason, notes):
        if reason:
            self.report.hand(self.kind, self.item.id, self.title, reason, page)
        for note in notes:
            self.report.hand(self.kind, self.item.id, self.title, note, page)

    def _parent(self):
        """Where the page goes, and the WordPress id of a parent page not imported yet."""
        if self.kind == "post":
            return self.importer.blog_index, None
        parent_id = self.item.parent_id
        if parent_id in self.importer.standard_pages:
            return StandardPage.objects.get(pk=self.importer.pages[parent_id]), None
        entry = self.importer.index.items.get(parent_id)
        waiting = parent_id if entry is not None and entry.post_type == "page" else None
        return self.importer.home, waiting

    def _free_slug(self, parent):
        base = page_slug(self.item, "" if self.title == NO_TITLE else self.title)
        taken = self.importer.taken_slugs(parent, base)
        slug = unique_slug(base, taken)
        taken.add(slug)
        return slug


def _shorten(text, limit):
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
