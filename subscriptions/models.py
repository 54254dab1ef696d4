"""Who asked for email alerts, and the ledger of what each person agreed to, and when."""

from django.db import models


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Subscriber {self.pk} ({self.status})"


class ConsentRecord(models.Model):
    """One line of the consent ledger. It names the address only by a keyed hash, so it can
    outlive the subscriber's erasure as proof of what was agreed."""

    class Action(models.TextChoices):
        SUBSCRIBE = "subscribe", "Asked to subscribe"
        CONFIRM = "confirm", "Confirmed by the emailed link"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribed"

    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="consents"
    )
    email_hash = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    wording_version = models.CharField(max_length=32, blank=True)
    source_path = models.CharField(max_length=200, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action} at {self.created_at:%Y-%m-%d %H:%M}"
