"""A subscriber's own data: everything we hold about them, and erasing it.

Erasure deletes the address and preferences (the topics and authors followed go with the row).
What stays names nobody: the consent ledger (keyed hashes, kept as proof of what was agreed and
that it was erased), the delivery rows (without a subscriber, for each mailing's counts) and,
after a bounce or complaint, the suppression entry that keeps mail from going to a dead or
unwilling inbox again.
"""

from django.db import transaction
from django.utils import timezone

from core.links import absolute
from subscriptions.models import ConsentRecord, Delivery, Subscriber, Suppression, email_hash


def _when(value):
    return value.isoformat() if value else None


def export_data(subscriber):
    """A JSON-ready dict of all we hold about one subscriber."""
    consents = ConsentRecord.objects.filter(subscriber=subscriber).order_by("created_at", "pk")
    deliveries = (
        Delivery.objects.filter(subscriber=subscriber)
        .select_related("mailing__post")
        .order_by("pk")
    )
    topics = [topic.name for topic in subscriber.topics.order_by("name")]
    authors = [contributor.name for contributor in subscriber.contributors.order_by("name")]
    return {
        "exported_at": timezone.now().isoformat(),
        "email": subscriber.email,
        "status": subscriber.status,
        "frequency": subscriber.frequency,
        "paused": subscriber.paused,
        "topics": "all" if subscriber.everything else topics,
        "authors": authors,
        "address_change_waiting": subscriber.new_email or None,
        "subscribed_at": _when(subscriber.created_at),
        "confirmed_at": _when(subscriber.confirmed_at),
        "unsubscribed_at": _when(subscriber.unsubscribed_at),
        "suppressed_at": _when(subscriber.suppressed_at),
        "suppressed_reason": subscriber.suppressed_reason or None,
        "consent_ledger": [
            {
                "action": record.action,
                "at": _when(record.created_at),
                "wording_version": record.wording_version or None,
                "page": record.source_path or None,
            }
            for record in consents
        ],
        "emails": [
            {
                "kind": delivery.mailing.kind,
                "post": delivery.mailing.post.title if delivery.mailing.post else None,
                "url": absolute(delivery.mailing.post.url) if delivery.mailing.post else None,
                "status": delivery.status,
                "sent_at": _when(delivery.sent_at),
            }
            for delivery in deliveries
        ],
    }


@transaction.atomic
def erase(subscriber, *, ip_hash=""):
    """Forget the subscriber: the address goes, the anonymous ledger lines stay. Returns what
    stays, to tell the person."""
    hashed = email_hash(subscriber.email)
    kept_lines = ConsentRecord.objects.filter(subscriber=subscriber).count()
    ConsentRecord.objects.create(
        subscriber=None,
        email_hash=hashed,
        action=ConsentRecord.Action.ERASE,
        ip_hash=ip_hash,
    )
    # A mail server's refusal can quote the address: the rows that stay keep no error text.
    kept_deliveries = Delivery.objects.filter(subscriber=subscriber).update(error="")
    # Consent lines and deliveries point at the subscriber with SET_NULL.
    Subscriber.objects.filter(pk=subscriber.pk).delete()
    return {
        "consent_lines": kept_lines + 1,
        "deliveries": kept_deliveries,
        "suppressed": Suppression.objects.filter(email_hash=hashed).exists(),
    }
