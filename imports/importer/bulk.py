"""New posts written a batch at a time: the same rows Wagtail's add_child, save_revision and
publish write one page at a time (tree path, url_path, locale, revision, log entries, live
revision, ledger row, contributors, topics, tags), in a number of queries that does not grow
with the posts; then their comments, and one task after the commit for the search index, the
reference index and the caches (imports.tasks.refresh_imported_pages).

Only new posts under the blog index that go live or stay drafts come here; scheduled posts,
standard pages and updates take Wagtail's own path in imports.importer.pages.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision

from blog.models import PostContributor, PostPage, PostTag
from blog.models.pages import reading_minutes
from imports.models import ImportedObject

Type = ImportedObject.Type


class PageBatch:
    """Posts waiting to be written, and the comments of the posts of this batch."""

    def __init__(self, importer):
        self.importer = importer
        self.new = []  # PendingPost
        self.comments = []  # (post, item) whose comments wait for the posts' primary keys
        self.written = []  # pks of the pages written here, for the task after the commit
        self.fresh = set()  # pks of the pages of the batch being written

    def add(self, pending):
        self.new.append(pending)

    def flush(self):
        self.fresh = set()
        if self.new:
            self._write_pages()
        if self.comments:
            self.importer.import_comment_batch(self.comments)
        self.new, self.comments = [], []

    # Pages -----------------------------------------------------------------------------------

    def _write_pages(self):
        pending = self.new
        parent = self.importer.blog_index
        now = timezone.now()
        page_type = ContentType.objects.get_for_model(Page)
        self._place(parent, pending)
        base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        rows = []
        for one in pending:
            page = one.page
            page.reading_minutes = reading_minutes(page.body)
            page.latest_revision_created_at = now
            page.draft_title = page.title
            page.has_unpublished_changes = not one.live
            page.live = one.live
            if one.live:
                page.first_published_at, page.last_published_at = one.published
            rows.append(Page(**{f.attname: getattr(page, f.attname) for f in base_fields}))
        Page.objects.bulk_create(rows)
        for one, row in zip(pending, rows, strict=True):
            one.page.id = one.page.page_ptr_id = row.pk
            one.page._state.adding = False
        child_fields = list(PostPage._meta.local_concrete_fields)
        pages = [one.page for one in pending]
        size = max(1, connection.ops.bulk_batch_size(child_fields, pages))
        for start in range(0, len(pages), size):
            PostPage._base_manager._insert(
                pages[start : start + size], fields=child_fields, using=connection.alias
            )
        self._relations(pending)
        revisions = self._revisions(pending, page_type, now)
        for one, revision in zip(pending, revisions, strict=True):
            one.page.latest_revision = revision
            one.page.live_revision = revision if one.live else None
        Page.objects.bulk_update(
            [one.page for one in pending], ["latest_revision", "live_revision"], batch_size=500
        )
        self._log(pending, revisions, now)
        self._ledger(pending)
        self._mailings(pending, now)
        for one in pending:
            self.importer.pages[one.item.id] = one.page.pk
            self.written.append(one.page.pk)
            self.fresh.add(one.page.pk)
            one.finish()

    def _place(self, parent, pending):
        """Tree paths after the parent's last child, as treebeard's add_child gives them."""
        last = parent.get_last_child()
        step = last._get_lastpos_in_path() if last is not None else 0
        depth = parent.depth + 1
        for i, one in enumerate(pending, start=1):
            page = one.page
            page.path = Page._get_path(parent.path, depth, step + i)
            if len(page.path) != depth * Page.steplen:
                raise ValueError(f"too many pages under {parent.url_path}")
            page.depth, page.numchild = depth, 0
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.locale_id = parent.locale_id
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pending))
        parent.numchild += len(pending)

    def _relations(self, pending):
        links, topic_rows, tag_rows = [], [], []
        Topics = PostPage.topics.through
        tags = self._tags({name for one in pending for name in one.tag_names})
        for one in pending:
            page = one.page
            for link in page.post_contributors.all():
                link.post_id = page.pk
                links.append(link)
            topic_rows += [Topics(postpage_id=page.pk, topic_id=t.pk) for t in page.topics.all()]
            unique = {tags[name].pk: tags[name] for name in one.tag_names}
            one.tagged = [PostTag(content_object=page, tag=tag) for tag in unique.values()]
            tag_rows += one.tagged
        PostContributor.objects.bulk_create(links)
        Topics.objects.bulk_create(topic_rows)
        PostTag.objects.bulk_create(tag_rows)
        for one in pending:
            one.page.tagged_items = one.tagged
            _no_other_relations(one.page)

    def _tags(self, names):
        """Tags by name as taggit finds or makes them (case-insensitively where
        TAGGIT_CASE_INSENSITIVE, a unique slug each); one query for the names already
        there, one or two for each name new to the site."""
        if not names:
            return {}
        found = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
        for name in sorted(names - set(found)):
            tag = None
            if getattr(settings, "TAGGIT_CASE_INSENSITIVE", False):
                tag = Tag.objects.filter(name__iexact=name).first()
            found[name] = tag or Tag.objects.create(name=name)
        return found

    def _revisions(self, pending, page_type, now):
        """The revision each page's save_revision would write: the page as add_child left it,
        before publishing."""
        revisions = []
        for one in pending:
            page = one.page
            final = (page.live, page.has_unpublished_changes, page.last_published_at)
            page.live, page.has_unpublished_changes, page.last_published_at = False, False, None
            page.latest_revision_created_at = None
            revisions.append(
                Revision(
                    content_type_id=page.content_type_id,
                    base_content_type=page_type,
                    object_id=str(page.pk),
                    created_at=now,
                    content=page.serializable_data(),
                    object_str=str(page),
                )
            )
            page.live, page.has_unpublished_changes, page.last_published_at = final
            page.latest_revision_created_at = now
        return Revision.objects.bulk_create(revisions)

    def _log(self, pending, revisions, now):
        post_type = ContentType.objects.get_for_model(PostPage, for_concrete_model=False)
        entries = []
        for one, revision in zip(pending, revisions, strict=True):
            page, label = one.page, one.page.get_admin_display_title()
            actions = [("wagtail.create", None), ("wagtail.edit", revision)]
            if one.live:
                actions.append(("wagtail.publish", revision))
            entries += [
                PageLogEntry(
                    content_type=post_type,
                    label=label,
                    action=action,
                    timestamp=now,
                    data={},
                    content_changed=True,
                    page_id=page.pk,
                    revision=logged_revision,
                )
                for action, logged_revision in actions
            ]
        PageLogEntry.objects.bulk_create(entries)

    def _ledger(self, pending):
        source = self.importer.source
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(
                    source=source,
                    wp_type=one.kind,
                    wp_id=str(one.item.id),
                    object_id=one.page.pk,
                    digest=one.digest,
                    missing_images=one.page_import.missing_images,
                )
                for one in pending
            ]
        )

    def _mailings(self, pending, now):
        """Publishing a recent post records its alert as skipped (subscriptions.alerts): so
        that a later publication never mails it as news either."""
        from subscriptions.alerts import NEWS_WINDOW
        from subscriptions.models import Mailing

        recent = [
            one.page
            for one in pending
            if one.live and one.page.first_published_at >= now - NEWS_WINDOW
        ]
        if not recent:
            return
        Mailing.objects.bulk_create(
            [
                Mailing(
                    key=f"alert:{page.pk}",
                    kind=Mailing.Kind.ALERT,
                    post=page,
                    status=Mailing.Status.SKIPPED,
                    note="The editor chose to send no alert.",
                )
                for page in recent
            ],
            ignore_conflicts=True,
        )


def _no_other_relations(page):
    """A new page has no rows in its other child relations (corrections, audiences, editors'
    comments): say so, so that serialising it for its revision asks the database nothing."""
    known = page.__dict__.setdefault("_cluster_related_objects", {})
    names = [rel.get_accessor_name() for rel in get_all_child_relations(type(page))]
    names += [field.name for field in get_all_child_m2m_relations(type(page))]
    for name in names:
        if name not in known:
            setattr(page, name, [])


class PendingPost:
    """A new post waiting for its batch: its page (unsaved) and what to say of it after."""

    def __init__(self, page_import, page, live, published, tag_names, reason, notes, digest):
        self.page_import = page_import
        self.item = page_import.item
        self.kind = page_import.kind
        self.page = page
        self.live = live
        self.published = published  # (first_published_at, last_published_at) when live
        self.tag_names = tag_names
        self.reason = reason
        self.notes = notes
        self.digest = digest
        self.tagged = []

    def finish(self):
        self.page_import._hands(self.page, self.reason, self.notes)
