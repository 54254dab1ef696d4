"""WordPress pages take comments, and so do ours: a page's comments are imported as a post's
are (threads, statuses, pings, ledger, reruns), and the page shows them, open or closed as it
was in WordPress. A page without comments takes none."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from blog.models import StandardPage
from comments.models import Comment
from imports import importer
from imports.models import ImportedObject

from .wxr_factory import WXR, comment, item

pytestmark = pytest.mark.django_db

START = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


def wp_comment(id, parent_id=None, **fields):
    fields.setdefault("author", f"Reader {id}")
    fields.setdefault("author_email", f"reader{id}@example.org")
    fields.setdefault("content", f"Comment number {id} on the page.")
    fields.setdefault("date", START + timedelta(minutes=id))
    return comment(id=id, parent_id=parent_id, **fields)


PAGE_COMMENTS = [
    wp_comment(101, content="Where is the day unit?"),
    wp_comment(102, parent_id=101, content="On the second floor, by the lifts."),
    wp_comment(103, parent_id=102, content="Thank you, found it."),
    wp_comment(104, approved="0", content="Waiting for a moderator."),
    wp_comment(105, approved="spam", content="Buy cheap pills now."),
    wp_comment(
        106,
        type="pingback",
        author="Another hospital blog",
        author_url="https://other.example.net/visiting/",
        content="[…] see their visiting page […]",
    ),
]


def page_item(id=20, comments=PAGE_COMMENTS, **fields):
    fields.setdefault("title", f"Visiting the ward {id}")
    fields.setdefault("content", "<p>Visiting hours are 10:00 to 20:00.</p>")
    return item(id=id, post_type="page", comments=comments, **fields)


def export(tmp_path, items, name="export.xml"):
    return WXR(items=items).write(tmp_path / name)


def run(path, **kwargs):
    return importer.run(path, download_images=False, **kwargs)


def imported_page(wp_id):
    row = ImportedObject.objects.get(wp_type="page", wp_id=str(wp_id))
    return StandardPage.objects.get(pk=row.object_id)


def by_wp_id(wp_id):
    row = ImportedObject.objects.get(wp_type="comment", wp_id=str(wp_id))
    return Comment.objects.get(pk=row.object_id)


def skipped_comments(report):
    return {
        group["reason"]: group["ids"]
        for group in report.as_dict()["skipped"]
        if group["type"] == "comment"
    }


def test_a_pages_comments_are_imported_with_their_threads_statuses_and_pings(site_tree, tmp_path):
    report = run(export(tmp_path, [page_item()]))

    page = imported_page(20)
    assert page.comment_mode == "open"
    assert Comment.objects.filter(post=page).count() == 6
    assert report.counts["comment"]["created"] == 6
    assert report.counts["comment"]["skipped"] == 0
    assert by_wp_id(101).status == Comment.Status.APPROVED
    assert by_wp_id(102).parent == by_wp_id(101)
    assert by_wp_id(103).parent == by_wp_id(102)
    assert by_wp_id(104).status == Comment.Status.PENDING
    assert by_wp_id(105).status == Comment.Status.SPAM
    ping = by_wp_id(106)
    assert ping.kind == Comment.Kind.PINGBACK
    assert ping.source_url == "https://other.example.net/visiting/"


def test_the_page_shows_its_published_comments_mentions_and_form(site_tree, tmp_path):
    run(export(tmp_path, [page_item()]))
    page = imported_page(20)

    response = Client().get(page.url)

    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    section = html.find(id="comments")
    text = section.get_text(" ", strip=True)
    assert "(3 comments)" in text
    for shown in ("Where is the day unit?", "On the second floor", "Thank you, found it."):
        assert shown in text
    assert "Waiting for a moderator." not in text and "cheap pills" not in text
    assert section.find("a", href="https://other.example.net/visiting/")
    assert html.find(id="comment-form") is not None


def test_a_page_closed_to_comments_in_wordpress_shows_them_without_a_form(site_tree, tmp_path):
    run(export(tmp_path, [page_item(comment_status="closed")]))
    page = imported_page(20)

    assert page.comment_mode == "closed"
    html = Client().get(page.url).content.decode()
    assert "Where is the day unit?" in html
    assert 'id="comment-form"' not in html


def test_a_page_without_comments_takes_none_even_if_open_in_wordpress(site_tree, tmp_path):
    run(export(tmp_path, [page_item(id=30, title="About us", comments=[])]))
    page = imported_page(30)

    assert page.comment_mode == "off"
    assert 'id="comments"' not in Client().get(page.url).content.decode()


def test_running_again_creates_nothing_twice(site_tree, tmp_path):
    path = export(tmp_path, [page_item()])
    run(path)
    report = run(path)

    assert Comment.objects.count() == 6
    assert report.counts["comment"]["created"] == 0
    assert report.counts["comment"]["unchanged"] == 6
    assert report.counts["page"]["unchanged"] == 1
    assert ImportedObject.objects.filter(wp_type="comment").count() == 6


def test_running_again_after_wordpress_approved_a_page_comment_publishes_it(site_tree, tmp_path):
    run(export(tmp_path, [page_item()]))
    later = [
        c if c.id != 104 else wp_comment(104, content="Waiting for a moderator.")
        for c in PAGE_COMMENTS
    ]

    report = run(export(tmp_path, [page_item(comments=later)], name="later.xml"))

    assert report.counts["comment"]["updated"] == 1
    assert by_wp_id(104).status == Comment.Status.APPROVED
    assert "Waiting for a moderator." in Client().get(imported_page(20).url).content.decode()


def test_pings_on_a_page_are_skipped_when_asked_and_listed_by_id(site_tree, tmp_path):
    report = run(export(tmp_path, [page_item()]), skip_pingbacks=True)

    assert not Comment.objects.filter(kind=Comment.Kind.PINGBACK).exists()
    assert report.counts["comment"]["created"] == 5
    assert skipped_comments(report) == {"a pingback, skipped as asked": [106]}


def test_every_comment_left_out_is_listed_with_its_wordpress_id(site_tree, tmp_path):
    items = [
        item(id=40, status="trash", comments=[wp_comment(401)]),
        item(id=41, post_type="product", comments=[wp_comment(411), wp_comment(412)]),
        page_item(id=42, comments=[wp_comment(421), wp_comment(422, content="  ")]),
    ]

    report = run(export(tmp_path, items))

    assert skipped_comments(report) == {
        "on a post not imported": [401],
        "on a WordPress product, not imported": [411, 412],
        "no text": [422],
    }
    assert report.counts["comment"]["created"] == 1
    assert report.counts["comment"]["skipped"] == 4


def test_a_page_deleted_here_keeps_its_comments_out_and_says_which(site_tree, tmp_path):
    path = export(tmp_path, [page_item()])
    run(path)
    imported_page(20).delete()

    report = run(path)

    assert not Comment.objects.exists()
    reasons = skipped_comments(report)
    assert reasons == {
        "on a page deleted here since the last import": [101, 102, 103, 104, 105, 106]
    }
