"""Many comments posted at once over real HTTP are all stored: no lock errors, nothing lost.

The server is Django's threaded live server, each request in its own thread with its own
database connection, as under a real multi-threaded server (see core/tests/parallel.py for how
the test database is shared with its threads on SQLite and PostgreSQL).
"""

import http.client
import json
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import pytest
from django.core import mail
from django.db import connection

from comments.tests.commenting import rules
from core.tests.parallel import at_once, in_fresh_thread, live_server_threads, shared_database

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_the_migrated_data_behind"),
]

WORKERS = 16


def post_comment(port, post_id, n, email):
    """What a browser does: fetch a token for the cached page, then post the form."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/comments/token/")
    response = conn.getresponse()
    token = json.loads(response.read())
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    conn.close()

    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token["csrf"],
            "started": token["started"],
            "name": f"Reader {n}",
            "email": email,
            "body": f"Comment number {n}: thank you for writing about this.",
            "website": "",
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        f"/comments/post/{post_id}/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            "Origin": f"http://127.0.0.1:{port}",
        },
    )
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    conn.close()
    return (
        response.status,
        response.getheader("Location") or "",
        text,
        time.perf_counter() - started,
    )


def post_all_at_once(port, post_id, emails):
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [
            pool.submit(post_comment, port, post_id, n, email) for n, email in enumerate(emails)
        ]
        return [future.result() for future in futures]


def test_200_comments_posted_at_once_are_all_stored(make_post, settings, tmp_path):
    from comments.models import Comment, Commenter

    post = make_post()
    rules(min_seconds_to_submit=0, max_per_hour_per_ip=10_000, max_per_hour_per_email=10_000)
    emails = [f"reader{n}@example.org" for n in range(200)]

    with shared_database(tmp_path), live_server_threads(settings) as (port, errors):
        started = time.perf_counter()
        results = post_all_at_once(port, post.pk, emails)
        elapsed = time.perf_counter() - started
        stored = in_fresh_thread(
            lambda: (
                Comment.objects.filter(post=post).count(),
                Commenter.objects.count(),
                set(Comment.objects.values_list("status", flat=True)),
                set(Comment.objects.values_list("commenter__email", flat=True)),
            )
        )

    statuses = [status for status, *_ in results]
    failures = [(status, text[:300]) for status, location, text, _ in results if status != 302]
    assert not failures, failures[:3]
    assert not errors, errors[:3]
    assert all("/comments/status/" in location for _, location, _, _ in results)
    assert not any("database is locked" in text for *_, text, _ in results)
    count, commenters, status_set, stored_emails = stored
    assert count == 200 and commenters == 200
    assert status_set == {Comment.Status.UNCONFIRMED}
    assert stored_emails == set(emails)
    confirmations = [m for m in mail.outbox if "Confirm" in m.subject]
    assert sorted(m.to[0] for m in confirmations) == sorted(emails), "one email each"
    slowest = max(seconds for *_, seconds in results)
    print(
        f"\n{connection.vendor}: {statuses.count(302)}/200 stored in {elapsed:.1f}s "
        f"with {WORKERS} threads (slowest request pair {slowest:.2f}s), "
        f"{len(confirmations)} confirmation emails, {len(errors)} server errors"
    )


def test_one_new_commenter_posting_from_several_tabs_at_once_is_one_commenter(
    make_post, settings, tmp_path
):
    from comments.models import Comment, Commenter

    post = make_post()
    rules(min_seconds_to_submit=0, max_per_hour_per_ip=10_000, max_per_hour_per_email=10_000)

    with shared_database(tmp_path), live_server_threads(settings) as (port, errors):
        results = post_all_at_once(port, post.pk, ["same@example.org"] * 32)
        stored = in_fresh_thread(
            lambda: (Comment.objects.filter(post=post).count(), Commenter.objects.count())
        )

    assert [status for status, *_ in results] == [302] * 32, [r[2][:300] for r in results]
    assert not errors, errors[:3]
    assert stored == (32, 1)


def fetch_form_token(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/comments/token/")
    response = conn.getresponse()
    token = json.loads(response.read())
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    conn.close()
    return token, cookies["csrftoken"].value


def send_form(port, post_id, token, csrf_cookie, n, email):
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token["csrf"],
            "started": token["started"],
            "name": f"Reader {n}",
            "email": email,
            "body": f"Comment number {n}: a different text each time.",
            "website": "",
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        f"/comments/post/{post_id}/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Origin": f"http://127.0.0.1:{port}",
        },
    )
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    conn.close()
    return response.status, text


def test_one_form_token_carries_one_comment_however_many_are_sent_at_once(
    make_post, settings, tmp_path
):
    """The attack: one token from /comments/token/ carried 30 comments in 1.2 s."""
    from comments.models import Comment

    post = make_post()
    rules(min_seconds_to_submit=0, max_per_hour_per_ip=10_000, max_per_hour_per_email=10_000)

    with shared_database(tmp_path), live_server_threads(settings) as (port, errors):
        token, csrf = fetch_form_token(port)
        results = at_once(
            lambda n: send_form(port, post.pk, token, csrf, n, f"reader{n}@example.org"), 30
        )
        stored = in_fresh_thread(lambda: Comment.objects.filter(post=post).count())

    assert not errors, errors[:3]
    statuses = [status for status, _ in results]
    assert statuses.count(302) == 1 and statuses.count(400) == 29, statuses
    assert all(
        "This form has already been sent" in text for status, text in results if status == 400
    )
    assert stored == 1
    assert len([m for m in mail.outbox if "Confirm" in m.subject]) == 1


def test_the_hourly_limit_holds_when_comments_arrive_together(make_post, settings, tmp_path):
    """Counting the hour's comments and then storing one let parallel posts overrun it."""
    from django.core.cache import cache

    from comments.models import Comment

    post = make_post()
    rules(min_seconds_to_submit=0, max_per_hour_per_ip=5, max_per_hour_per_email=10_000)

    def post_one(n):
        token, csrf = fetch_form_token(port)
        return send_form(port, post.pk, token, csrf, n, f"reader{n}@example.org")

    with shared_database(tmp_path), live_server_threads(settings) as (port, errors):
        results = at_once(post_one, 24)
        cache.clear()  # what a restart or a flush does: the limit must not forget
        later, _ = post_one(99)
        stored = in_fresh_thread(lambda: Comment.objects.filter(post=post).count())

    assert not errors, errors[:3]
    statuses = [status for status, _ in results]
    assert statuses.count(302) == 5 and statuses.count(429) == 19, statuses
    assert later == 429
    assert stored == 5


def test_each_notice_goes_out_once_when_many_workers_run_the_task_at_once(make_post, tmp_path):
    from django.core.cache import cache
    from django.utils import timezone

    from comments.models import Commenter, ConversationFollow
    from comments.tasks import notify_of_publication
    from comments.tests.commenting import published

    post = make_post()
    now = timezone.now()
    maria = Commenter.objects.create(email="maria@example.org", name="Maria", confirmed_at=now)
    jon = Commenter.objects.create(email="jon@example.org", name="Jon", confirmed_at=now)
    first = published(post, commenter=maria, name="Maria", notify_replies=True)
    reply = published(post, commenter=jon, name="Jon", parent=first, body="A reply.")
    followers = [f"follower{n}@example.org" for n in range(10)]
    for email in [*followers, "maria@example.org"]:
        ConversationFollow.objects.create(post=post, email=email, confirmed_at=now)

    with shared_database(tmp_path):
        sent = at_once(lambda n: notify_of_publication.call(reply.pk), 12)
        cache.clear()  # the claims used to live here
        sent_again = at_once(lambda n: notify_of_publication.call(reply.pk), 4)

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([*followers, "maria@example.org"]), "each address once"
    assert sum(sent) == 11 and sum(sent_again) == 0
    assert "Jon replied" in next(m for m in mail.outbox if m.to == ["maria@example.org"]).subject


def test_one_waiting_alert_when_several_schedulers_check_at_once(make_post, make_user, tmp_path):
    from django.core.cache import cache
    from django.utils import timezone

    from comments import moderation
    from comments.tests.commenting import published

    make_user("mod", "Moderators")
    make_user("editor", "Editors")
    post = make_post()
    published(post, status="pending", created_at=timezone.now() - timezone.timedelta(minutes=90))
    now = timezone.now()

    with shared_database(tmp_path):
        alerted = at_once(lambda n: moderation.alert_if_comments_waiting(now=now), 8)
        cache.clear()
        again = in_fresh_thread(
            lambda: moderation.alert_if_comments_waiting(now=now + timezone.timedelta(minutes=1))
        )

    assert alerted.count(True) == 1
    assert again is False
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@example.org", "mod@example.org"]
