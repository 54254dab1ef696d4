"""One WordPress post or page becoming a PostPage or StandardPage, or updating one."""

import hashlib
import html
import json
import re
from urllib.parse import unquote

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from blog.models import PostContributor, PostPage, StandardPage
from blog.services import unique_slug
from core.pages import CommentMode
from imports.models import ImportedObject
from imports.records import Author

from .bulk import PendingPost
from .routes import is_site_route
from .uncategorized import is_default_category

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
NO_CONTENT_BODY = "<p>This post had no content in WordPress.</p>"
STANDFIRST_MAX = 400
TITLE_MAX = 255
NO_TITLE = "(no title)"
SLUG_MAX = 80
IMAGES_NOT_ADDED = (
    "its images can be imported now, but it was edited here since the last import; "
    "not overwritten: add them by hand"
)
FEATURED_WITHOUT_ALT = (
    'its featured image has no alt text in WordPress: imported as decorative (alt=""); '
    "describe it if it carries meaning"
)


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
    if item.post_type == "page" and item.comments:
        # Whether a page takes comments depends on them; only such pages' digests change, so
        # pages imported before pages took comments are updated to show theirs.
        fields["has_comments"] = True
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
        self.slug_notes = []
        self.missing_images = []  # what this conversion asked for and could not have
        self.tag_names = []

    def run(self):
        item = self.item
        digest = _digest(item)
        row = self.importer.ledger_row(self.kind, item.id)
        if row is None:
            page = self.create(digest)
            if page.pk is not None:  # a post waiting for its batch gets them with its row
                self._remember_missing_images()
            self.report.count(self.kind, "created")
            return page
        page = self.model.objects.filter(pk=row.object_id).first()
        if page is None:
            self.report.skip(
                self.kind, item.id, "deleted here since the last import; not re-created"
            )
            return None
        if row.digest == digest and not self._images_wanted(row):
            if self._moved_off_site_route(page):
                self.report.count(self.kind, "updated")
                self._hands(page, "", [])
                return page
            self.report.count(self.kind, "unchanged")
            self._status_hands(page)
            return page
        if page.revisions.filter(user__isnull=False, created_at__gt=row.updated_at).exists():
            self.report.count(self.kind, "unchanged")
            self.report.hand(
                self.kind,
                item.id,
                self.title,
                "changed in WordPress, but edited here since the last import; not overwritten"
                if row.digest != digest
                else IMAGES_NOT_ADDED,
                page,
            )
            return page
        page = self.update(page)
        row.digest = digest
        row.missing_images = self.missing_images
        row.save(update_fields=["digest", "missing_images", "updated_at"])
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
        from imports.content import convert, excerpt
        from imports.content.text import prose

        item = self.item
        self.importer.media.take_missing()
        converted = convert(
            item.content,
            media=self.importer.media,
            kind=self.kind,
            site_url=self.importer.site_url,
            reusable=self.importer.index.reusable,
            footnotes=(item.meta.get("footnotes") or [""])[-1],
            post_id=item.id,
        )
        notes = list(converted.notes)
        if self.title_note:
            notes.append(self.title_note)
        body = self.importer.links.body(self.model, list(converted.blocks), item.id)
        fields = {"title": self.title, "draft_title": self.title}
        summary = flat_text(prose(item.excerpt)) if item.excerpt.strip() else ""
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
            fields.update(
                intro=_shorten(summary, 500), body=body, comment_mode=_page_comments(item)
            )
        self._file_links()
        self.missing_images = self.importer.media.take_missing()
        return fields, bool(body), notes

    # Images a run could not have --------------------------------------------------------------

    def _images_wanted(self, row):
        """An unchanged post is imported again when an image it lacked can be had now (an
        earlier run had --no-images, or the old site did not answer); the answers are kept
        for its conversion."""
        media = self.importer.media
        if not row.missing_images or not media.can_fetch:
            return False
        found = [
            media.image(attachment_id=key) if isinstance(key, int) else media.image(key)
            for key in row.missing_images
        ]
        media.take_missing()
        return any(ref is not None for ref in found)

    def _remember_missing_images(self):
        if self.missing_images:
            ImportedObject.objects.filter(
                source=self.importer.source, wp_type=self.kind, wp_id=str(self.item.id)
            ).update(missing_images=self.missing_images)

    def _hero(self, notes):
        none = {"hero_image": None, "hero_alt": "", "hero_decorative": False, "hero_caption": ""}
        thumbnail_id = self.item.thumbnail_id
        if thumbnail_id is None:
            return none
        ref = self.importer.media.image(attachment_id=thumbnail_id)
        if ref is None:
            notes.append("its featured image could not be imported")
            return none
        alt = flat_text(ref.alt or ref.caption)[:250]
        if not alt:
            attachment = self.importer.media.find(attachment_id=thumbnail_id)
            notes.append(
                f"{FEATURED_WITHOUT_ALT}: {attachment.url if attachment else thumbnail_id}"
            )
        return {
            "hero_image": ref.image,
            "hero_alt": alt,
            "hero_decorative": not alt,
            "hero_caption": ref.caption[:300],
        }

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
        if self.kind == "page":
            self._leave_site_routes(page)
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
        topics, uncategorized = [], ""
        for term in item.terms:
            if term.taxonomy != "category":
                continue
            if _uncategorized(self.importer, term):
                uncategorized = flat_text(term.name) or unquote(term.slug)
            elif term.slug in self.importer.topics:
                topics.append(self.importer.topics[term.slug])
        if uncategorized:
            self.report.note(
                f"Posts in WordPress's “{uncategorized[:100]}” category (its default one) "
                "were imported without a topic."
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
        for note in [*self.slug_notes, *notes]:
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
        base = self._off_site_routes(parent, base)
        taken = self.importer.taken_slugs(parent, base)
        slug = unique_slug(base, taken)
        taken.add(slug)
        return slug

    def _moved_off_site_route(self, page):
        """An unchanged page still on one of the site's own addresses, renamed and published
        again under its new slug. False when it was not on one."""
        if self.kind != "page":
            return False
        latest = page.get_latest_revision_as_object()
        slug = latest.slug
        self._leave_site_routes(latest)
        if latest.slug == slug:
            return False
        revision = latest.save_revision(log_action=True)
        if page.live:
            revision.publish()
        return True

    def _leave_site_routes(self, page):
        """A page an earlier import left on one of the site's own addresses (before such slugs
        were renamed) moves off it on this run, as a new page would."""
        parent = page.get_parent()
        renamed = self._off_site_routes(parent, page.slug)
        if renamed != page.slug:
            taken = self.importer.taken_slugs(parent, renamed)
            page.slug = unique_slug(renamed, taken)
            taken.add(page.slug)

    def _off_site_routes(self, parent, slug):
        """A slug free of the site's own addresses (`search`, `topics`...) at the site's root,
        where a page with it could never be reached; the report says so."""
        if parent.pk != self.importer.home.pk or not is_site_route(slug):
            return slug
        renamed = f"{slug[: SLUG_MAX - 5]}-page"
        self.slug_notes.append(
            f"its slug “{slug}” is one of this site's own addresses (/{slug}/), where the page "
            f"could not be reached: renamed “{renamed}”; its old address redirects to it "
            "unless this site answers there"
        )
        return renamed


def _uncategorized(importer, term):
    """Whether an item's category is WordPress's default one: posts in it get no topic."""
    return term.slug in importer.uncategorized or is_default_category(term.slug, term.name)


def _page_comments(item):
    """A page that had comments keeps them, open or closed as in WordPress; one without any
    takes none (WordPress opened comments on many pages nobody meant to be discussed)."""
    if not item.comments:
        return CommentMode.OFF
    return CommentMode.CLOSED if item.comment_status == "closed" else CommentMode.OPEN


def _shorten(text, limit):
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
