"""A subscriber's own data: downloading everything we hold, and erasing it so that what stays
names nobody."""

import json
import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from subscriptions import preferences, privacy, services
from subscriptions.models import ConsentRecord, Delivery, Mailing, Subscriber, Suppression
from subscriptions.tests.pages import post_form

pytestmark = pytest.mark.django_db

ADDRESS = "reader@example.org"


@pytest.fixture
def subscriber(site_tree, topic):
    services.request_subscription(ADDRESS, ip_hash="a" * 64, source_path="/blog/a-post/")
    subscriber = Subscriber.objects.get()
    services.confirm_subscription(subscriber, ip_hash="b" * 64)
    preferences.update_preferences(subscriber, topics=[topic], frequency="weekly", ip_hash="")
    subscriber.refresh_from_db()
    return subscriber


@pytest.fixture
def sent_alert(subscriber, make_post):
    post = make_post(title="New trial results")
    mailing = Mailing.objects.create(key="alert-test", kind=Mailing.Kind.ALERT, post=post)
    return Delivery.objects.create(
        mailing=mailing, subscriber=subscriber, status=Delivery.Status.SENT, sent_at=timezone.now()
    )


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")


def manage_url(subscriber):
    return reverse("subscriptions:manage", args=[services.make_token("manage", subscriber)])


def text_in_database(needle):
    """Every stored text value that contains needle, across every table of the project."""
    found = []
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
        ]
        for field in fields:
            query = {f"{field}__icontains": needle}
            if model._default_manager.filter(**query).exists():
                found.append(f"{model._meta.label}.{field}")
    return found


# Download


def test_export_lists_the_address_choices_dates_ledger_and_emails(subscriber, sent_alert, topic):
    data = privacy.export_data(subscriber)
    assert data["email"] == ADDRESS
    assert data["status"] == "confirmed" and data["frequency"] == "weekly"
    assert data["topics"] == [topic.name]
    assert data["paused"] is False and data["address_change_waiting"] is None
    assert data["confirmed_at"]
    assert [line["action"] for line in data["consent_ledger"]] == [
        "subscribe",
        "confirm",
        "preferences",
    ]
    assert data["consent_ledger"][0]["page"] == "/blog/a-post/"
    assert data["consent_ledger"][0]["wording_version"] == services.WORDING_VERSION
    [email] = data["emails"]
    assert email["post"] == "New trial results" and email["status"] == "sent"
    assert email["url"].startswith("http")
    json.dumps(data)  # ready to be a file


def test_download_gives_a_json_file_of_everything_we_hold(subscriber, sent_alert, browser):
    response = post_form(browser, manage_url(subscriber), {"action": "download"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="cancer-blog-email-alerts.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data == {**privacy.export_data(subscriber), "exported_at": data["exported_at"]}


def test_download_needs_the_page_token_and_the_link(subscriber, browser):
    assert browser.post(manage_url(subscriber), {"action": "download"}).status_code == 403
    assert Client().post("/subscribe/manage/forged/", {"action": "download"}).status_code == 404


def test_someone_who_left_can_still_download_their_data(subscriber, browser):
    services.unsubscribe(subscriber, ip_hash="")
    response = post_form(browser, manage_url(subscriber), {"action": "download"})
    assert json.loads(response.content)["status"] == "unsubscribed"


# Erasure


def test_the_erase_link_only_shows_a_confirm_step(subscriber, browser):
    url = manage_url(subscriber) + "erase/"
    response = browser.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Erase your subscription data?" in html
    assert "This cannot be undone." in html and ADDRESS in html
    assert '<label for="id_confirm">' in html
    assert ">Erase my data</button>" in html and ">Download my data</button>" in html
    assert "No, keep my subscription" in html
    assert "no-store" in response["Cache-Control"]
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_erasing_without_the_tick_changes_nothing(subscriber, browser):
    url = manage_url(subscriber) + "erase/"
    records = ConsentRecord.objects.count()
    for data in ({}, {"confirm": ""}):
        response = post_form(browser, url, data)
        html = response.content.decode()
        assert response.status_code == 400
        assert 'id="id_confirm-error">Tick the box to confirm' in html
        assert 'aria-describedby="id_confirm-error"' in html
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert ConsentRecord.objects.count() == records


def test_erasing_needs_the_csrf_token(subscriber, browser):
    response = browser.post(manage_url(subscriber) + "erase/", {"confirm": "yes"})
    assert response.status_code == 403
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_erasing_forgets_the_address_and_keeps_only_lines_that_name_nobody(
    subscriber, sent_alert, browser
):
    manage = manage_url(subscriber)
    stop = f"/subscribe/stop/{services.make_token('stop', subscriber)}/"
    lines_before = ConsentRecord.objects.count()

    response = post_form(browser, manage + "erase/", {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/subscribe/erased/"
    page = browser.get(response["Location"])
    html = page.content.decode()
    assert "Your subscription data is erased" in html
    assert f"Kept: {lines_before + 1} lines of the consent ledger" in html
    assert "1 record of emails sent, without any link to you" in html
    assert "do-not-send list" not in html.split("What stays")[1].split("</p>")[0]
    assert "no-store" in page["Cache-Control"]

    assert not Subscriber.objects.exists()
    assert text_in_database(ADDRESS) == []
    assert text_in_database("reader@") == []
    # The ledger keeps its lines, anonymous, plus one saying the erasure was asked for.
    assert ConsentRecord.objects.count() == lines_before + 1
    assert not ConsentRecord.objects.exclude(subscriber=None).exists()
    erase_line = ConsentRecord.objects.get(action=ConsentRecord.Action.ERASE)
    assert erase_line.email_hash == services.email_hash(ADDRESS)
    assert erase_line.ip_hash and "203.0.113.7" not in erase_line.ip_hash
    # The delivery stays for the mailing's counts, without anyone.
    sent_alert.refresh_from_db()
    assert sent_alert.subscriber is None and sent_alert.status == Delivery.Status.SENT
    # Every link that named the subscriber is dead.
    for url in (manage, manage + "erase/", stop):
        assert Client().post(url, {"confirm": "yes"}).status_code == 404
    assert ConsentRecord.objects.count() == lines_before + 1


def test_erasing_keeps_the_do_not_send_entry_of_an_address_that_bounced(subscriber, browser):
    Suppression.objects.create(email_hash=services.email_hash(ADDRESS), reason="hard bounce")
    Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.SUPPRESSED)
    page = browser.get(manage_url(subscriber))
    assert "We no longer send to this address." in page.content.decode()

    response = post_form(browser, manage_url(subscriber) + "erase/", {"confirm": "yes"})
    html = browser.get(response["Location"]).content.decode()
    assert "a keyed hash of the address on our do-not-send list" in html
    assert Suppression.objects.filter(email_hash=services.email_hash(ADDRESS)).exists()
    assert not Subscriber.objects.exists()


def test_erasing_also_forgets_an_address_change_waiting_for_confirmation(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        preferences.request_address_change(subscriber, "next@example.org")
    link = re.search(r"/subscribe/address/[^\s]+/", mailoutbox[0].body).group(0)
    post_form(browser, manage_url(subscriber) + "erase/", {"confirm": "yes"})
    assert text_in_database("next@example.org") == []
    assert Client().post(link).status_code == 404


def test_erase_returns_what_stays(subscriber, sent_alert):
    lines = ConsentRecord.objects.filter(subscriber=subscriber).count()
    kept = privacy.erase(subscriber, ip_hash="")
    assert kept == {"consent_lines": lines + 1, "deliveries": 1, "suppressed": False}


def test_the_erased_page_without_an_erasure_says_what_erasure_keeps(site_tree):
    html = Client().get("/subscribe/erased/").content.decode()
    assert "Lines of the consent ledger that name the address only by a keyed hash" in html
