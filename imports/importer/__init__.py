"""Import a WordPress export (WXR) into the blog: contributors, topics, posts, pages, images,
comments and redirects from the old addresses.

Two streaming passes over the file, so memory stays flat whatever its size: the first keeps
only the small things everything else refers to (the blog, authors, terms, attachments and a
one-line index of every item); the second reads items a chunk at a time and writes new posts
in bulk (imports.importer.bulk), pages and updates one at a time. The whole
import is one transaction: an error anywhere leaves nothing behind, and image files stored on
the way are deleted again. The ledger (`ImportedObject`) makes reruns update instead of
duplicate.

Imported posts never email subscribers: a post published in WordPress is not news here.
"""

import contextlib
import itertools
import json
import logging
import tempfile
import time
from urllib.parse import unquote

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from slugify import slugify as transliterated_slug
from wagtail.models import Page, Site

from blog.models import BlogIndexPage, Contributor, HomePage, StandardPage, Topic
from blog.models.snippets import ContributorKind
from blog.services import unique_slug
from core.tasks import enqueue_on_commit
from imports import redirects
from imports import rows as new_rows
from imports.links import LinkRewriter, fix_forward_links
from imports.media import ImportMedia
from imports.models import ImportedObject, ImportRun
from imports.records import WXRError
from imports.report import Report

from .bulk import PageBatch
from .pages import SKIPPED_STATUSES, PageImport, flat_text
from .reading import file_name, items_of, normalise_source, read_index
from .uncategorized import default_category_slugs

Type = ImportedObject.Type

__all__ = ["Importer", "blog_source", "normalise_source", "quiet_logs", "read_index", "run"]


class Rollback(Exception):
    """Raised inside the transaction to end a dry run."""


def run(
    path_or_file,
    *,
    dry_run=False,
    download_images=True,
    uploads_dir=None,
    skip_pingbacks=False,
    earlier_import=None,
    progress=None,
    allowed_hosts=(),
    steps=None,
    display_name=None,
):
    """Import the export; returns the Report (its run_id: the ImportRun kept, None for a dry
    run). Raises WXRError (nothing imported) if unreadable, or if an import made before blogs
    were keyed by their own address may be this blog's and `earlier_import` ("adopt" or
    "separate") does not say which.

    `progress(pass_number, bytes_read, total_bytes)` is called as the file is read;
    `steps(phase, done, total)` as the work goes: ("importing", posts and pages done, their
    number) after each one, then ("finishing", 0, None). Both must be cheap: they are called
    inside the import's transaction, once per item. `display_name` names the file in the
    report when its path does not (an upload kept under a random name).
    """
    report = Report(file_name=display_name or file_name(path_or_file), dry_run=dry_run)
    report.started_at = timezone.now()
    clock = time.monotonic()
    index = read_index(path_or_file, progress)
    source = blog_source(index.channel)
    report.source = source
    legacy = earlier_source(index.channel, source)
    media = ImportMedia(
        index.attachments,
        source=source,
        site_url=index.channel.base_blog_url or index.channel.link or index.channel.base_site_url,
        download=download_images,
        uploads_dir=uploads_dir,
        dry_run=dry_run,
        allowed_hosts=allowed_hosts,
    )
    committed = False
    try:
        with transaction.atomic():
            if legacy:
                _settle_earlier_import(legacy, source, earlier_import, report)
            Importer(index, media, report, source, skip_pingbacks=skip_pingbacks, steps=steps).run(
                items_of(path_or_file, progress)
            )
            report.seconds = time.monotonic() - clock
            if dry_run:
                raise Rollback
            report.run_id = _save_run(report, source).pk
        committed = True
    except Rollback:
        pass
    finally:
        if not committed:
            media.delete_stored_files()
    return report


def _save_run(report, source):
    """The run and its report. A 25,000-post blog's report is megabytes of JSON: on PostgreSQL
    it is copied to the database from its temporary file a piece at a time, never held whole
    in memory (let alone as Python objects again)."""
    run = ImportRun.objects.create(
        source=source,
        file_name=report.file_name,
        started_at=report.started_at,
        finished_at=timezone.now(),
    )
    if connection.vendor != "postgresql":
        ImportRun.objects.filter(pk=run.pk).update(report=json.loads(report.json_text()))
        return run
    table = ImportRun._meta.db_table
    with connection.cursor() as cursor, tempfile.TemporaryFile("w+", encoding="ascii") as spool:
        report.write_json(spool, ascii_only=True)  # no newline or tab but JSON's escapes
        spool.seek(0)
        cursor.execute("CREATE TEMPORARY TABLE import_report_json (doc text) ON COMMIT DROP")
        with cursor.cursor.copy("COPY import_report_json (doc) FROM STDIN") as copy:
            while piece := spool.read(1 << 20):
                copy.write(piece.replace("\\", "\\\\"))  # COPY's text format escapes them
        cursor.execute(
            f"UPDATE {table} SET report = (SELECT doc::jsonb FROM import_report_json) "
            "WHERE id = %s",
            [run.pk],
        )
        cursor.execute("DROP TABLE import_report_json")
    return run


def blog_source(channel):
    """The ledger key of the blog an export comes from: its own address (base_blog_url).

    Never the WordPress *site* address (base_site_url) alone: every WordPress.com blog has
    http://wordpress.com there, and every blog of a multisite network shares its network's."""
    return normalise_source(channel.base_blog_url or channel.link or channel.base_site_url)


def earlier_source(channel, source):
    """The key an import made before blogs were keyed by their own address gave this export,
    when it differs from today's and that import left rows in the ledger; else None."""
    old = normalise_source(channel.base_site_url or channel.link)
    if old == source or not old:
        return None
    ledger = ImportedObject.objects.filter(wp_type__in=[Type.POST, Type.PAGE])
    if not ledger.filter(source=old).exists() or ledger.filter(source=source).exists():
        return None
    return old


def _settle_earlier_import(old, source, choice, report):
    """An earlier import keyed on the shared site address may be this blog or another one
    behind the same address: updating its posts blindly overwrote another blog's posts, so the
    operator says which."""
    if choice == "adopt":
        ImportedObject.objects.filter(source=old).update(source=source)
        report.note(f"The posts imported earlier under {old} were taken as this blog's ({source}).")
    elif choice == "separate":
        report.note(
            f"The posts imported earlier under {old} belong to another blog: left as they are."
        )
    else:
        raise WXRError(
            f"posts were imported earlier from an export keyed on {old}, an address several "
            f"blogs can share (every WordPress.com blog, every blog of a multisite network); "
            f"this export is the blog {source}. If that earlier import was this blog, run again "
            "with --earlier-import adopt to update its posts; if it was another blog, run with "
            "--earlier-import separate to import this one beside it."
        )


def topic_slug(term):
    """Topic addresses are ASCII here: a Greek or Cyrillic WordPress slug is transliterated
    ("ενημέρωση" becomes "enemerose"), and only a slug with no letters at all takes the id."""
    text = unquote(term.slug or "")
    slug = slugify(text)[:100].strip("-") or transliterated_slug(text, max_length=100)
    return slug or f"topic-{term.id}"


# The import ---------------------------------------------------------------------------------


# Items read ahead and posts written together: enough to make the queries per post small,
# few enough that what waits in memory (a batch of items and their comments) stays small.
BATCH_SIZE = 200

LEDGER_FIELDS = ["source", "wp_type", "wp_id", "object_id"]

OTHER_TYPES = {
    "wp_block": "a reusable block: its content is put in the posts that use it",
}


class Importer:
    # New live and draft posts are written a batch at a time (imports.importer.bulk); False
    # makes every page take Wagtail's own path, which the bulk path must match row for row.
    bulk = True

    def __init__(self, index, media, report, source, *, skip_pingbacks=False, steps=None):
        self.index = index
        self.media = media
        self.report = report
        self.source = source
        self.site_url = index.channel.base_blog_url or index.channel.link
        self.skip_pingbacks = skip_pingbacks
        self.contributors = {}  # login -> Contributor
        self.topics = {}  # term slug as in the file -> Topic
        self.uncategorized = default_category_slugs(index.terms)  # WordPress's default category
        # WordPress id -> our page's pk, for the posts and pages of this run; only ids are
        # kept, so memory does not grow with the pages' bodies.
        self.pages = {}
        self.standard_pages = set()  # WordPress ids of the pages that became StandardPages
        self.orphans = []  # (page pk, WordPress parent id) whose parent came later in the file
        self.non_image_urls = {
            a.url for a in index.attachments.values() if a.url and not a.is_image
        }
        self.links = LinkRewriter(self)  # links into the old blog as page links or paths
        self.batch = PageBatch(self)
        self.ledger_rows = {}  # (type, WordPress id) -> ledger row, for the items read ahead
        self.blog_slugs = None  # the slugs under the blog index, once asked for
        self.comments_changed = set()  # pks of earlier posts whose comments changed
        self.steps = steps
        self.posts_done = 0
        self.posts_total = sum(
            1 for entry in index.items.values() if entry.post_type in ("post", "page")
        )

    def run(self, items):
        self.home, self.blog_index = _site_tree()
        self.import_authors()
        self.import_categories()
        for chunk in itertools.batched(items, BATCH_SIZE):
            self.read_ahead(chunk)
            for item in chunk:
                self.import_item(item)
                if self.steps is not None and item.post_type in ("post", "page"):
                    self.posts_done += 1
                    self.steps("importing", self.posts_done, self.posts_total)
            self.batch.flush()
        if self.steps is not None:
            self.steps("finishing", 0, None)
        self.attach_orphans()
        fix_forward_links(self.links)
        self.finish_media()
        redirects.make_redirects(self)
        self.refresh_after_commit()

    def read_ahead(self, chunk):
        """What the items of a chunk look up, in one query per table instead of one per item."""
        wanted = [str(item.id) for item in chunk if item.post_type in ("post", "page")]
        self.ledger_rows = {
            (row.wp_type, row.wp_id): row
            for row in ImportedObject.objects.filter(
                source=self.source, wp_type__in=[Type.POST, Type.PAGE], wp_id__in=wanted
            )
        }
        self.media.read_ahead(item.thumbnail_id for item in chunk)

    def ledger_row(self, wp_type, wp_id):
        return self.ledger_rows.get((wp_type, str(wp_id)))

    def taken_slugs(self, parent, base):
        """Slugs of the parent's children that a new child's slug starting with `base` must
        avoid; those under the blog index are read once and kept up to date as posts come."""
        if parent.pk == self.blog_index.pk:
            if self.blog_slugs is None:
                self.blog_slugs = set(Page.objects.child_of(parent).values_list("slug", flat=True))
            return self.blog_slugs
        return set(
            Page.objects.child_of(parent)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )

    def refresh_after_commit(self):
        """One task after the commit for what the pages written in bulk did not do: search
        index, reference index, caches (imports.tasks.refresh_imported_pages)."""
        written, changed = list(self.batch.written), sorted(self.comments_changed)
        if not written and not changed:
            return
        enqueue_on_commit("imports.tasks.refresh_imported_pages", written, changed)

    # Authors and categories -----------------------------------------------------------------

    def import_authors(self):
        known = self.ledger(Type.AUTHOR)
        existing = Contributor.objects.in_bulk(known.values())
        for author in self.index.authors:
            self.contributor_for(author, known, existing)

    def contributor_for(self, author, known=None, existing=None):
        """The contributor for a WordPress author: imported before, same email, or new."""
        contributor = (existing or {}).get((known or {}).get(author.login))
        if contributor is None:
            if author.email:
                contributor = Contributor.objects.filter(email__iexact=author.email).first()
            if contributor is None:
                contributor = self._new_contributor(author)
                self.report.count("contributor", "created")
            else:
                self.report.count("contributor", "unchanged")
            self.remember(Type.AUTHOR, author.login, contributor.pk)
        else:
            self.report.count("contributor", "unchanged")
        self.contributors[author.login] = contributor
        return contributor

    def _new_contributor(self, author):
        name = flat_text(author.display_name) or flat_text(author.login) or "Unknown author"
        return Contributor.objects.create(
            name=name[:150],
            slug=_unique_slug(Contributor, slugify(name) or slugify(author.login) or "author"),
            kind=ContributorKind.STAFF,
            email=author.email[:254],
        )

    def import_categories(self):
        categories = [t for t in self.index.terms if t.taxonomy == "category"]
        known = self.ledger(Type.CATEGORY)
        existing = Topic.objects.in_bulk(known.values())
        created = set()
        names = set(Topic.objects.values_list("name", flat=True))
        by_slug = {term.slug: term for term in categories}
        for term in categories:
            if term.slug in self.uncategorized:
                continue
            key = str(term.id) if term.id is not None else term.slug
            topic = existing.get(known.get(key))
            if topic is None:
                topic = Topic.objects.filter(slug=topic_slug(term)).first()
            if topic is None:
                parent = by_slug.get(term.parent_slug)
                topic = Topic.objects.create(
                    name=_topic_name(term, parent, names),
                    slug=topic_slug(term),
                    description=flat_text(term.description)[:1000],
                )
                created.add(topic.pk)
                self.report.count("topic", "created")
            else:
                self.report.count("topic", "unchanged")
            names.add(topic.name)
            if known.get(key) != topic.pk:
                self.remember(Type.CATEGORY, key, topic.pk)
            self.topics[term.slug] = topic
        # Parents may come after their children in the file: link them once all exist.
        for term in categories:
            topic, parent = self.topics.get(term.slug), self.topics.get(term.parent_slug)
            if topic is not None and topic.pk in created and parent is not None:
                topic.parent = parent
                topic.save(update_fields=["parent"])

    # Items ----------------------------------------------------------------------------------

    def import_item(self, item):
        if item.post_type == "attachment":
            self.skip_comments(item, "on a WordPress attachment (media) page, not imported")
            return
        if item.post_type not in ("post", "page"):
            reason = OTHER_TYPES.get(
                item.post_type, f"a WordPress {item.post_type}, not a post or page"
            )
            self.report.skip(item.post_type, item.id, reason)
            self.skip_comments(item, f"on a WordPress {item.post_type}, not imported")
            return
        if item.status in SKIPPED_STATUSES:
            self.report.skip(item.post_type, item.id, SKIPPED_STATUSES[item.status])
            self.skip_comments(item, f"on a {item.post_type} not imported")
            return
        page = PageImport(self, item).run()
        if page is None:
            self.skip_comments(item, f"on a {item.post_type} deleted here since the last import")
            return
        self.pages[item.id] = page.pk
        if isinstance(page, StandardPage):
            self.standard_pages.add(item.id)
        # Pages take comments as posts do; a page's comment_mode follows WordPress.
        self.import_comments(page, item)

    def skip_comments(self, item, reason):
        """Comments go where their post or page goes: each one left out is listed by id."""
        for comment in item.comments:
            self.report.skip("comment", comment.id, reason)

    def import_comments(self, post, item):
        """The post's comments are imported with those of the other posts of its batch, once
        the batch's new posts have their primary keys."""
        if item.comments:
            self.batch.comments.append((post, item))

    def import_comment_batch(self, pairs):
        from imports.comments import import_comments_of_posts

        wanted = [str(comment.id) for _, item in pairs for comment in item.comments]
        known = {
            int(wp_id): pk
            for wp_id, pk in ImportedObject.objects.filter(
                source=self.source, wp_type=Type.COMMENT, wp_id__in=wanted
            ).values_list("wp_id", "object_id")
        }
        results = import_comments_of_posts(
            [(post, item.comments) for post, item in pairs],
            known=known,
            skip_pingbacks=self.skip_pingbacks,
        )
        new, moved = [], []
        for (post, _), result in zip(pairs, results, strict=True):
            for outcome in ("created", "updated", "unchanged"):
                self.report.count("comment", outcome, getattr(result, outcome))
            for wp_id, reason in result.skipped:
                self.report.skip("comment", wp_id, reason)
            for note in result.notes:
                self.report.note(note)
            if (result.created or result.updated) and post.pk not in self.batch.fresh:
                self.comments_changed.add(post.pk)
            for wp_id, pk in result.ids.items():
                if wp_id not in known:  # new to the ledger
                    new.append((self.source, Type.COMMENT, str(wp_id), pk))
                elif known[wp_id] != pk:
                    moved.append(
                        ImportedObject(
                            source=self.source, wp_type=Type.COMMENT, wp_id=str(wp_id), object_id=pk
                        )
                    )
        new_rows.insert_values(ImportedObject, LEDGER_FIELDS, new)
        if moved:
            ImportedObject.objects.bulk_create(
                moved,
                update_conflicts=True,
                unique_fields=["source", "wp_type", "wp_id"],
                update_fields=["object_id"],
            )

    def attach_orphans(self):
        """Move pages whose WordPress parent came later in the file under that parent."""
        for page_id, parent_id in self.orphans:
            if parent_id in self.standard_pages:
                parent = StandardPage.objects.get(pk=self.pages[parent_id])
                Page.objects.get(pk=page_id).move(parent, pos="last-child")

    def finish_media(self):
        images = self.report.images
        images["created"] += self.media.created
        images["reused"] += self.media.reused
        images["not_imported"] = [
            {"url": url, "reason": reason} for url, reason in self.media.failures.items()
        ]
        # Attachments imported by an earlier run count as used: their posts were unchanged.
        used = self.media.used | {int(wp_id) for wp_id in self.ledger(Type.ATTACHMENT)}
        used |= self.still_missing_images()
        images["unused_attachments"] = sum(
            1 for a in self.index.attachments.values() if a.is_image and a.id not in used
        )

    def still_missing_images(self):
        """The attachments posts left unchanged in this run still lack: used, not imported."""
        rows = ImportedObject.objects.filter(
            source=self.source, wp_type__in=[Type.POST, Type.PAGE]
        ).exclude(missing_images=[])
        return {
            key
            for missing in rows.values_list("missing_images", flat=True)
            for key in missing
            if isinstance(key, int)
        }

    # Ledger ---------------------------------------------------------------------------------

    def ledger(self, wp_type):
        return dict(
            ImportedObject.objects.filter(source=self.source, wp_type=wp_type).values_list(
                "wp_id", "object_id"
            )
        )

    def remember(self, wp_type, wp_id, object_id, digest=""):
        ImportedObject.objects.update_or_create(
            source=self.source,
            wp_type=wp_type,
            wp_id=str(wp_id),
            defaults={"object_id": object_id, "digest": digest},
        )


@contextlib.contextmanager
def quiet_logs(verbosity=1):
    """Wagtail logs three lines for every page it creates, edits and publishes, and the task
    runner two per task: thousands of lines that would bury the progress bar and the summary.
    The admin's page history keeps every action; verbosity 2 shows the lines too."""
    loggers = [logging.getLogger(name) for name in ("wagtail", "django.tasks")]
    levels = [logger.level for logger in loggers]
    if verbosity < 2:
        for logger in loggers:
            logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _site_tree():
    """The home page and blog index; made (keeping the default site's address) if missing."""
    home, blog_index = HomePage.objects.first(), BlogIndexPage.objects.first()
    if home is None or blog_index is None:
        from blog.services import ensure_site_tree

        site = Site.objects.filter(is_default_site=True).first()
        address = {"hostname": site.hostname, "port": site.port} if site else {}
        home, blog_index = ensure_site_tree(**address)
    return home, blog_index


def _unique_slug(model, base, max_length=150):
    base = base[: max_length - 6] or "item"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return unique_slug(base, taken)


def _topic_name(term, parent, names):
    """Topic names are unique here; WordPress only keeps them unique among siblings."""
    name = (flat_text(term.name) or topic_slug(term))[:100]
    if name in names and parent is not None:
        name = f"{name} ({flat_text(parent.name)})"[:100]
    if name in names:
        name = f"{name[:90]} ({term.id or term.slug})"[:100]
    return name
