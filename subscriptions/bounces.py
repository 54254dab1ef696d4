"""Bounces and complaints reported by the email provider's webhooks (django-anymail).

A hard bounce, a spam complaint or a rejection for a dead address stops all mail to that
address for good: a Suppression row keyed by the address's hash outlives the subscriber's
erasure. Temporary failures change nothing. The payload is only used to find the subscriber
and the delivery; what is stored from it is short plain text with addresses blanked out.
"""

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.signals import EventType, RejectReason
from anymail.utils import get_anymail_setting
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from core.forms import normalise_email
from subscriptions import services
from subscriptions.models import (
    ConsentRecord,
    Delivery,
    Subscriber,
    Suppression,
    WebhookSignature,
)

REASON_MAX = 200  # Subscriber.suppressed_reason and Suppression.reason
_ADDRESS = re.compile(r"<?[^\s<>()\[\]\"',;:@]+@[^\s<>()\[\]\"',;:@]+>?")

# What an event means for the address, and how the suppression reason begins.
HARD_BOUNCE = "hard bounce"
INVALID = "rejected as invalid"
COMPLAINT = "spam complaint"
UNSUBSCRIBE = "unsubscribe"

# Mailgun retries an event for 8 hours: a signature older than this is a replay. Its clock and
# ours may differ by a little.
SIGNATURE_MAX_AGE = timedelta(hours=24)
SIGNATURE_MAX_AHEAD = timedelta(minutes=15)
_SIGNATURE_FIELDS = ("timestamp", "token", "signature")

# Mailgun's raw "reason" for a permanent failure that anymail leaves unnormalised.
_MAILGUN_REASONS = {"suppress-complaint": COMPLAINT, "suppress-unsubscribe": UNSUBSCRIBE}


def is_suppressed(email):
    """True if the address bounced hard or complained: it must get no more mail."""
    return Suppression.objects.of(email).exists()


def webhook_is_verified(esp_name):
    """Only act on events whose origin anymail could prove: Mailgun's by their signature with
    a configured key, other providers' by HTTP basic auth (ANYMAIL WEBHOOK_SECRET)."""
    if esp_name == "Mailgun":
        # Anymail checks the signature even with an empty key, which anyone can compute.
        return bool(get_anymail_setting("webhook_signing_key", esp_name="Mailgun", default=""))
    return bool(get_anymail_setting("webhook_secret", default=None))


def handle_tracking_event(event, esp_name):
    """Suppress, unsubscribe or ignore, according to one normalised anymail tracking event."""
    if not webhook_is_verified(esp_name):
        # A SuspiciousOperation: Django answers 400 and nothing is stored.
        raise AnymailWebhookValidationFailure(
            f"{esp_name} webhook refused: its signing key or WEBHOOK_SECRET is not configured"
        )
    if esp_name == "Mailgun":
        claim_mailgun_signature(event.esp_event)
    kind = _classify(event, esp_name)
    if kind is None:
        return None
    subscriber = _subscriber(event.recipient)
    if subscriber is None:
        return None
    if kind == UNSUBSCRIBE:
        if subscriber.status != Subscriber.Status.SUPPRESSED:
            services.unsubscribe(subscriber, ip_hash="")
        return None
    # A complaint comes from a message that was delivered: its delivery row stays as it is.
    return suppress(
        subscriber,
        reason=_reason(kind, esp_name, event),
        bounced=kind != COMPLAINT,
        delivery_id=_delivery_id(event),
    )


def claim_mailgun_signature(esp_event, now=None):
    """Refuse a Mailgun event whose (valid) signature is stale, or was seen on another event.

    Mailgun's signature covers `timestamp + token` only, so anyone who once saw a signed
    payload (a log, a proxy) could put its signature block on an event of their own making,
    such as a "failed" event for another reader's address. Each token is kept a day with a
    hash of the event it came with; Mailgun's retries carry the same event and pass."""
    if isinstance(esp_event, dict):  # the JSON webhooks
        block = esp_event.get("signature")
        block = block if isinstance(block, dict) else {}
        payload = esp_event.get("event-data")
    elif hasattr(esp_event, "lists"):  # legacy form posts: the signature among the fields
        block = {name: esp_event.get(name) for name in _SIGNATURE_FIELDS}
        payload = sorted(
            (name, values) for name, values in esp_event.lists() if name not in _SIGNATURE_FIELDS
        )
    else:
        raise AnymailWebhookValidationFailure("Mailgun webhook without its signature block")
    now = now or timezone.now()
    try:
        signed_at = datetime.fromtimestamp(int(block.get("timestamp")), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise AnymailWebhookValidationFailure(
            "Mailgun webhook without a usable timestamp"
        ) from None
    if not now - SIGNATURE_MAX_AGE <= signed_at <= now + SIGNATURE_MAX_AHEAD:
        raise AnymailWebhookValidationFailure("Mailgun webhook refused: its signature is stale")
    token_hash = hashlib.sha256(str(block.get("token")).encode()).hexdigest()
    event_hash = hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str).encode()
    ).hexdigest()
    WebhookSignature.objects.filter(created_at__lt=now - 2 * SIGNATURE_MAX_AGE).delete()
    seen, _ = WebhookSignature.objects.get_or_create(
        token_hash=token_hash, defaults={"event_hash": event_hash}
    )
    if seen.event_hash != event_hash:
        raise AnymailWebhookValidationFailure(
            "Mailgun webhook refused: its signature was already used for another event"
        )


def _classify(event, esp_name):
    """HARD_BOUNCE, INVALID, COMPLAINT, UNSUBSCRIBE, or None for all that says nothing
    against the address."""
    event_type = event.event_type
    reason = event.reject_reason
    if event_type == EventType.COMPLAINED:
        return COMPLAINT
    if event_type == EventType.UNSUBSCRIBED:
        return UNSUBSCRIBE
    if event_type == EventType.BOUNCED:
        if esp_name == "Mailgun":
            raw = _mailgun_reason(event)
            if raw in _MAILGUN_REASONS:
                return _MAILGUN_REASONS[raw]
        # Timeouts, provider blocks and unclassified failures are not the address's fault.
        if reason in (None, RejectReason.BOUNCED, RejectReason.INVALID):
            return HARD_BOUNCE
        return None
    if event_type == EventType.REJECTED:
        if reason in (RejectReason.INVALID, RejectReason.BOUNCED):
            return INVALID
        if reason == RejectReason.SPAM:
            return COMPLAINT
        if reason == RejectReason.UNSUBSCRIBED:
            return UNSUBSCRIBE
    # Deferred (temporary) failures, deliveries, opens, clicks and the rest.
    return None


def _mailgun_reason(event):
    esp_event = event.esp_event
    if not isinstance(esp_event, dict):
        return None
    data = esp_event.get("event-data")
    return data.get("reason") if isinstance(data, dict) else None


def _subscriber(recipient):
    if not isinstance(recipient, str) or not 0 < len(recipient) <= 254:
        return None
    return Subscriber.objects.filter(email=normalise_email(recipient)).first()


def _delivery_id(event):
    metadata = event.metadata if isinstance(event.metadata, dict) else {}
    value = str(metadata.get("delivery", ""))
    return int(value) if value.isdigit() and len(value) <= 18 else None


def plain_text(value, limit):
    """Payload text made safe to keep: no markup, no addresses, one printable line, short."""
    if not isinstance(value, str):
        return ""
    text = _ADDRESS.sub("[address]", value[: limit * 5])
    text = strip_tags(text)
    text = "".join(char if char.isprintable() else " " for char in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _reason(kind, esp_name, event):
    label = f"{kind} ({esp_name.lower()})"
    if kind == COMPLAINT:
        return label
    detail = plain_text(event.description or event.mta_response, REASON_MAX - len(label) - 2)
    return f"{label}: {detail}" if detail else label


@transaction.atomic
def suppress(subscriber, *, reason, bounced=False, delivery_id=None):
    """Stop all mail to the subscriber's address, once; if the message bounced, mark its
    delivery. True if this call suppressed the subscriber."""
    reason = plain_text(reason, REASON_MAX)
    Suppression.objects.get_or_create(
        email_hash=services.email_hash(subscriber.email), defaults={"reason": reason}
    )
    changed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=Subscriber.Status.SUPPRESSED)
        .update(
            status=Subscriber.Status.SUPPRESSED,
            suppressed_at=timezone.now(),
            suppressed_reason=reason,
        )
    )
    if changed:
        ConsentRecord.objects.create(
            subscriber=subscriber,
            email_hash=services.email_hash(subscriber.email),
            action=ConsentRecord.Action.SUPPRESS,
        )
    if bounced:
        _mark_bounced(subscriber, delivery_id, reason, guess=bool(changed))
    return bool(changed)


def _mark_bounced(subscriber, delivery_id, reason, guess):
    """The delivery the message's metadata names, if it went to this subscriber; without one,
    and only the first time, their latest sent delivery."""
    deliveries = Delivery.objects.filter(subscriber=subscriber)
    if delivery_id is not None and deliveries.filter(pk=delivery_id).exists():
        deliveries = deliveries.filter(pk=delivery_id)
    elif guess:
        latest = deliveries.filter(status=Delivery.Status.SENT).order_by("-sent_at", "-pk")
        deliveries = deliveries.filter(pk=latest.values_list("pk", flat=True).first())
    else:
        return
    deliveries.exclude(status=Delivery.Status.BOUNCED).update(
        status=Delivery.Status.BOUNCED, error=reason[:300]
    )
