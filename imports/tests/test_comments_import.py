"""WordPress comments of a post become comments here: threaded, with their status, pingbacks
apart, nothing sent to anyone, and a second run changes only what WordPress changed."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.tasks.signals import task_enqueued
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments.models import Comment, Commenter
from comments.services import moderate, remove_comment
from imports import records
from imports.comments import DELETED_HERE, MAX_BODY, import_comments

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "wxr_full.xml"
START = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


def wp(id, parent=None, **fields):
    """A WordPress comment record as the parser yields it; approved reader comment by default."""
    values = {
        "author": f"Reader {id}",
        "author_email": f"reader{id}@example.org",
        "author_url": "",
        "date": START + timedelta(minutes=id),
        "content": f"Comment number {id}.",
        "approved": "1",
        "type": "comment",
        "user_id": None,
    }
    values.update(fields)
    return records.Comment(id=id, parent_id=parent, **values)


def ours(result, wp_id):
    return Comment.objects.get(pk=result.ids[wp_id])


def parent_wp_id(result, wp_id):
    by_pk = {pk: wp for wp, pk in result.ids.items()}
    return by_pk.get(ours(result, wp_id).parent_id)


def run(post, comments, known=None, **options):
    return import_comments(post, comments, known=known or {}, **options)


@pytest.fixture
def post(make_post):
    return make_post(title="CAR-T beyond blood cancers")


# Threading ----------------------------------------------------------------------------------


def test_it_keeps_a_thread_three_deep_even_with_replies_listed_before_their_parents(post):
    comments = [wp(3, parent=2), wp(2, parent=1), wp(1), wp(4, parent=1)]
    result = run(post, comments)
    assert result.created == 4
    assert result.skipped == []
    assert {n: parent_wp_id(result, n) for n in (1, 2, 3, 4)} == {1: None, 2: 1, 3: 2, 4: 1}
    assert Comment.objects.filter(post=post).count() == 4


def test_a_reply_to_a_skipped_comment_hangs_from_the_nearest_imported_ancestor(post):
    comments = [
        wp(1),
        wp(2, parent=1, type="woocommerce_order_note"),
        wp(3, parent=2),
        wp(4, parent=99),  # its parent is not in the export at all
    ]
    result = run(post, comments)
    assert parent_wp_id(result, 3) == 1
    assert parent_wp_id(result, 4) is None
    assert (2, "a “woocommerce_order_note” comment, a WordPress plugin's own type") in (
        result.skipped
    )
    notes = " ".join(result.notes)
    assert "WordPress comment 3 on “CAR-T beyond blood cancers” replied to comment 2" in notes
    assert "it is kept as a reply to comment 1" in notes
    assert "WordPress comment 4" in notes and "it is kept as a top-level comment" in notes


def test_comments_that_are_each_others_parents_still_show(post, client):
    result = run(post, [wp(1, parent=2), wp(2, parent=1), wp(3, parent=3)])
    assert result.created == 3
    page = client.get(post.url).content.decode()
    for n in (1, 2, 3):
        assert f"Comment number {n}." in page


def test_threads_deeper_than_the_page_shows_are_kept_and_shown_flattened(post, client):
    comments = [wp(1)] + [wp(n, parent=n - 1) for n in range(2, 7)]
    result = run(post, comments)
    assert [parent_wp_id(result, n) for n in range(1, 7)] == [None, 1, 2, 3, 4, 5]
    page = BeautifulSoup(client.get(post.url).content.decode(), "html.parser")
    deepest = page.find("li", id=ours(result, 6).anchor)
    # The thread nests three levels; deeper replies sit at the third and say whom they answer.
    assert len(deepest.find_parents("li", class_="comment")) == 2
    assert "in reply to Reader 5" in deepest.get_text()


# Status, kind, text --------------------------------------------------------------------------


def test_statuses_are_kept_as_a_wordpress_moderator_left_them(post):
    comments = [
        wp(1, approved="1"),
        wp(2, approved="0"),
        wp(3, approved="spam"),
        wp(4, approved="trash"),
        wp(5, approved="post-trashed"),
        wp(6, approved="something-new"),
    ]
    result = run(post, comments)
    statuses = {n: ours(result, n).status for n in range(1, 7)}
    assert statuses == {
        1: Comment.Status.APPROVED,
        2: Comment.Status.PENDING,
        3: Comment.Status.SPAM,
        4: Comment.Status.REMOVED,
        5: Comment.Status.REMOVED,
        6: Comment.Status.PENDING,
    }
    approved = ours(result, 1)
    assert approved.approved_at == approved.created_at == START + timedelta(minutes=1)
    assert ours(result, 2).approved_at is None
    trashed = ours(result, 4)
    assert (trashed.body, trashed.author_name) == ("", "")  # deleted in WordPress: no text kept


def test_pingbacks_and_trackbacks_are_kept_as_such(post):
    comments = [
        wp(1),
        wp(
            2,
            type="pingback",
            author="Oncology Weekly &raquo; CAR-T roundup",
            author_email="",
            author_url="https://oncologyweekly.example.net/car-t/",
            content="[&#8230;] a clear summary [&#8230;]",
        ),
        wp(3, type="trackback", author_url="http://digest.example.com/42", author_email="x@y.org"),
    ]
    result = run(post, comments)
    ping, track = ours(result, 2), ours(result, 3)
    assert (ping.kind, track.kind) == (Comment.Kind.PINGBACK, Comment.Kind.TRACKBACK)
    assert ping.source_url == "https://oncologyweekly.example.net/car-t/"
    assert ping.author_name == "Oncology Weekly » CAR-T roundup"
    assert ping.body == "[…] a clear summary […]"
    assert track.source_url == "http://digest.example.com/42"
    assert ping.commenter is None and track.commenter is None  # a site, not a person
    assert ours(result, 1).kind == Comment.Kind.COMMENT


def test_pingbacks_and_trackbacks_are_skipped_when_asked(post):
    comments = [wp(1), wp(2, type="pingback"), wp(3, type="trackback")]
    result = run(post, comments, skip_pingbacks=True)
    assert result.created == 1
    assert result.skipped == [
        (2, "a pingback, skipped as asked"),
        (3, "a trackback, skipped as asked"),
    ]
    assert set(result.ids) == {1}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/",
        "x",
        "https://ok.example/\njavascript:alert(1)",
        "https://long.example/" + "a" * 500,
    ],
)
def test_a_ping_from_an_address_that_is_not_a_web_page_keeps_no_link(post, url):
    result = run(post, [wp(1, type="pingback", author_url=url)])
    assert ours(result, 1).source_url == ""
    assert (
        "WordPress comment 1 (a ping) links to an address that is not a web page"
        in (result.notes[0])
    )


def test_script_and_markup_in_comments_become_plain_text(post, client):
    comments = [
        wp(
            1,
            author='<script>alert("name")</script>Eve <b onmouseover="x()">B</b>',
            content=(
                '<p onclick="steal()">Hello <a href="javascript:alert(1)">there</a></p>'
                "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>"
                "<iframe src=https://evil.example></iframe>Bye"
            ),
        )
    ]
    comment = ours(run(post, comments), 1)
    assert comment.author_name == "Eve B"
    assert "<" not in comment.body and "script" not in comment.body.lower()
    assert comment.body.startswith("Hello there")
    assert comment.body.endswith("Bye")
    page = client.get(post.url).content.decode()
    assert "alert(" not in page
    assert "onerror" not in page and "onmouseover" not in page


def test_text_stays_readable_paragraphs_and_html_entities_included(post):
    content = "First line\nsecond line\n\nA new paragraph with <em>emphasis</em> &amp; 5 &lt; 6"
    comment = ours(run(post, [wp(1, content=content)]), 1)
    assert comment.body == "First line\nsecond line\n\nA new paragraph with emphasis & 5 < 6"


def test_unicode_names_and_text_are_kept(post):
    comments = [
        wp(1, author="Dr Αλέξανδρος Νικολάου", content="Ευχαριστώ! 💪 مرحبا 你好"),
        wp(2, author="Ζ" * 200),
    ]
    result = run(post, comments)
    assert ours(result, 1).author_name == "Dr Αλέξανδρος Νικολάου"
    assert ours(result, 1).body == "Ευχαριστώ! 💪 مرحبا 你好"
    assert ours(result, 2).author_name == "Ζ" * 80


def test_a_comment_without_a_name_or_date_or_text(post):
    result = run(post, [wp(1, author="  ", date=None), wp(2, content="<p> </p>")])
    comment = ours(result, 1)
    assert comment.author_name == "Anonymous"
    assert comment.created_at is not None
    assert result.skipped == [(2, "no text")]


def test_a_very_long_comment_is_kept_whole_up_to_a_limit(post):
    result = run(post, [wp(1, content="word " * 8_000), wp(2, content="x" * (MAX_BODY + 10))])
    assert ours(result, 1).body == ("word " * 8_000).strip()  # 40,000: longer than new ones
    cut = ours(result, 2).body
    assert len(cut) == MAX_BODY and cut.endswith("…")
    assert f"WordPress comment 2 was longer than {MAX_BODY:,} characters and was cut." in (
        result.notes
    )


def test_a_comment_listed_twice_is_imported_once(post):
    result = run(post, [wp(1), wp(1, content="Again")])
    assert result.created == 1
    assert result.skipped == [(1, "listed twice in the export")]


# Who wrote it --------------------------------------------------------------------------------


def test_commenters_are_found_by_email_whatever_its_case_and_never_confirmed(post):
    existing = Commenter.objects.create(email="maria@example.org", name="Maria here")
    comments = [
        wp(1, author="Maria WP", author_email="Maria@Example.ORG"),
        wp(2, author="Maria again", author_email="maria@example.org "),
        wp(3, author="Jo", author_email="JO@example.org"),
        wp(4, author="Jo", author_email="jo@example.org"),
        wp(5, author_email=""),
        wp(6, author_email="not an email"),
        wp(7, author_email="a@" + "b" * 300 + ".org"),
    ]
    result = run(post, comments)
    assert ours(result, 1).commenter == ours(result, 2).commenter == existing
    existing.refresh_from_db()
    assert existing.name == "Maria here"  # the name they use here is theirs
    jo = Commenter.objects.get(email="jo@example.org")
    assert ours(result, 3).commenter == ours(result, 4).commenter == jo
    assert jo.confirmed_at is None and existing.confirmed_at is None
    assert [ours(result, n).commenter for n in (5, 6, 7)] == [None, None, None]
    assert Commenter.objects.count() == 2


def test_a_comment_by_a_wordpress_user_is_a_readers_comment_under_their_name(post):
    result = run(post, [wp(1, author="Dr Jane Smith", user_id=2)])
    comment = ours(result, 1)
    assert comment.staff_user is None
    assert comment.author_name == "Dr Jane Smith"
    assert any("WordPress accounts are not linked to staff accounts" in n for n in result.notes)


def test_the_duplicate_check_sees_imported_comments_as_a_new_one_would(post):
    from comments.checks import content_hash

    comment = ours(run(post, [wp(1, author_email="Sam@Example.net", content="Same text")]), 1)
    assert comment.content_hash == content_hash("sam@example.net", "Same text")
    assert comment.ip_hash == ""  # the export's IP address is never stored


# Running again -------------------------------------------------------------------------------


def thread(n=5):
    return [wp(1)] + [wp(i, parent=1) for i in range(2, n + 1)]


def test_running_twice_creates_nothing_twice(post):
    first = run(post, thread())
    again = run(post, thread(), known=first.ids)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert again.ids == first.ids
    assert Comment.objects.filter(post=post).count() == 5
    assert Commenter.objects.count() == 5


def test_running_again_after_an_edit_in_wordpress_updates_what_changed(post):
    first = run(post, thread())
    edited = thread()
    edited[1].content = "Corrected text."
    edited[2].approved = "spam"
    edited[3].author = "New name"
    edited.append(wp(6, parent=5))  # a new reply to a comment of the first run
    again = run(post, edited, known=first.ids)
    assert (again.created, again.updated, again.unchanged) == (1, 3, 2)
    assert ours(again, 2).body == "Corrected text."
    assert ours(again, 3).status == Comment.Status.SPAM
    assert ours(again, 4).author_name == "New name"
    assert parent_wp_id(again, 6) == 5


def test_a_comment_deleted_here_is_not_brought_back(post):
    first = run(post, thread(3))
    ours(first, 2).delete()
    again = run(post, thread(3), known=first.ids)
    assert again.skipped == [(2, DELETED_HERE)]
    assert again.created == 0
    assert Comment.objects.filter(post=post).count() == 2
    assert 2 not in again.ids


def test_a_decision_made_here_stands_when_wordpress_did_not_change_its_mind(post, moderator):
    comments = [wp(1, approved="0"), wp(2), wp(3)]
    first = run(post, comments, known={})
    moderate(Comment.objects.filter(pk=first.ids[1]), "approve", by=moderator)
    moderate(Comment.objects.filter(pk=first.ids[2]), "spam", by=moderator)
    remove_comment(ours(first, 3))
    again = run(post, comments, known=first.ids)
    assert ours(again, 1).status == Comment.Status.APPROVED
    assert ours(again, 2).status == Comment.Status.SPAM
    assert ours(again, 3).status == Comment.Status.REMOVED
    assert ours(again, 3).body == ""
    assert (again.updated, again.unchanged) == (0, 3)


@pytest.fixture
def moderator(make_user):
    return make_user("moderator", is_staff=True)


# Side effects and cost ----------------------------------------------------------------------


def test_nothing_is_sent_and_no_task_is_enqueued(post, django_capture_on_commit_callbacks):
    enqueued = []

    def record(sender, task_result, **kwargs):
        enqueued.append(task_result.task)

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = run(post, thread() + [wp(9, content="I want to die", approved="0")])
            comments = thread()
            comments[0].content = "Edited"
            run(post, comments, known=first.ids)
    finally:
        task_enqueued.disconnect(record)
    assert mail.outbox == []
    assert enqueued == []
    assert not Comment.objects.filter(post=post, notify_replies=True).exists()
    assert not Comment.objects.filter(post=post, distress=True).exists()


def test_the_cached_thread_shows_the_imported_comments_at_once(
    post, settings, django_capture_on_commit_callbacks
):
    settings.COMMENT_THREAD_CACHE = True
    reader = Client()
    assert "No comments yet." in reader.get(post.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(
            post,
            [
                wp(1, content="Imported hello"),
                wp(2, type="pingback", author_url="https://a.example/"),
            ],
        )
    assert len(callbacks) == 1  # the caches are told once per post, not once per comment
    page = reader.get(post.url).content.decode()
    assert "Imported hello" in page
    assert 'id="mentions-heading"' in page
    assert "(1 comment)" in page


def test_an_unchanged_rerun_leaves_the_caches_alone(post, django_capture_on_commit_callbacks):
    first = run(post, thread())
    with django_capture_on_commit_callbacks() as callbacks:
        run(post, thread(), known=first.ids)
    assert callbacks == []


def many(n, domain="example.org"):
    """n comments: a quarter top-level, the rest replies; a few pings, some without email."""
    comments = []
    for i in range(1, n + 1):
        parent = None if i % 4 == 1 else i - 1
        fields = {"author_email": f"reader{i}@{domain}"}
        if i % 10 == 0:
            fields.update(type="pingback", author_url=f"https://s{i}.example/")
        if i % 7 == 0:
            fields["author_email"] = ""
        comments.append(wp(i, parent=parent, **fields))
    return comments


def queries_to_import(post, comments):
    with CaptureQueriesContext(connection) as queries:
        run(post, comments)
    return len(queries)


def test_the_cost_does_not_grow_with_the_number_of_comments(
    post, make_post, django_assert_max_num_queries
):
    few = queries_to_import(make_post(), many(5, domain="few.example"))
    assert queries_to_import(make_post(), many(50, domain="lots.example")) == few

    with django_assert_max_num_queries(10):
        result = run(post, many(50))
    assert result.created == 50
    edited = many(50)
    for comment in edited[::3]:
        comment.content += " (edited)"
    with django_assert_max_num_queries(10):
        again = run(post, edited, known=result.ids)
    assert (again.updated, again.unchanged) == (17, 33)


# A real export --------------------------------------------------------------------------------


def test_the_comments_of_a_real_export(post, client):
    from imports.wxr import parse

    item = next(
        record
        for record in parse(FIXTURE)
        if isinstance(record, records.Item) and any(c.id == 101 for c in record.comments)
    )
    result = run(post, item.comments)
    assert result.skipped == []
    assert result.created == len(item.comments)
    assert parent_wp_id(result, 103) == 102
    assert ours(result, 104).status == Comment.Status.PENDING
    assert ours(result, 105).status == Comment.Status.SPAM
    assert ours(result, 106).kind == Comment.Kind.PINGBACK
    assert ours(result, 107).kind == Comment.Kind.TRACKBACK
    assert ours(result, 101).body.startswith("Excellent summary. In our centre")

    page = BeautifulSoup(client.get(post.url).content.decode(), "html.parser")
    assert page.find(class_="comments__count").get_text() == "(3 comments)"
    mentions = page.find("ol", class_="comment-list--mentions").find_all("li", class_="mention")
    assert [m["id"] for m in mentions] == [ours(result, 106).anchor, ours(result, 107).anchor]
    assert "Portugal" not in page.get_text() and "cheap meds" not in page.get_text()

    again = run(post, item.comments, known=result.ids)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(item.comments))
