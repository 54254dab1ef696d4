"""Who asked for email alerts, what each person agreed to and when, and every message sent."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from core import privacy
from core.forms import normalise_email


def email_hash(email):
    """A keyed hash that names an address in the ledger and in tokens without spelling it out."""
    return privacy.keyed_hash("subscriptions-email", normalise_email(email))


class SubscriberQuerySet(models.QuerySet):
    def following(self, topic_ids, contributor_ids):
        """Subscribers who get every post, or follow one of these topics or contributors: one
        query however many subscribers, topics or contributors."""
        topics = Subscriber.topics.through.objects.filter(subscriber_id=OuterRef("pk"))
        authors = Subscriber.contributors.through.objects.filter(subscriber_id=OuterRef("pk"))
        return self.filter(
            Q(everything=True)
            | Exists(topics.filter(topic_id__in=list(topic_ids)))
            | Exists(authors.filter(contributor_id__in=list(contributor_ids)))
        )


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        SUPPRESSED = "suppressed", "Stopped: bounced or complained"

    class Frequency(models.TextChoices):
        INSTANT = "instant", "An alert for each new post"
        WEEKLY = "weekly", "A weekly digest"

    email = models.EmailField(max_length=254, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.INSTANT)
    # Every post, or only the posts in a chosen topic or by a chosen contributor. Said in so
    # many words, not read from empty choices: when the last topic or author someone follows is
    # deleted, they must get nothing more rather than everything (issue 17).
    everything = models.BooleanField(default=True)
    topics = models.ManyToManyField("blog.Topic", blank=True, related_name="subscribers")
    contributors = models.ManyToManyField(
        "blog.Contributor", blank=True, related_name="subscribers"
    )
    paused = models.BooleanField(default=False)
    # A new address waiting for its confirmation link to be followed.
    new_email = models.EmailField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    suppressed_reason = models.CharField(max_length=200, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "frequency"], name="subscriber_sendable")]

    def __str__(self):
        return f"Subscriber {self.pk} ({self.status})"

    def choose(self, *, topics=(), contributors=()):
        """Follow only these topics and contributors; neither means every post."""
        topics, contributors = list(topics), list(contributors)
        self.topics.set(topics)
        self.contributors.set(contributors)
        self.everything = not topics and not contributors
        Subscriber.objects.filter(pk=self.pk).update(everything=self.everything)


class ConsentRecord(models.Model):
    """One line of the consent ledger. It names the address only by a keyed hash, so it can
    outlive the subscriber's erasure as proof of what was agreed."""

    class Action(models.TextChoices):
        SUBSCRIBE = "subscribe", "Asked to subscribe"
        CONFIRM = "confirm", "Confirmed by the emailed link"
        PREFERENCES = "preferences", "Changed topics, authors or frequency"
        ADDRESS = "address", "Changed address, confirmed by the emailed link"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribed"
        SUPPRESS = "suppress", "Stopped after a bounce or complaint"
        ERASE = "erase", "Erased on request"

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


class SuppressionQuerySet(models.QuerySet):
    def of(self, email):
        """The suppression that holds for this address, if any (it bounced or complained)."""
        return self.filter(email_hash=email_hash(email))


class Suppression(models.Model):
    """An address that must get no more mail (hard bounce, spam complaint), kept by keyed hash
    so it holds even after the subscriber is erased and signs up again."""

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SuppressionQuerySet.as_manager()

    def __str__(self):
        return f"Suppressed: {self.reason}"


class WebhookSignature(models.Model):
    """A signed webhook's token, once seen. Mailgun signs only a timestamp and a random token,
    not the event: each token may carry one event (its retries included), never another."""

    token_hash = models.CharField(max_length=64, unique=True)
    event_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"Webhook signature {self.token_hash[:12]}…"


class Mailing(models.Model):
    """One thing sent to many: the alert for a post, a weekly digest. Its key makes it happen
    once, however many times publishing or the scheduler asks."""

    class Kind(models.TextChoices):
        ALERT = "alert", "New post alert"
        DIGEST = "digest", "Weekly digest"
        SUMMARY = "summary", "Daily summary of new subscribers, for the editor"

    class Status(models.TextChoices):
        PREPARING = "preparing", "Preparing the recipient list"
        SENDING = "sending", "Sending"
        DONE = "done", "Sent"
        SKIPPED = "skipped", "Not sent"

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREPARING)
    note = models.CharField(max_length=200, blank=True)
    post = models.ForeignKey(
        "blog.PostPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="mailings"
    )
    # A digest lists the posts first published in [period_start, period_end).
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    recipients_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Bumped by whichever worker is sending; a mailing that stops moving gets a new worker.
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.key


class Delivery(models.Model):
    """The delivery ledger: one row per mailing and subscriber, never two, so no worker, retry
    or restart can send the same thing twice to the same person."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        SKIPPED = "skipped", "Not sent: the subscriber left or paused first"

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    # Emptied when the subscriber is erased; the row stays for the mailing's counts.
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailing", "subscriber"], name="one_delivery_each")
        ]
        indexes = [
            models.Index(fields=["mailing", "status"], name="delivery_progress"),
            # What senders claim next: stays small however much of the mailing went out.
            models.Index(
                fields=["mailing", "id"],
                condition=models.Q(status="queued"),
                name="delivery_queued",
            ),
            # What resume_stalled looks for every minute: rows held by some worker.
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(status="sending"),
                name="delivery_claimed",
            ),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"Delivery {self.pk} ({self.status})"
