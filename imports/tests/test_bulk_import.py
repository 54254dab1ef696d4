"""New posts are written a batch at a time: the rows must be those Wagtail's own path writes,
and the queries must not grow with the posts."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageLogEntry, ReferenceIndex
from wagtail.search.models import IndexEntry

from blog.models import PostPage
from comments.models import Comment
from imports import importer
from imports.importer import Importer
from imports.models import ImportedObject
from subscriptions.models import Mailing

from .conftest import wxr_comment, wxr_export, wxr_item
from .test_importer import recent
from .wxr_factory import write_large_export

pytestmark = pytest.mark.django_db

PAGE_FIELDS = [
    "title",
    "draft_title",
    "slug",
    "url_path",
    "depth",
    "numchild",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "locale_id",
    "content_type_id",
    "expired",
    "go_live_at",
    "show_in_menus",
    "standfirst",
    "featured",
    "comments_closed",
    "send_alert",
    "reading_minutes",
    "hero_alt",
]
REVISION_KEYS = [
    "title",
    "draft_title",
    "slug",
    "url_path",
    "live",
    "topics",
    "audiences",
    "corrections",
    "standfirst",
    "first_published_at",
    "last_published_at",
    "has_unpublished_changes",
    "reading_minutes",
    "send_alert",
]


def import_with_callbacks(path, capture, **kwargs):
    with capture(execute=True):
        return importer.run(path, download_images=False, **kwargs)


def without_ids(value):
    """StreamField data and relations with the primary keys and block ids left out."""
    if isinstance(value, dict):
        skipped = {"id", "pk", "post", "content_object"}
        return {k: without_ids(v) for k, v in value.items() if k not in skipped}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def snapshot(source):
    """What an import made of each post, keyed by WordPress id, without its database ids."""
    result = {}
    for row in ImportedObject.objects.filter(source=source, wp_type="post"):
        page = PostPage.objects.get(pk=row.object_id)
        revisions = list(page.revisions.order_by("id"))
        latest = revisions[-1].content
        result[row.wp_id] = {
            "fields": {name: getattr(page, name) for name in PAGE_FIELDS},
            "body": without_ids(page.body.get_prep_value()),
            "latest_is_live": page.live_revision_id == page.latest_revision_id,
            "has_live_revision": page.live_revision_id is not None,
            "revision_date_set": page.latest_revision_created_at is not None,
            "translation_key_unique": PostPage.objects.filter(
                translation_key=page.translation_key
            ).count()
            == 1,
            "path_under_parent": page.path.startswith(page.get_parent().path),
            "revisions": len(revisions),
            "revision": {key: latest.get(key) for key in REVISION_KEYS},
            "revision_relations": {
                "post_contributors": without_ids(latest["post_contributors"]),
                "tagged_items": sorted(t["tag"] for t in latest["tagged_items"]),
                "body": without_ids(json.loads(latest["body"])),
            },
            "revision_pks": latest["pk"] == page.pk
            and all(link["pk"] for link in latest["post_contributors"] + latest["tagged_items"]),
            "contributors": [c.pk for c in page.contributors],
            "topics": sorted(page.topics.values_list("pk", flat=True)),
            "tags": sorted(page.tags.values_list("name", flat=True)),
            "log": sorted(
                (entry.action, entry.label, entry.revision_id is not None, entry.content_changed)
                for entry in PageLogEntry.objects.filter(page=page)
            ),
            # Not title_norm: the search backend's length normaliser depends on what else
            # was in the index when an entry was written, on either path.
            "search": sorted(
                (str(e["title"]), str(e["body"]), str(e.get("autocomplete")))
                for e in IndexEntry.objects.filter(
                    object_id=str(page.pk), content_type=page.content_type_id
                ).values()
            ),
            # content_path names the child rows' and blocks' ids, which differ.
            "references": sorted(
                (r.to_content_type_id, r.to_object_id, r.model_path)
                for r in ReferenceIndex.get_references_for_object(page)
            ),
            "comments": sorted(
                (c.author_name, c.body, c.status, c.kind, c.parent.body if c.parent else None)
                for c in Comment.objects.filter(post=page).select_related("parent")
            ),
            "mailings": list(page.mailings.values_list("status", flat=True)),
        }
    return result


def test_posts_written_in_bulk_are_those_wagtails_own_path_writes(
    site_tree, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    path = tmp_path / "blog.xml"
    write_large_export(path, posts=12, comments_per_post=4)
    recent_post = tmp_path / "recent.xml"
    recent_post.write_text(
        wxr_export(
            [
                wxr_item(9001, "Fresh", date=recent(), comments=[wxr_comment(1), wxr_comment(2)]),
                wxr_item(9002, "A draft", status="draft", content=""),
            ],
            base="https://fresh.example.org",
        )
    )

    monkeypatch.setattr(Importer, "bulk", False)
    import_with_callbacks(path, django_capture_on_commit_callbacks)
    import_with_callbacks(recent_post, django_capture_on_commit_callbacks)
    slow = snapshot("old.example.org") | snapshot("fresh.example.org")
    PostPage.objects.all().delete()
    ImportedObject.objects.all().delete()
    Mailing.objects.all().delete()

    monkeypatch.setattr(Importer, "bulk", True)
    import_with_callbacks(path, django_capture_on_commit_callbacks)
    import_with_callbacks(recent_post, django_capture_on_commit_callbacks)
    bulk = snapshot("old.example.org") | snapshot("fresh.example.org")

    assert len(bulk) == 14
    assert {wp_id: post["fields"]["live"] for wp_id, post in bulk.items()}.values() != {True}
    for wp_id in slow:
        for key in slow[wp_id]:
            assert bulk[wp_id][key] == slow[wp_id][key], (wp_id, key)
    assert bulk["9001"]["mailings"] == [Mailing.Status.SKIPPED]
    assert all(post["search"] for post in bulk.values())


def test_a_rerun_of_posts_written_in_bulk_changes_nothing(site_tree, tmp_path):
    path = tmp_path / "blog.xml"
    write_large_export(path, posts=6, comments_per_post=3)
    importer.run(path, download_images=False)
    again = importer.run(path, download_images=False)
    assert again.counts["post"]["unchanged"] == 6
    assert again.counts["post"]["created"] == 0
    assert again.counts["comment"]["created"] == 0


def posts(first, count, base):
    return [
        wxr_item(
            wp_id,
            f"Post {wp_id}",
            base=base,
            comments=[
                wxr_comment(wp_id * 100 + 1, "Top"),
                wxr_comment(wp_id * 100 + 2, "Reply", parent=wp_id * 100 + 1),
                wxr_comment(wp_id * 100 + 3, "Reply to the reply", parent=wp_id * 100 + 2),
            ],
        )
        for wp_id in range(first, first + count)
    ]


def queries_to_import(write_export, count, base):
    path = write_export(posts(1, count, base), base=base)
    with CaptureQueriesContext(connection) as queries:
        report = importer.run(path, download_images=False)
    assert report.counts["post"]["created"] == count
    assert report.counts["comment"]["created"] == 3 * count
    return len(queries)


def test_the_queries_of_an_import_do_not_grow_with_its_posts(site_tree, write_export):
    queries_to_import(write_export, 1, "https://first.example.org")  # the contributor is made

    few = queries_to_import(write_export, 3, "https://few.example.org")
    many = queries_to_import(write_export, 40, "https://many.example.org")

    assert many == few
    assert few < 60


def test_a_tag_already_here_is_reused_whatever_its_case(site_tree, write_export):
    from taggit.models import Tag

    existing = Tag.objects.create(name="Immunotherapy")
    path = write_export(
        [
            wxr_item(1, terms=[("post_tag", "immunotherapy", "immunotherapy")]),
            wxr_item(
                2, terms=[("post_tag", "new-tag", "New tag"), ("post_tag", "x", "IMMUNOTHERAPY")]
            ),
        ]
    )
    importer.run(path, download_images=False)

    first, second = (
        PostPage.objects.get(pk=ImportedObject.objects.get(wp_type="post", wp_id=i).object_id)
        for i in ("1", "2")
    )
    assert list(first.tags.all()) == [existing]
    assert sorted(second.tags.values_list("name", flat=True)) == ["Immunotherapy", "New tag"]
    assert Tag.objects.count() == 2
