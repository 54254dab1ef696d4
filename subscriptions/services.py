"""Subscribing to email alerts: ask with explicit consent, confirm by an emailed link, leave in
one click. Every step leaves a line in the consent ledger."""

import hmac

from django.db import transaction
from django.utils import timezone

from core import privacy, tokens
from core.forms import normalise_email
from core.ratelimit import claim, within_hourly_limit
from core.tasks import enqueue_on_commit
from subscriptions.models import ConsentRecord, Subscriber, Suppression, email_hash

CONFIRM_MAX_AGE = 7 * 24 * 3600
RESEND_AFTER = 10 * 60
# Links to one address in an hour, whatever each asked for: one every RESEND_AFTER at most.
LINKS_PER_HOUR = 3600 // RESEND_AFTER
WORDING_VERSION = "2025-01"
CONSENT_WORDING = (
    "I agree that The Cancer Blog stores my email address to send me alerts about new posts. "
    "Alerts about particular cancer topics can reveal something about my health or that of "
    "someone close to me: I explicitly consent to that use. I can leave at any time with "
    "one click from any alert."
)


def hash_ip(ip):
    """A keyed hash of an IP address, in the subscriptions' own namespace."""
    return privacy.hash_ip(ip, "subscriptions")


def clean_source_path(path):
    """The page the box was on: a local path, or nothing."""
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith("//") or len(path) > 200:
        return ""
    return path if path.isprintable() else ""


def make_token(purpose, subscriber):
    value = [subscriber.pk, email_hash(subscriber.email)[:32]]
    return tokens.make_token(f"subscriptions.{purpose}", value)


def subscriber_for_token(purpose, token, max_age):
    """The subscriber a signed token names, if it is genuine, fresh enough and the address is
    still the same; otherwise None."""
    pk, key = tokens.read_pair(f"subscriptions.{purpose}", token, max_age)
    subscriber = Subscriber.objects.filter(pk=pk).first() if pk is not None else None
    if subscriber is None or not hmac.compare_digest(email_hash(subscriber.email)[:32], key):
        return None
    return subscriber


def requests_allowed(ip_hash, limit=20):
    """A few dozen sign-ups an hour from one connection: people, not address lists."""
    return within_hourly_limit(f"subscriptions:requests:{ip_hash[:32]}", limit)


def may_send_link(email, asked_for=""):
    """At most one confirmation email per address and request (every post, or one topic or
    author) every RESEND_AFTER seconds, and LINKS_PER_HOUR in all: a reader may follow an
    author and then a topic at once, but no one can flood an inbox through the topics."""
    key = email_hash(email)[:32]
    return claim(f"subscriptions:link:{key}{asked_for}", RESEND_AFTER) and within_hourly_limit(
        f"subscriptions:links:{key}", LINKS_PER_HOUR
    )


def _record(action, subscriber, ip_hash, source_path="", wording_version=""):
    ConsentRecord.objects.create(
        subscriber=subscriber,
        email_hash=email_hash(subscriber.email),
        action=action,
        wording_version=wording_version,
        source_path=source_path,
        ip_hash=ip_hash,
    )


@transaction.atomic
def request_subscription(
    email, *, ip_hash, source_path="", wording_version=WORDING_VERSION, follow=None
):
    """Record consent and email a link to confirm it. Returns True if an email was queued. The
    caller tells the reader the same thing whatever happens here. `follow` (a
    subscriptions.following.Follow) asks for one topic or author: its link carries it."""
    email = normalise_email(email)
    if Suppression.objects.of(email).exists():
        return False  # bounced or complained: no more mail, and the reader is told the same
    # The same three queries whether the address is new, pending, confirmed or unsubscribed:
    # the work must not tell a timing attacker which addresses are known.
    Subscriber.objects.bulk_create([Subscriber(email=email)], ignore_conflicts=True)
    # A returning reader waits for confirmation again, and an unconfirmed sign-up lives as long
    # as its newest link.
    Subscriber.objects.filter(
        email=email, status__in=[Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED]
    ).update(status=Subscriber.Status.PENDING, unsubscribed_at=None, created_at=timezone.now())
    subscriber = Subscriber.objects.get(email=email)
    _record(
        ConsentRecord.Action.SUBSCRIBE,
        subscriber,
        ip_hash,
        source_path=clean_source_path(source_path),
        wording_version=wording_version,
    )
    if not may_send_link(email, f":{follow.field_value}" if follow else ""):
        return False
    if follow is not None:
        enqueue_on_commit(
            "subscriptions.tasks.send_follow_confirmation",
            subscriber.pk,
            follow.kind,
            follow.target.pk,
        )
    else:
        enqueue_on_commit("subscriptions.tasks.send_confirmation", subscriber.pk)
    return True


@transaction.atomic
def confirm_subscription(subscriber, *, ip_hash):
    """Pending → confirmed, once; True if this call confirmed it."""
    changed = Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.PENDING).update(
        status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now()
    )
    if changed:
        _record(ConsentRecord.Action.CONFIRM, subscriber, ip_hash, wording_version=WORDING_VERSION)
    return bool(changed)


@transaction.atomic
def unsubscribe(subscriber, *, ip_hash):
    """Stop all alerts; repeating it changes nothing. True if this call unsubscribed."""
    changed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    )
    if changed:
        _record(ConsentRecord.Action.UNSUBSCRIBE, subscriber, ip_hash)
    return bool(changed)


def purge_unconfirmed(now=None):
    """Unconfirmed sign-ups are forgotten once their link has expired."""
    cutoff = (now or timezone.now()) - timezone.timedelta(seconds=CONFIRM_MAX_AGE)
    deleted, _ = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, created_at__lt=cutoff
    ).delete()
    return deleted
