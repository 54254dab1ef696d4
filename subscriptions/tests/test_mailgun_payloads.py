"""The Mailgun webhook against Mailgun's own payload shapes (fixtures/mailgun/, written after the
examples in Mailgun's webhook documentation, with our own addresses): each event does what the
README's "Bounces and complaints" says, once, and nothing unsigned, stale or re-signed does
anything."""

import copy
import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from subscriptions import bounces, services
from subscriptions.models import (
    ConsentRecord,
    Delivery,
    Mailing,
    Subscriber,
    Suppression,
    WebhookSignature,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "mailgun"
URL = "/anymail/mailgun/tracking/"
KEY = "7f3e9a1c5b2d8e4f6a0b3c7d9e1f2a4b-test-signing-key"
ADDRESS = "reader@example.org"
DELIVERY_PK = 4242  # the fixtures' user-variables name this delivery


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}


def payload(name, key=KEY, timestamp=None):
    """A fixture signed as Mailgun signs: HMAC-SHA256 of timestamp + token with the webhook
    signing key, hex. The timestamp is now unless given (the recorded ones are long past)."""
    body = json.loads((FIXTURES / f"{name}.json").read_text())
    block = body["signature"]
    block["timestamp"] = str(timestamp if timestamp is not None else int(time.time()))
    block["signature"] = hmac.new(
        key.encode(), (block["timestamp"] + block["token"]).encode(), hashlib.sha256
    ).hexdigest()
    return body


def post(body):
    return Client().post(URL, json.dumps(body), content_type="application/json")


@pytest.fixture
def subscriber():
    services.request_subscription(ADDRESS, ip_hash="")
    subscriber = Subscriber.objects.get(email=ADDRESS)
    services.confirm_subscription(subscriber, ip_hash="")
    return Subscriber.objects.get(pk=subscriber.pk)


@pytest.fixture
def delivery(subscriber):
    mailing = Mailing.objects.create(
        key="alert:1", kind=Mailing.Kind.ALERT, status=Mailing.Status.DONE
    )
    return Delivery.objects.create(
        pk=DELIVERY_PK,
        mailing=mailing,
        subscriber=subscriber,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
    )


def state():
    return (
        list(Subscriber.objects.values_list("pk", "status", "suppressed_reason")),
        list(Suppression.objects.values_list("pk", "email_hash", "reason")),
        list(ConsentRecord.objects.values_list("pk", "action")),
        list(Delivery.objects.values_list("pk", "status", "error")),
    )


@pytest.mark.parametrize(
    "name, detail",
    [
        (
            "permanent_failure",
            "5.1.1 The email account that you tried to reach does not exist. Please try 5.1.1",
        ),
        ("permanent_failure_suppressed", "Not delivering to previously bounced address"),
    ],
)
def test_a_permanent_failure_stops_all_mail_to_the_address(subscriber, delivery, name, detail):
    assert post(payload(name)).status_code == 200

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUPPRESSED
    assert subscriber.get_status_display() == "Stopped: bounced or complained"
    assert subscriber.suppressed_reason.startswith(f"hard bounce (mailgun): {detail}")
    assert "reader@example.org" not in subscriber.suppressed_reason  # blanked out
    assert Suppression.objects.get().email_hash == services.email_hash(ADDRESS)
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.SUPPRESS).count() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.BOUNCED
    assert bounces.is_suppressed(ADDRESS)


def test_a_temporary_failure_changes_nothing(subscriber, delivery):
    before = state()

    assert post(payload("temporary_failure")).status_code == 200

    assert state() == before
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_a_complaint_stops_all_mail_and_leaves_the_delivered_message_alone(subscriber, delivery):
    assert post(payload("complained")).status_code == 200

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUPPRESSED
    assert subscriber.suppressed_reason == "spam complaint (mailgun)"
    assert Suppression.objects.get().reason == "spam complaint (mailgun)"
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.SUPPRESS).count() == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_an_unsubscribe_at_mailgun_unsubscribes(subscriber, delivery):
    assert post(payload("unsubscribed")).status_code == 200

    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.UNSUBSCRIBE).count() == 1
    assert not Suppression.objects.exists()
    assert Delivery.objects.get().status == Delivery.Status.SENT


@pytest.mark.parametrize(
    "name",
    [
        "permanent_failure",
        "permanent_failure_suppressed",
        "temporary_failure",
        "complained",
        "unsubscribed",
    ],
)
def test_repeated_deliveries_of_an_event_change_nothing_more(subscriber, delivery, name):
    body = payload(name)
    assert post(body).status_code == 200
    after_first = state()

    for _ in range(3):  # Mailgun retries with the same body and signature
        assert post(body).status_code == 200

    assert state() == after_first
    assert WebhookSignature.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["permanent_failure", "complained", "unsubscribed", "temporary_failure"]
)
def test_a_forged_signature_is_refused_and_changes_nothing(subscriber, delivery, name):
    before = state()

    response = post(payload(name, key="someone-elses-signing-key"))

    assert response.status_code == 400
    assert state() == before


def test_a_signature_is_not_accepted_on_another_event(subscriber, delivery):
    """Mailgun signs the timestamp and token, not the event: a signature block seen once (on a
    temporary failure, say) must not carry a permanent failure someone wrote for it."""
    genuine = payload("temporary_failure")
    assert post(genuine).status_code == 200
    before = state()

    forged = copy.deepcopy(payload("permanent_failure"))
    forged["signature"] = genuine["signature"]
    response = post(forged)

    assert response.status_code == 400
    assert state() == before
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_a_stale_signature_is_refused(subscriber, delivery):
    before = state()
    recorded = json.loads((FIXTURES / "permanent_failure.json").read_text())

    old = payload("permanent_failure", timestamp=recorded["signature"]["timestamp"])
    future = payload("permanent_failure", timestamp=int(time.time()) + 3600)

    assert post(old).status_code == 400
    assert post(future).status_code == 400
    assert state() == before


def test_a_retry_hours_later_is_still_accepted(subscriber, delivery):
    body = payload("permanent_failure", timestamp=int(time.time()) - 8 * 3600)

    assert post(body).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.SUPPRESSED


def test_seen_signatures_are_forgotten_after_two_days(subscriber, delivery):
    assert post(payload("temporary_failure")).status_code == 200
    WebhookSignature.objects.update(created_at=timezone.now() - timezone.timedelta(days=3))

    assert post(payload("complained")).status_code == 200

    assert WebhookSignature.objects.count() == 1
