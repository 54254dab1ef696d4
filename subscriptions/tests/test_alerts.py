"""Alerts about new posts: who gets one, when, what it looks like, and never twice."""

import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.services import add_post, publish_due_posts, schedule_post
from subscriptions import alerts, sending
from subscriptions.models import Delivery, Mailing, Subscriber

# Mailings go out only with the organisation's postal address set (EU law).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postal_address")]


def subscribe(email, *, frequency="instant", topics=(), **fields):
    fields.setdefault("status", Subscriber.Status.CONFIRMED)
    subscriber = Subscriber.objects.create(email=email, frequency=frequency, **fields)
    subscriber.choose(topics=topics)
    return subscriber


@pytest.fixture
def publish(make_post, django_capture_on_commit_callbacks):
    """Publish a post now, running the tasks its publication enqueues."""

    def run(**kwargs):
        kwargs.setdefault("at", None)
        with django_capture_on_commit_callbacks(execute=True):
            return make_post(**kwargs)

    return run


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_a_first_publication_alerts_every_confirmed_instant_subscriber_once(publish, mailoutbox):
    subscribe("ana@example.org")
    subscribe("ben@example.org")
    subscribe("pending@example.org", status=Subscriber.Status.PENDING)
    subscribe("left@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    subscribe("bounced@example.org", status=Subscriber.Status.SUPPRESSED)
    subscribe("paused@example.org", paused=True)
    subscribe("weekly@example.org", frequency="weekly")

    post = publish(title="New results in lung cancer screening")

    assert recipients(mailoutbox) == ["ana@example.org", "ben@example.org"]
    assert all(
        m.subject == "New on The Cancer Blog: New results in lung cancer screening"
        for m in mailoutbox
    )
    mailing = Mailing.objects.get(post=post)
    assert mailing.status == Mailing.Status.DONE
    assert sorted(Delivery.objects.filter(mailing=mailing).values_list("status", flat=True)) == [
        "sent",
        "sent",
    ]


def test_edits_and_republishing_send_nothing_more(
    publish, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("ana@example.org")
    post = publish()
    assert len(mailoutbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        post.standfirst = "A corrected standfirst."
        post.save_revision().publish()
        post.unpublish()
        post.save_revision().publish()

    assert len(mailoutbox) == 1
    assert Mailing.objects.filter(post=post).count() == 1


def test_a_scheduled_post_alerts_when_it_goes_live_not_before(
    blog_index, contributor, topic, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        post = add_post(
            blog_index,
            title="Scheduled",
            standfirst="Out later.",
            contributors=[contributor],
            publish=False,
        )
        go_live_at = timezone.now() + timezone.timedelta(seconds=3)
        schedule_post(post, go_live_at)
    assert [m.subject for m in mailoutbox] == []
    assert not Mailing.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        publish_due_posts()  # too early
    assert mailoutbox == []

    time.sleep(max(0, (go_live_at - timezone.now()).total_seconds()) + 0.1)
    with django_capture_on_commit_callbacks(execute=True):
        publish_due_posts()

    assert recipients(mailoutbox) == ["ana@example.org"]
    assert "Scheduled" in mailoutbox[0].subject


def test_subscribers_who_chose_topics_get_only_posts_in_them(
    publish, mailoutbox, topic, contributor
):
    from blog.models import Topic

    screening = Topic.objects.create(name="Screening", slug="screening")
    subscribe("all@example.org")
    subscribe("immuno@example.org", topics=[topic])
    subscribe("screening@example.org", topics=[screening])
    subscribe("both@example.org", topics=[topic, screening])

    publish(topics=[topic])
    assert recipients(mailoutbox) == [
        "all@example.org",
        "both@example.org",
        "immuno@example.org",
    ]
    mailoutbox.clear()

    publish(topics=[])
    assert recipients(mailoutbox) == ["all@example.org"]


def test_a_deleted_topic_or_author_never_widens_a_follower_to_every_post(
    publish, mailoutbox, topic, contributor, client
):
    """Someone who followed only "Screening" chose not to read about everything else: when
    that topic is deleted they get nothing more, and their preferences page says so."""
    from blog.models import Contributor, Topic
    from subscriptions import preferences, privacy

    screening = Topic.objects.create(name="Screening", slug="screening")
    guest = Contributor.objects.create(name="Dr Guest", slug="dr-guest", kind="guest")
    subscribe("all@example.org")
    only_topic = subscribe("screening@example.org", topics=[screening])
    only_author = subscribe("guest@example.org")
    only_author.choose(contributors=[guest])
    screening.delete()
    guest.delete()

    publish(topics=[topic])
    assert recipients(mailoutbox) == ["all@example.org"]
    for subscriber in (only_topic, only_author):
        subscriber.refresh_from_db()
        assert not subscriber.everything
        assert privacy.export_data(subscriber)["topics"] == []
        page = client.get(preferences.manage_path(subscriber)).content.decode()
        assert "no alerts come to you for now" in page
    # Choosing all topics again is theirs to do.
    preferences.update_preferences(only_topic, topics=[], frequency="instant", ip_hash="")
    mailoutbox.clear()
    publish(topics=[topic])
    assert recipients(mailoutbox) == ["all@example.org", "screening@example.org"]


def test_an_editor_can_publish_without_an_alert_and_the_choice_is_recorded(publish, mailoutbox):
    subscribe("ana@example.org")
    post = publish(title="Correction to last week's post", send_alert=False)

    assert mailoutbox == []
    mailing = Mailing.objects.get(post=post)
    assert mailing.status == Mailing.Status.SKIPPED
    assert "no alert" in mailing.note


def test_a_back_dated_post_is_not_news_and_sends_nothing(publish, mailoutbox):
    subscribe("ana@example.org")
    publish(at=timezone.now() - timezone.timedelta(days=30))

    assert mailoutbox == []
    assert not Mailing.objects.exists()


def test_an_alert_is_personal_with_plain_text_html_and_one_click_unsubscribe_headers(
    publish, mailoutbox, settings
):
    settings.DEFAULT_FROM_EMAIL = "The Cancer Blog <alerts@cancerblog.example>"
    ana = subscribe("ana@example.org")
    subscribe("ben@example.org")
    post = publish(title="Living with fatigue", standfirst="What helps, and what does not.")

    message = next(m for m in mailoutbox if m.to == ["ana@example.org"])
    other = next(m for m in mailoutbox if m.to == ["ben@example.org"])
    headers = message.message()
    assert headers["From"] == "The Cancer Blog <alerts@cancerblog.example>"
    assert headers["Date"]
    assert re.fullmatch(r"<alert\.\d+\.\d+@cancerblog\.example>", headers["Message-ID"])
    assert headers["Message-ID"] != other.message()["Message-ID"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop_url = re.fullmatch(r"<(http://[^>]+/subscribe/stop/[^>]+/)>", headers["List-Unsubscribe"])
    assert stop_url, headers["List-Unsubscribe"]
    stop_url = stop_url.group(1)

    html = message.alternatives[0].content
    assert post.title in message.body and post.title in html
    assert "What helps, and what does not." in message.body
    assert f"http://127.0.0.1:8000{post.url}" in message.body
    assert "ana@example.org" in message.body and "ana@example.org" in html
    assert stop_url in message.body and stop_url in html  # a visible unsubscribe link
    assert "/subscribe/manage/" in message.body
    assert stop_url not in other.body

    # RFC 8058: the mail client POSTs with no cookie and no CSRF token.
    client = Client(enforce_csrf_checks=True)
    path = stop_url.removeprefix("http://127.0.0.1:8000")
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    ana.refresh_from_db()
    assert ana.status == Subscriber.Status.UNSUBSCRIBED


def test_markup_in_a_title_is_text_in_the_alert(publish, mailoutbox):
    subscribe("ana@example.org")
    publish(title='<script>alert("x")</script> & <b>bold</b>', standfirst="<img src=x onerror=y>")

    message = mailoutbox[0]
    html = message.alternatives[0].content
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "\n" not in message.subject
    assert '<script>alert("x")</script>' in message.subject  # plain text stays as typed


def test_someone_who_leaves_before_their_turn_is_skipped(publish, mailoutbox, make_post):
    ana = subscribe("ana@example.org")
    post = make_post(at=None)  # published, tasks not run yet
    mailing = Mailing.objects.get(post=post)
    alerts.prepare(mailing.pk)
    Subscriber.objects.filter(pk=ana.pk).update(status=Subscriber.Status.UNSUBSCRIBED)

    sending.send_mailing(mailing.pk)

    assert mailoutbox == []
    assert Delivery.objects.get(mailing=mailing).status == Delivery.Status.SKIPPED


def test_preparing_recipients_takes_the_same_queries_for_10_or_200_subscribers(make_post):
    def prepared_with(count):
        Subscriber.objects.all().delete()
        Subscriber.objects.bulk_create(
            Subscriber(email=f"s{count}-{n}@example.org", status=Subscriber.Status.CONFIRMED)
            for n in range(count)
        )
        mailing = Mailing.objects.get(post=make_post(at=None))
        with CaptureQueriesContext(connection) as queries:
            assert alerts.prepare(mailing.pk) == count
        return len(queries)

    assert prepared_with(10) == prepared_with(200)


def test_preparing_twice_adds_no_second_row(make_post):
    subscribe("ana@example.org")
    mailing = Mailing.objects.get(post=make_post(at=None))
    alerts.prepare(mailing.pk)
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.PREPARING)
    alerts.prepare(mailing.pk)

    assert Delivery.objects.filter(mailing=mailing).count() == 1
