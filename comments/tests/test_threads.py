"""Threads: replies nest three levels, deeper ones are flattened; permalinks; order; cost."""

import time

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from comments.services import remove_comment
from comments.tests.commenting import published

pytestmark = pytest.mark.django_db


def page_of(post, query=""):
    response = Client().get(post.url + query)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def item(page, comment):
    return page.find("li", id=comment.anchor)


def depth_of(page, comment):
    """How many comment items enclose this one on the page."""
    return len(item(page, comment).find_parents("li", class_="comment"))


def chain(post, length, start=None):
    start = start or timezone.now() - timezone.timedelta(hours=length)
    comments, parent = [], None
    for n in range(length):
        parent = published(
            post,
            body=f"Level {n + 1} says hello.",
            name=f"Writer {n + 1}",
            parent=parent,
            created_at=start + timezone.timedelta(minutes=n),
        )
        comments.append(parent)
    return comments


def test_replies_nest_under_the_comment_they_answer_three_levels_deep(make_post):
    post = make_post()
    first, second, third = chain(post, 3)
    page = page_of(post)
    assert [depth_of(page, c) for c in (first, second, third)] == [0, 1, 2]
    assert item(page, second).find_parent("li", class_="comment")["id"] == first.anchor
    assert item(page, third).find_parent("li", class_="comment")["id"] == second.anchor
    assert "in reply to" not in item(page, third).find("article").get_text()


def test_a_five_deep_chain_is_flattened_at_the_third_level_with_in_reply_to(make_post):
    post = make_post()
    comments = chain(post, 5)
    page = page_of(post)
    assert [depth_of(page, c) for c in comments] == [0, 1, 2, 2, 2]
    third, fourth, fifth = (item(page, c) for c in comments[2:])
    assert third.find_parent("ol") is fourth.find_parent("ol") is fifth.find_parent("ol")
    assert "in reply to Writer 3" in fourth.find(class_="comment__meta").get_text()
    assert "in reply to Writer 4" in fifth.find(class_="comment__meta").get_text()
    assert "comment--flattened" in fourth["class"]
    # The flattened replies follow the comment they hang from, in order.
    ids = [li["id"] for li in third.find_parent("ol").find_all("li", recursive=False)]
    assert ids == [c.anchor for c in comments[2:]]


def test_every_comment_has_a_permalink(make_post):
    post = make_post()
    comments = chain(post, 4)
    page = page_of(post)
    for comment in comments:
        li = item(page, comment)
        assert li.find("a", class_="comment__permalink")["href"] == f"#{comment.anchor}"
        assert comment.get_absolute_url() == f"{post.url}#{comment.anchor}"


def test_comments_are_oldest_first_and_newest_first_on_request(make_post):
    post = make_post()
    start = timezone.now() - timezone.timedelta(days=1)
    old = published(post, body="Oldest.", created_at=start)
    middle = published(post, body="Middle.", created_at=start + timezone.timedelta(hours=1))
    new = published(post, body="Newest.", created_at=start + timezone.timedelta(hours=2))
    reply_early = published(
        post, body="Early reply.", parent=old, created_at=start + timezone.timedelta(hours=3)
    )
    reply_late = published(
        post, body="Late reply.", parent=old, created_at=start + timezone.timedelta(hours=4)
    )

    def top_level(page):
        return [
            li["id"]
            for li in page.find("ol", class_="comment-list").find_all("li", recursive=False)
        ]

    def replies(page):
        return [li["id"] for li in item(page, old).find("ol").find_all("li", recursive=False)]

    page = page_of(post)
    assert top_level(page) == [old.anchor, middle.anchor, new.anchor]
    assert replies(page) == [reply_early.anchor, reply_late.anchor]
    assert page.find("a", href="?comments=newest#comments") is not None

    page = page_of(post, "?comments=newest")
    assert top_level(page) == [new.anchor, middle.anchor, old.anchor]
    assert replies(page) == [reply_early.anchor, reply_late.anchor], "a reply still follows"
    assert "Showing newest first" in page.find(class_="comments__order").get_text()


def test_a_removed_comment_with_replies_keeps_its_place_as_comment_removed(make_post):
    post = make_post()
    question, answer = chain(post, 2)
    lonely = published(post, body="Nobody answered me.")
    remove_comment(question)
    remove_comment(lonely)
    page = page_of(post)
    removed = item(page, question)
    assert removed.find(class_="comment__removed").get_text() == "Comment removed."
    assert "Level 1" not in removed.find("article").get_text()
    assert removed.find("a", string="Report") is None
    assert item(page, answer).find_parent("li", class_="comment") is removed
    assert item(page, lonely) is None, "a removed comment without replies leaves no trace"
    count = page.find(class_="comments__count").get_text()
    assert count == "(1 comment)"


def test_comments_that_are_not_approved_are_not_shown(make_post):
    post = make_post()
    shown = published(post, body="Approved and shown.")
    for status in ("unconfirmed", "pending", "rejected", "spam"):
        published(post, body=f"I am {status}.", status=status)
    published(post, body="Reply to a pending one.", parent=Comment.objects.get(status="pending"))
    text = page_of(post).find(id="comments").get_text()
    assert shown.body in text
    for status in ("unconfirmed", "pending", "rejected", "spam"):
        assert f"I am {status}." not in text
    # A published reply whose parent is hidden is shown at the top level rather than lost.
    assert "Reply to a pending one." in text


def add_comments(post, count, start_index=0):
    """Published comments in threads of every shape: top level, nested, deep, staff, removed."""
    staff = get_user_model().objects.get_or_create(
        username="staff", defaults={"email": "staff@example.org", "is_staff": True}
    )[0]
    start = timezone.now() - timezone.timedelta(days=10)
    # Every block of ten: a top-level comment (0), a chain of replies five deep (1-5) and four
    # more replies to the first (6-9); one removed, one by staff.
    comments = []
    for n in range(start_index, start_index + count):
        at = start + timezone.timedelta(seconds=n)
        position = n % 10
        comments.append(
            Comment(
                post=post,
                author_name=f"Reader {n}",
                body=f"Comment {n} with a link https://example.org/{n}\n\nand two paragraphs.",
                status="removed" if position == 3 else "approved",
                approved_at=at,
                created_at=at,
                staff_user=staff if position == 7 else None,
            )
        )
    created = Comment.objects.bulk_create(comments)
    updates = []
    for index, comment in enumerate(created):
        position = (start_index + index) % 10
        if position == 0:
            continue
        block_start = index - position
        if block_start < 0:
            continue
        parent = created[index - 1] if 1 < position <= 5 else created[block_start]
        comment.parent_id = parent.pk
        updates.append(comment)
    Comment.objects.bulk_update(updates, ["parent"])


def test_a_post_with_1000_comments_costs_the_same_queries_as_one_with_10(make_post, settings):
    # Renders the thread each time: its cache would hide the cost this test measures, and so
    # would the page's fragments (core/fragments.py).
    settings.COMMENT_THREAD_CACHE = False
    settings.FRAGMENT_CACHE = False
    post = make_post()
    add_comments(post, 10)
    reader = Client()
    assert reader.get(post.url).status_code == 200  # warm caches shared by every page

    with CaptureQueriesContext(connection) as ten:
        small = reader.get(post.url)
    add_comments(post, 990, start_index=10)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as thousand:
        big = reader.get(post.url)
    seconds = time.perf_counter() - started

    assert small.status_code == big.status_code == 200
    page = BeautifulSoup(big.content.decode(), "html.parser")
    assert len(page.find_all("li", class_="comment")) == 1000
    assert page.find(class_="comments__count").get_text() == "(900 comments)"
    assert len(ten) == len(thousand), [q["sql"] for q in thousand]
    print(
        f"\npost page with 10 and 1,000 comments: {len(thousand)} queries; 1,000 in {seconds:.2f}s"
    )


def test_the_rendered_thread_is_kept_until_a_comment_changes(make_post, settings):
    """With the whole-page cache off (a reader it does not serve), the thread is rendered once
    and reused; moderating, editing or removing a comment shows at once."""
    settings.PAGE_CACHE = False
    settings.COMMENT_THREAD_CACHE = True
    post = make_post()
    add_comments(post, 30)
    reader = Client()
    first = reader.get(post.url).content.decode()
    with CaptureQueriesContext(connection) as cached:
        again = reader.get(post.url).content.decode()
    assert again == first
    thread_reads = [q for q in cached if q["sql"].startswith('SELECT "comments_comment"')]
    assert thread_reads == [], "the thread comes from the cache"

    newest = published(post, body="A comment <b>approved</b> just now.", name="Late reader")
    page = reader.get(post.url).content.decode()
    assert "A comment &lt;b&gt;approved&lt;/b&gt; just now." in page
    assert page.count('<li class="comment') == first.count('<li class="comment') + 1

    remove_comment(newest)
    assert "approved</b> just now" not in reader.get(post.url).content.decode()
    assert "&lt;b&gt;approved" not in reader.get(post.url).content.decode()

    # Oldest and newest first are two renders, each kept.
    newest_first = reader.get(post.url + "?comments=newest").content.decode()
    assert newest_first.index("Show oldest first") > 0
