"""Keeping the conversation safe: privacy guard, distress signposting, reports, anti-spam."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from comments.checks import hash_ip, privacy_warnings
from comments.forms import started_token
from comments.models import Block, Comment, Commenter, CommentReport
from comments.tests.commenting import (
    comment_url,
    confirm_path,
    form_data,
    post_confirm_and_approve,
    published,
    rules,
)
from core.tests.limits import all_limits_expire

pytestmark = pytest.mark.django_db


def nothing_stored():
    return not Comment.objects.exists() and not Commenter.objects.exists()


# Privacy guard


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("Ring me on +44 20 7946 0958 if you want to talk.", "a phone number"),
        ("My number is 06 12 34 56 78.", "a phone number"),
        ("Write to me at jane.doe@example.org please.", "an email address"),
        ("Our support group meets at 12 Baker Street on Tuesdays.", "a street address"),
        ("Come to Via Roma 12, we meet on Fridays.", "a street address"),
        ("Anna has breast cancer and is scared.", "someone else's diagnosis"),
        ("My neighbour Peter Jones was diagnosed with leukaemia.", "someone else's diagnosis"),
    ],
)
def test_personal_information_is_explained_and_needs_confirming(client, make_post, body, what):
    post = make_post()
    response = client.post(comment_url(post), form_data(body=body))
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    warning = page.find(class_="callout--warning")
    assert warning is not None and warning["role"] == "alert"
    assert what in warning.get_text().replace("&#x27;", "'")
    assert 'press "Post comment" again' in warning.get_text()
    assert page.find("input", attrs={"name": "privacy_checked"})["value"] == "on"
    assert page.find("textarea").get_text() == body, "the comment is kept for the writer"
    assert nothing_stored()

    # Posting again as it is, after the warning, stores it.
    response = client.post(comment_url(post), form_data(body=body, privacy_checked="on"))
    assert response.status_code == 302
    assert Comment.objects.get().body == body


@pytest.mark.parametrize(
    "body",
    [
        "In 2024 I was diagnosed with stage 3 breast cancer.",
        "From 2019-2024 I had six rounds of chemotherapy.",
        "I started on 12.03.2024 and I am still here.",
        "I take 5 mg twice a day; 80% of patients respond and 1 in 2 people get cancer.",
        "Doses of 200 mg via infusion every 3 weeks for 2 years.",
        "It is a 2 hour drive to the clinic, 3 years on a long road.",
        "Immunotherapy has changed lung cancer care.",
        "Research has shown that cancer screening works.",
        "She has breast cancer. Mum has stage 4 bowel cancer.",
        "ECOG 0-1, PD-L1 above 50%, stage IIIb, 1,200 patients in 14 countries.",
        "Dr Smith has treated my cancer well.",
    ],
)
def test_ordinary_comments_are_not_flagged(client, make_post, body):
    assert privacy_warnings(body) == []
    post = make_post()
    response = client.post(comment_url(post), form_data(body=body))
    assert response.status_code == 302


# Distress signposting


@pytest.fixture
def moderators(db):
    User = get_user_model()
    people = {
        "mod": User.objects.create_user("mod", email="mod@example.org", password="x"),
        "editor": User.objects.create_user("editor", email="editor@example.org", password="x"),
        "no_email": User.objects.create_user("quiet", email="", password="x"),
        "reader": User.objects.create_user("reader", email="reader@example.org", password="x"),
    }
    people["mod"].groups.add(Group.objects.get_or_create(name="Moderators")[0])
    people["editor"].groups.add(Group.objects.get_or_create(name="Editors")[0])
    people["no_email"].groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return people


def test_a_comment_in_distress_shows_support_at_once_is_held_and_alerts_moderators(
    client, make_post, moderators, django_capture_on_commit_callbacks
):
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            comment_url(post),
            form_data(body="Since the scan I feel like I want to die. No one understands."),
            follow=True,
        )
    text = response.content.decode()
    assert "Thank you for telling us how you feel" in text
    assert "116 123" in text and "112" in text
    comment = Comment.objects.get()
    assert comment.distress
    alerts = [m for m in mail.outbox if "distress" in m.subject]
    assert sorted(m.to[0] for m in alerts) == ["editor@example.org", "mod@example.org"]
    assert comment.body in alerts[0].body

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path(next(m for m in mail.outbox if "Confirm" in m.subject)))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "distress" in comment.hold_reason


def test_distress_is_held_even_for_a_trusted_commenter(
    client, make_post, moderators, django_capture_on_commit_callbacks
):
    post = make_post()
    post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            comment_url(post), form_data(body="I keep thinking about suicide."), follow=True
        )
    assert "Thank you for telling us how you feel" in response.content.decode()
    comment = Comment.objects.get(body="I keep thinking about suicide.")
    assert comment.status == Comment.Status.PENDING
    assert comment.body not in client.get(post.url).content.decode()
    assert any("distress" in m.subject for m in mail.outbox)


def test_distress_phrases_and_support_text_are_editable(
    client, make_post, moderators, django_capture_on_commit_callbacks
):
    rules(
        distress_phrases="no way out\nI can't go on", support_text="Call our nurses on 0800 11 22."
    )
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            comment_url(post), form_data(body="Honestly I   CAN'T go on like this."), follow=True
        )
    assert "Call our nurses on 0800 11 22." in response.content.decode()
    assert Comment.objects.get().distress

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            comment_url(post),
            form_data(email="jon@example.org", body="My dad was suicidal after his diagnosis."),
            follow=True,
        )
    assert "Thank you for telling us how you feel" not in response.content.decode()
    assert not Comment.objects.get(author_name="Maria", body__startswith="My dad").distress


# Reports


def test_every_comment_has_a_report_link_with_the_four_reasons(client, make_post):
    post = make_post()
    comments = [published(post, body=f"Comment {n}.") for n in range(3)]
    page = BeautifulSoup(client.get(post.url).content.decode(), "html.parser")
    for comment in comments:
        link = page.find(id=comment.anchor).find("a", href=f"/comments/{comment.pk}/report/")
        assert link is not None and link.get_text().startswith("Report")
    form = BeautifulSoup(
        client.get(f"/comments/{comments[0].pk}/report/").content.decode(), "html.parser"
    )
    reasons = [radio["value"] for radio in form.find_all("input", attrs={"name": "reason"})]
    assert reasons == ["spam", "abuse", "misinformation", "privacy"]
    assert form.find("legend").get_text() == "What is wrong with this comment?"


def test_the_same_reader_reporting_twice_counts_once(client, make_post):
    rules(report_threshold=2)
    post = make_post()
    comment = published(post)
    for reason in ("abuse", "spam"):
        response = client.post(
            f"/comments/{comment.pk}/report/", {"reason": reason}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 200
        assert "Thank you for your report" in response.content.decode()
    comment.refresh_from_db()
    assert comment.report_count == 1 and CommentReport.objects.count() == 1
    assert comment.status == Comment.Status.APPROVED
    assert CommentReport.objects.get().ip_hash == hash_ip("10.0.0.1")


def test_enough_distinct_readers_hide_a_comment_pending_review(client, make_post):
    rules(report_threshold=3)
    post = make_post()
    comment = published(post, body="You should stop chemo and drink juice.")
    for n, reason in enumerate(("misinformation", "misinformation"), start=1):
        client.post(
            f"/comments/{comment.pk}/report/", {"reason": reason}, REMOTE_ADDR=f"10.0.0.{n}"
        )
    assert comment.body in client.get(post.url).content.decode()
    client.post(f"/comments/{comment.pk}/report/", {"reason": "abuse"}, REMOTE_ADDR="10.0.0.3")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.report_count == 3 and comment.hold_reason == "reported by 3 readers"
    assert comment.body not in client.get(post.url).content.decode()
    assert client.get(f"/comments/{comment.pk}/report/").status_code == 404


def test_a_report_without_a_valid_reason_is_refused(client, make_post):
    post = make_post()
    comment = published(post)
    response = client.post(f"/comments/{comment.pk}/report/", {"reason": "boring"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not CommentReport.objects.exists()


# Anti-spam


def test_a_filled_in_honeypot_is_refused_and_nothing_is_stored(client, make_post):
    post = make_post()
    response = client.post(comment_url(post), form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "Your comment could not be posted." in response.content.decode()
    assert nothing_stored()
    assert not mail.outbox


@pytest.mark.parametrize(
    "started",
    [
        None,
        "",
        "forged:token",
        "now",
    ],
)
def test_a_form_sent_too_fast_or_without_its_start_time_is_refused(client, make_post, started):
    post = make_post()
    if started == "now":
        started = started_token()
    response = client.post(comment_url(post), form_data(started=started))
    assert response.status_code == 400
    assert "quicker than we expect" in response.content.decode()
    assert nothing_stored()
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert page.find("input", attrs={"name": "started"}).get("value"), "a fresh start time"


def test_the_minimum_time_is_configurable(client, make_post):
    rules(min_seconds_to_submit=0)
    post = make_post()
    response = client.post(comment_url(post), form_data(started=started_token()))
    assert response.status_code == 302


def test_too_many_comments_from_one_address_in_an_hour_are_refused(client, make_post):
    rules(max_per_hour_per_ip=2, max_per_hour_per_email=50)
    post = make_post()
    for n in range(2):
        response = client.post(
            comment_url(post),
            form_data(email=f"reader{n}@example.org", body=f"Comment {n}."),
            REMOTE_ADDR="10.1.1.1",
        )
        assert response.status_code == 302
    response = client.post(
        comment_url(post), form_data(email="reader9@example.org"), REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429
    assert "You have posted many comments in the last hour" in response.content.decode()
    assert Comment.objects.count() == 2
    other = client.post(
        comment_url(post), form_data(email="reader9@example.org"), REMOTE_ADDR="10.1.1.2"
    )
    assert other.status_code == 302


def test_too_many_comments_from_one_email_in_an_hour_are_refused(client, make_post):
    rules(max_per_hour_per_ip=50, max_per_hour_per_email=2)
    post = make_post()
    for n in range(2):
        response = client.post(
            comment_url(post), form_data(body=f"Comment {n}."), REMOTE_ADDR=f"10.2.0.{n}"
        )
        assert response.status_code == 302
    response = client.post(
        comment_url(post),
        form_data(email="MARIA@example.org", body="Third."),
        REMOTE_ADDR="10.2.0.9",
    )
    assert response.status_code == 429
    assert "Please try again later." in response.content.decode()
    assert Comment.objects.count() == 2
    all_limits_expire()
    response = client.post(comment_url(post), form_data(body="Third."), REMOTE_ADDR="10.2.0.9")
    assert response.status_code == 302, "the limit is per hour"


def test_a_comment_with_too_many_links_waits_for_a_moderator_even_when_trusted(
    client, make_post, django_capture_on_commit_callbacks
):
    rules(max_links=2)
    post = make_post()
    post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    client.post(comment_url(post), form_data(body="See https://a.example and www.b.example."))
    assert Comment.objects.get(body__startswith="See https").status == Comment.Status.APPROVED
    client.post(
        comment_url(post),
        form_data(body="Links: https://a.example https://b.example www.c.example"),
    )
    held = Comment.objects.get(body__startswith="Links:")
    assert held.status == Comment.Status.PENDING
    assert held.hold_reason == "more than 2 links"


def test_the_same_comment_twice_from_the_browser_that_proved_the_address_is_refused(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    response = client.post(
        comment_url(post), form_data(body="  THANK you for this clear   explanation. ")
    )
    assert response.status_code == 400
    assert "You have already posted this comment." in response.content.decode()
    assert Comment.objects.count() == 1


def test_the_same_comment_again_from_another_browser_is_kept_once_when_confirmed(
    client, make_post, django_capture_on_commit_callbacks
):
    """Another browser cannot be told that the address wrote this text: the comment is taken
    like any other and confirmed by email, and confirming finds it is the same comment."""
    post = make_post()
    first = post_confirm_and_approve(client, post, django_capture_on_commit_callbacks)
    other = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = other.post(comment_url(post), form_data(), follow=True)
    assert "Check your email" in response.content.decode()
    assert Comment.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = other.post(confirm_path(mail.outbox[-1]), follow=True)

    assert list(Comment.objects.values_list("pk", flat=True)) == [first.pk]
    assert "Your comment is published" in response.content.decode()
    assert first.body in client.get(post.url).content.decode()


def test_a_blocklisted_word_marks_the_comment_as_spam(
    client, make_post, django_capture_on_commit_callbacks
):
    rules(blocklist="Cheap pills\n  casino  ")
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            comment_url(post), form_data(body="Great post! Visit my CASINO today."), follow=True
        )
    assert response.status_code == 200
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "CASINO" not in client.get(post.url).content.decode()
    assert not mail.outbox, "no confirmation email is sent for spam"


def test_a_blocked_email_address_cannot_comment(client, make_post):
    Block.objects.create(email="troll@example.org", reason="abuse")
    post = make_post()
    response = client.post(comment_url(post), form_data(email="Troll@Example.org"))
    assert response.status_code == 400
    assert "You cannot comment on this blog." in response.content.decode()
    assert nothing_stored()


def test_a_blocked_ip_address_cannot_comment(client, make_post):
    Block.objects.create(ip_hash=hash_ip("10.9.9.9"))
    post = make_post()
    response = client.post(comment_url(post), form_data(), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 400
    assert "You cannot comment on this blog." in response.content.decode()
    assert nothing_stored()
    assert client.post(comment_url(post), form_data(), REMOTE_ADDR="10.9.9.8").status_code == 302


def test_ip_addresses_are_stored_only_as_keyed_hashes(client, make_post):
    post = make_post()
    client.post(comment_url(post), form_data(), REMOTE_ADDR="203.0.113.77")
    comment = Comment.objects.get()
    assert re.fullmatch(r"[0-9a-f]{64}", comment.ip_hash)
    assert comment.ip_hash == hash_ip("203.0.113.77") != hash_ip("203.0.113.78")
    stored = [
        *Comment.objects.values_list(),
        *Commenter.objects.values_list(),
    ]
    assert "203.0.113.77" not in repr(stored)

    published_comment = published(post)
    client.post(
        f"/comments/{published_comment.pk}/report/", {"reason": "spam"}, REMOTE_ADDR="203.0.113.77"
    )
    assert "203.0.113.77" not in repr(list(CommentReport.objects.values_list()))


def test_a_comment_cannot_be_posted_to_a_post_that_is_not_live(client, make_post):
    post = make_post()
    post.unpublish()
    assert client.post(comment_url(post), form_data()).status_code == 404
    assert client.post("/comments/post/999999/", form_data()).status_code == 404
    assert nothing_stored()


def test_writing_a_comment_sets_no_cookie_for_a_reader_who_only_reads(client, make_post):
    post = make_post()
    published(post)
    response = Client().get(post.url)
    assert not response.cookies
    assert 'name="csrfmiddlewaretoken" value=""' in response.content.decode()
    assert Client().get(post.url).content == response.content, "the same bytes for everyone"
