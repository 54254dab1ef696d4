"""Emails about published comments go out once per comment and address: a row in the notice
ledger (a unique constraint) is claimed before sending, as the subscriptions' delivery ledger
does for alerts. A failed send gives the claim back, so a retry can send it."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from comments.checks import email_key
from comments.models import CommentNotice


def send_once(comment, email, kind, send):
    """Call send() if nobody has told `email` about `comment` yet; returns what it sent (0, 1)."""
    recipient = email_key(email)
    try:
        with transaction.atomic():
            notice = CommentNotice.objects.create(comment=comment, recipient=recipient, kind=kind)
    except IntegrityError:
        return 0  # told already, or being told by another worker right now
    try:
        sent = send()
    except Exception:
        notice.delete()
        raise
    if not sent:
        notice.delete()
        return 0
    CommentNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return sent


def forget_recipient(email):
    """The address is erased: its lines in the ledger go too."""
    return CommentNotice.objects.filter(recipient=email_key(email)).delete()[0]
