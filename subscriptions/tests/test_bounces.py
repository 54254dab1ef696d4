"""Bounces and complaints: signed Mailgun webhooks stop mail to dead or unwilling inboxes, for
good, and nothing unsigned or temporary changes anything."""

import hashlib
import hmac
import json
import secrets
import time

import pytest
from anymail.signals import AnymailTrackingEvent, EventType, RejectReason
from django.test import Client
from django.utils import timezone

from subscriptions import bounces, privacy, services
from subscriptions.models import ConsentRecord, Delivery, Mailing, Subscriber, Suppression
from subscriptions.tests.test_subscribing import sign_up

pytestmark = pytest.mark.django_db

URL = "/anymail/mailgun/tracking/"
KEY = "key-test-0123456789abcdef0123456789abcdef"
ADDRESS = "reader@example.org"
MAILBOX_GONE = "5.1.1 The email account that you tried to reach does not exist."


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}


def signed(event_data, key=KEY, timestamp=None, token=None):
    """A webhook body as Mailgun posts it: the event, and an HMAC-SHA256 of timestamp + token."""
    timestamp = timestamp or str(int(time.time()))
    token = token or secrets.token_hex(25)
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {"timestamp": time.time(), "id": secrets.token_hex(11), **event_data},
    }


def post(body):
    return Client().post(URL, json.dumps(body), content_type="application/json")


def message(delivery=None, to=ADDRESS):
    data = {
        "message": {
            "headers": {
                "to": to,
                "message-id": "20250101120000.1.ABCDEF@blog.example.org",
                "from": "The Cancer Blog <blog@example.org>",
                "subject": "New post",
            },
            "attachments": [],
            "size": 4321,
        },
        "user-variables": {"delivery": str(delivery.pk)} if delivery else {},
    }
    return data


def failed(severity="permanent", reason="bounce", code=550, text=MAILBOX_GONE, **extra):
    return {
        "event": "failed",
        "log-level": "error" if severity == "permanent" else "warn",
        "severity": severity,
        "reason": reason,
        "recipient": ADDRESS,
        "delivery-status": {
            "code": code,
            "message": text,
            "description": "",
            "attempt-no": 1,
            "session-seconds": 0.4,
        },
        **message(),
        **extra,
    }


@pytest.fixture
def subscriber():
    services.request_subscription(ADDRESS, ip_hash="")
    subscriber = Subscriber.objects.get(email=ADDRESS)
    services.confirm_subscription(subscriber, ip_hash="")
    return Subscriber.objects.get(pk=subscriber.pk)


def sent_delivery(subscriber, key):
    mailing = Mailing.objects.create(key=key, kind=Mailing.Kind.ALERT, status=Mailing.Status.DONE)
    return Delivery.objects.create(
        mailing=mailing, subscriber=subscriber, status=Delivery.Status.SENT, sent_at=timezone.now()
    )


def state():
    """Everything a webhook could change, to compare before and after."""
    return (
        list(Subscriber.objects.values_list("pk", "status", "suppressed_reason")),
        list(Suppression.objects.values_list("pk", "email_hash", "reason")),
        list(ConsentRecord.objects.values_list("pk", "action")),
        list(Delivery.objects.values_list("pk", "status", "error")),
    )


def test_a_permanent_bounce_suppresses_the_address_and_marks_the_delivery(subscriber):
    earlier = sent_delivery(subscriber, "alert:1")
    delivery = sent_delivery(subscriber, "alert:2")
    body = signed(failed(**message(delivery)))

    response = post(body)

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUPPRESSED
    assert subscriber.suppressed_at is not None
    assert subscriber.suppressed_reason == f"hard bounce (mailgun): {MAILBOX_GONE}"
    suppression = Suppression.objects.get()
    assert suppression.email_hash == services.email_hash(ADDRESS)
    assert suppression.reason == subscriber.suppressed_reason
    line = ConsentRecord.objects.get(action=ConsentRecord.Action.SUPPRESS)
    assert line.subscriber == subscriber
    assert line.email_hash == services.email_hash(ADDRESS)
    delivery.refresh_from_db()
    earlier.refresh_from_db()
    assert delivery.status == Delivery.Status.BOUNCED
    assert earlier.status == Delivery.Status.SENT
    assert bounces.is_suppressed(" Reader@Example.org ")


def test_without_metadata_the_latest_delivery_to_the_address_is_marked(subscriber):
    earlier = sent_delivery(subscriber, "alert:1")
    latest = sent_delivery(subscriber, "alert:2")

    assert post(signed(failed())).status_code == 200

    assert Delivery.objects.get(pk=latest.pk).status == Delivery.Status.BOUNCED
    assert Delivery.objects.get(pk=earlier.pk).status == Delivery.Status.SENT
    assert Subscriber.objects.get().status == Subscriber.Status.SUPPRESSED


def test_metadata_naming_someone_elses_delivery_is_not_trusted(subscriber):
    other = Subscriber.objects.create(email="other@example.org", status="confirmed")
    theirs = sent_delivery(other, "alert:1")

    assert post(signed(failed(**message(theirs)))).status_code == 200

    assert Delivery.objects.get(pk=theirs.pk).status == Delivery.Status.SENT
    assert Subscriber.objects.get(pk=other.pk).status == Subscriber.Status.CONFIRMED
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.SUPPRESSED


def test_a_complaint_suppresses_the_address(subscriber):
    delivery = sent_delivery(subscriber, "alert:1")
    body = signed({"event": "complained", "recipient": ADDRESS, **message(delivery)})

    assert post(body).status_code == 200

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUPPRESSED
    assert subscriber.suppressed_reason == "spam complaint (mailgun)"
    assert Suppression.objects.get().reason == "spam complaint (mailgun)"
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.SUPPRESS).count() == 1
    # The message was delivered: the complaint does not turn it into a bounce.
    assert Delivery.objects.get().status == Delivery.Status.SENT


@pytest.mark.parametrize(
    "event_data",
    [
        failed(severity="temporary", reason="generic", code=452, text="4.2.2 Mailbox full"),
        failed(reason="old", code=421, text="Too old"),  # retries ran out: not the address
        failed(reason="esp-block", code=605, text="Blocked by the provider"),
        {"event": "delivered", "recipient": ADDRESS, **message()},
        {"event": "opened", "recipient": ADDRESS, **message()},
    ],
    ids=["temporary", "retries-ran-out", "provider-block", "delivered", "opened"],
)
def test_temporary_failures_and_other_events_change_nothing(subscriber, event_data):
    sent_delivery(subscriber, "alert:1")
    before = state()

    assert post(signed(event_data)).status_code == 200

    assert state() == before
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


@pytest.mark.parametrize(
    "tamper",
    ["wrong-key", "edited-after-signing", "no-signature"],
)
def test_a_payload_without_a_good_signature_is_refused(subscriber, tamper):
    sent_delivery(subscriber, "alert:1")
    before = state()
    if tamper == "wrong-key":
        body = signed(failed(), key="key-somebody-else")
    elif tamper == "edited-after-signing":
        body = signed(failed(), token="a" * 50)
        body["signature"]["token"] = "b" * 50
    else:
        body = {"event-data": failed()}

    response = post(body)

    assert response.status_code in (400, 403)
    assert state() == before


def test_with_no_signing_key_configured_nothing_is_accepted(settings, subscriber):
    """Anymail would check an HMAC made with an empty key, which anyone can compute."""
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    before = state()

    response = post(signed(failed(), key=""))

    assert response.status_code == 400
    assert state() == before


def test_other_providers_without_a_webhook_secret_are_refused(subscriber):
    before = state()
    bounce = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "TypeCode": 1,
        "Email": ADDRESS,
        "Description": "The server was unable to deliver your message",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "BouncedAt": "2025-01-01T12:00:00Z",
    }

    with pytest.warns(Warning, match="insecure"):
        response = Client().post(
            "/anymail/postmark/tracking/", json.dumps(bounce), content_type="application/json"
        )

    assert response.status_code == 400
    assert state() == before


def test_a_replayed_payload_adds_nothing(subscriber):
    delivery = sent_delivery(subscriber, "alert:1")
    body = signed(failed(**message(delivery)))
    assert post(body).status_code == 200
    after_first = state()
    suppressed_at = Subscriber.objects.get().suppressed_at

    for _ in range(2):
        assert post(body).status_code == 200
    # A later complaint about the same address adds nothing either.
    complaint = signed({"event": "complained", "recipient": ADDRESS, **message()})
    assert post(complaint).status_code == 200

    assert state() == after_first
    assert Subscriber.objects.get().suppressed_at == suppressed_at
    assert Suppression.objects.count() == 1
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.SUPPRESS).count() == 1


def test_an_unknown_recipient_is_answered_and_ignored(subscriber):
    before = state()
    event_data = failed(recipient="stranger@example.net")
    event_data["user-variables"] = {"delivery": "999999"}

    response = post(signed(event_data))

    assert response.status_code == 200
    assert state() == before
    assert not bounces.is_suppressed("stranger@example.net")


@pytest.mark.parametrize(
    "user_variables",
    [{"delivery": "<script>"}, {"delivery": 10**40}, {"delivery": ["1"]}, "just a string"],
)
def test_odd_metadata_is_ignored_not_an_error(subscriber, user_variables):
    delivery = sent_delivery(subscriber, "alert:1")
    event_data = failed()
    event_data["user-variables"] = user_variables

    assert post(signed(event_data)).status_code == 200

    assert Subscriber.objects.get().status == Subscriber.Status.SUPPRESSED
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.BOUNCED


def test_hostile_strings_are_stored_as_short_plain_text(subscriber):
    sent_delivery(subscriber, "alert:1")
    hostile = (
        f"550 <{ADDRESS}>: <script>alert('x')</script><b>Zugang verweigert</b> "
        "\u202e\x00\x1b[31m Ünïcödé ✉ " + "x" * 10_000
    )

    assert post(signed(failed(text=hostile))).status_code == 200

    subscriber.refresh_from_db()
    for stored in (
        subscriber.suppressed_reason,
        Suppression.objects.get().reason,
        Delivery.objects.get().error,
    ):
        assert stored.startswith("hard bounce (mailgun): 550 [address]: alert('x')")
        assert "Zugang verweigert" in stored and "Ünïcödé ✉" in stored
        assert len(stored) <= 200 and stored.endswith("…")
        assert "<" not in stored and ">" not in stored
        assert ADDRESS not in stored
        assert stored.isprintable()


def test_a_provider_unsubscribe_unsubscribes(subscriber):
    body = signed({"event": "unsubscribed", "recipient": ADDRESS, **message()})

    assert post(body).status_code == 200
    assert post(body).status_code == 200

    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.UNSUBSCRIBE).count() == 1
    assert not Suppression.objects.exists()


@pytest.mark.parametrize(
    ("reason", "suppressed"),
    [
        (RejectReason.INVALID, True),
        (RejectReason.BOUNCED, True),
        (RejectReason.BLOCKED, False),
        (RejectReason.OTHER, False),
    ],
)
def test_a_rejection_suppresses_only_when_the_address_is_bad(subscriber, reason, suppressed):
    event = AnymailTrackingEvent(
        event_type=EventType.REJECTED,
        recipient=ADDRESS,
        reject_reason=reason,
        description="Not delivering to a previously bounced address",
        esp_event=signed({"event": "rejected"}),
    )

    bounces.handle_tracking_event(event, "Mailgun")

    assert bounces.is_suppressed(ADDRESS) is suppressed
    status = Subscriber.objects.get().status
    assert (status == Subscriber.Status.SUPPRESSED) is suppressed
    if suppressed:
        assert Suppression.objects.get().reason.startswith("rejected as invalid (mailgun): Not")


def test_a_suppressed_address_that_signs_up_again_gets_no_email_but_the_same_answer(
    site_tree, subscriber, mailoutbox, django_capture_on_commit_callbacks
):
    post(signed(failed()))
    ledger = ConsentRecord.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        suppressed = sign_up(Client(enforce_csrf_checks=True))
        fresh = sign_up(Client(enforce_csrf_checks=True), email="fresh@example.org")

    assert suppressed.status_code == fresh.status_code == 302
    assert suppressed["Location"] == fresh["Location"]
    assert "Check your inbox" in Client().get(suppressed["Location"]).content.decode()
    assert [m.to for m in mailoutbox] == [["fresh@example.org"]]
    assert Subscriber.objects.get(email=ADDRESS).status == Subscriber.Status.SUPPRESSED
    assert ConsentRecord.objects.filter(email_hash=services.email_hash(ADDRESS)).count() == ledger


def test_erasure_keeps_the_suppression(
    site_tree, subscriber, mailoutbox, django_capture_on_commit_callbacks
):
    post(signed(failed()))

    privacy.erase(Subscriber.objects.get())

    assert not Subscriber.objects.exists()
    suppression = Suppression.objects.get()
    assert suppression.email_hash == services.email_hash(ADDRESS)
    assert ADDRESS not in suppression.reason
    assert bounces.is_suppressed(ADDRESS)

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(Client(enforce_csrf_checks=True))
    assert response.status_code == 302
    assert mailoutbox == []
    assert not Subscriber.objects.exists()


def test_basic_auth_alone_does_not_stand_in_for_mailguns_signing_key(settings, subscriber):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": "", "WEBHOOK_SECRET": "hook:s3cret-pass"}
    before = state()

    response = Client().post(
        URL,
        json.dumps(signed(failed(), key="")),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic aG9vazpzM2NyZXQtcGFzcw==",
    )

    assert response.status_code == 400
    assert state() == before


def test_with_basic_auth_and_the_signing_key_both_are_required(settings, subscriber):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY, "WEBHOOK_SECRET": "hook:s3cret-pass"}

    assert post(signed(failed())).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    response = Client().post(
        URL,
        json.dumps(signed(failed())),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic aG9vazpzM2NyZXQtcGFzcw==",
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.SUPPRESSED


def test_a_confirmation_queued_before_a_bounce_is_not_sent(site_tree, mailoutbox):
    from subscriptions import tasks

    subscriber = Subscriber.objects.create(email="late@example.org")
    Suppression.objects.create(
        email_hash=services.email_hash("late@example.org"), reason="hard bounce (test)"
    )

    assert tasks.send_confirmation.call(subscriber.pk) == 0
    assert mailoutbox == []
