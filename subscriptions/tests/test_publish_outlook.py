"""Publishing tells the editor what it set off: whether an email alert goes out and to how many;
an alert can be previewed and tried on oneself first; a post titled like a draft asks first;
the alert is in the post's history, scheduled publications included."""

import time

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from blog.services import schedule_post
from blog.tests.test_editing import edit_form_data
from subscriptions.models import Delivery, Mailing, Subscriber

# Mailings go out only with the organisation's postal address set (EU law).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postal_address")]

PUBLISH = {"action-publish": "action-publish", "send_alert": "on"}


@pytest.fixture
def subscribers():
    now = timezone.now()
    for n, frequency in enumerate(["instant", "instant", "weekly"]):
        Subscriber.objects.create(
            email=f"reader{n}@example.org",
            status=Subscriber.Status.CONFIRMED,
            confirmed_at=now,
            frequency=frequency,
        )


@pytest.fixture
def editor(client, make_user):
    user = make_user("editor", "Editors")
    client.force_login(user)
    return user


def publish(client, post, **overrides):
    return client.post(
        f"/admin/pages/{post.pk}/edit/", edit_form_data(post, **{**PUBLISH, **overrides})
    )


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_publishing_says_how_many_subscribers_the_alert_goes_to(
    client, editor, make_post, subscribers, django_capture_on_commit_callbacks
):
    post = make_post(title="New trial opens", publish=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = publish(client, post)

    assert response.status_code == 302, response.content[:2000]
    assert "An email alert is going out to 2 subscribers." in said(response)
    entry = PageLogEntry.objects.get(page=post, action="cancerblog.email_alert")
    assert entry.data == {"recipients": 2}
    history = client.get(f"/admin/pages/{post.pk}/history/").content.decode()
    assert "Email alert sent to 2 subscribers" in history


def test_publishing_without_an_alert_says_so(client, editor, make_post, subscribers):
    post = make_post(title="A correction", publish=False)

    response = publish(client, post, send_alert="")

    assert "No email alert: The editor chose to send no alert." in said(response)


def test_scheduling_says_who_would_get_the_alert_and_when(client, editor, make_post, subscribers):
    post = make_post(title="Embargoed interview", publish=False)
    go_live = timezone.localtime() + timezone.timedelta(days=2)

    response = publish(client, post, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))

    message = " ".join(said(response))
    assert "An email alert will go to 2 subscribers when it goes live on" in message
    assert not Mailing.objects.filter(key=f"alert:{post.pk}").exists()


def test_a_scheduled_publication_leaves_its_alert_in_the_history(
    make_post, subscribers, django_capture_on_commit_callbacks
):
    post = make_post(title="Embargoed interview", publish=False)
    schedule_post(post, timezone.now() + timezone.timedelta(seconds=1))
    time.sleep(1.1)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)

    entry = PageLogEntry.objects.get(page=post, action="cancerblog.email_alert")
    assert entry.data == {"recipients": 2}


@pytest.mark.parametrize("title", ["Draft: new trial", "TEST post", "Copy of Fatigue after cancer"])
def test_a_title_that_looks_unfinished_asks_before_the_alert_goes_out(
    client, editor, make_post, subscribers, title
):
    post = make_post(title="Working title", publish=False)

    response = publish(client, post, title=title)

    assert response.status_code == 200
    assert "publishing emails it to subscribers" in response.content.decode()
    post.refresh_from_db()
    assert not post.live
    assert not Mailing.objects.filter(key=f"alert:{post.pk}").exists()

    response = publish(client, post, title=title, publish_anyway="on")

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.live and post.title == title


@pytest.mark.parametrize(
    ("title", "overrides"),
    [
        ("Drafting a care plan together", {}),  # a word, not the marker
        ("Draft: new trial", {"send_alert": ""}),  # no alert, nothing to warn about
        ("Testimonials from the day unit", {}),
    ],
)
def test_no_warning_when_no_unfinished_alert_would_go_out(
    client, editor, make_post, title, overrides
):
    post = make_post(title="Working title", publish=False)

    response = publish(client, post, title=title, **overrides)

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.live


def test_saving_a_draft_titled_draft_is_never_held(client, editor, make_post):
    post = make_post(title="Working title", publish=False)
    data = edit_form_data(post, title="Draft: new trial", send_alert="on")

    response = client.post(f"/admin/pages/{post.pk}/edit/", data)

    assert response.status_code == 302


def test_the_preview_shows_the_alert_of_the_latest_draft(client, editor, make_post, subscribers):
    post = make_post(title="Old title", publish=False)
    post.title = '<img src=x onerror="alert(1)"> New title'
    post.save_revision()

    html = client.get(f"/admin/email-alerts/preview/{post.pk}/").content.decode()

    assert "New on The Cancer Blog: &lt;img src=x" in html
    assert "<img src=x" not in html
    assert 'sandbox srcdoc="' in html
    assert "An email alert will go to 2 subscribers when it is first published" in html
    assert (
        f"/admin/email-alerts/preview/{post.pk}/"
        in client.get(f"/admin/pages/{post.pk}/edit/").content.decode()
    )


def test_send_me_a_test_mails_only_the_editor_and_records_no_mailing(
    client, editor, make_post, subscribers
):
    post = make_post(title="New trial opens", publish=False)

    assert client.get(f"/admin/email-alerts/test/{post.pk}/").status_code == 405
    response = client.post(f"/admin/email-alerts/test/{post.pk}/")

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    assert mail.outbox[0].subject == "[Test] New on The Cancer Blog: New trial opens"
    assert "reader0@example.org" not in mail.outbox[0].body
    assert not Mailing.objects.exists() and not Delivery.objects.exists()


def test_who_cannot_edit_the_post_cannot_preview_or_send_its_alert(client, make_user, make_post):
    post = make_post(publish=False)
    client.force_login(make_user("moderator", "Moderators"))

    assert client.get(f"/admin/email-alerts/preview/{post.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/email-alerts/test/{post.pk}/").status_code in (302, 403)
    assert not mail.outbox
