"""Readers' comments under posts and pages: commenters, comments, reports, follows, blocks and
settings.

A comment belongs to any Wagtail page that takes comments (core.pages.CommentMode): posts, and
standard pages whose editor opened them. The field keeps its name, `post`, from the time only
posts took comments, and with it its column: a post's pk is its page's pk."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

DEFAULT_DISTRESS_PHRASES = """\
kill myself
killing myself
end my life
ending my life
want to die
wish i was dead
wish i were dead
suicide
suicidal
take my own life
no reason to live
better off dead
self harm
self-harm
hurt myself
cut myself"""

DEFAULT_SUPPORT_TEXT = (
    "You are not alone, and you deserve support right now.\n"
    "If you are in immediate danger, call 112 (the emergency number everywhere in the EU) "
    "or your local emergency number.\n"
    "Many European countries have a free, confidential emotional support line on 116 123, "
    "open day and night.\n"
    "You can also talk to your cancer care team, your doctor, or someone you trust today."
)


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """Rules of the conversation that editors can change without a developer."""

    comments_enabled = models.BooleanField(default=True)
    close_after_days = models.PositiveIntegerField(
        default=0, help_text="Close comments on posts older than this many days (0: never)."
    )
    trust_confirmed_commenters = models.BooleanField(
        default=True,
        help_text="Publish at once the comments of confirmed commenters with an approved comment.",
    )
    report_threshold = models.PositiveSmallIntegerField(
        default=3, help_text="Hide a comment for review once this many readers report it."
    )
    max_length = models.PositiveIntegerField(default=5000)
    max_links = models.PositiveSmallIntegerField(
        default=2, help_text="Comments with more links than this wait for moderation."
    )
    min_seconds_to_submit = models.PositiveSmallIntegerField(default=3)
    max_per_hour_per_ip = models.PositiveSmallIntegerField(default=10)
    max_per_hour_per_email = models.PositiveSmallIntegerField(default=6)
    blocklist = models.TextField(
        blank=True, help_text="Words or phrases, one per line: comments with them are marked spam."
    )
    distress_phrases = models.TextField(
        default=DEFAULT_DISTRESS_PHRASES,
        help_text="One per line. A comment with one of them shows the support text to its writer "
        "and alerts the moderators.",
    )
    support_text = models.TextField(default=DEFAULT_SUPPORT_TEXT)
    moderation_alert_minutes = models.PositiveIntegerField(
        default=60,
        help_text="Email the moderators when comments wait longer than this many minutes "
        "(0: never).",
    )
    ip_retention_days = models.PositiveSmallIntegerField(default=30)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("comments_enabled"),
                FieldPanel("close_after_days"),
                FieldPanel("trust_confirmed_commenters"),
                FieldPanel("report_threshold"),
                FieldPanel("moderation_alert_minutes"),
            ],
            heading="Conversation",
        ),
        MultiFieldPanel(
            [FieldPanel("distress_phrases"), FieldPanel("support_text")],
            heading="Distress signposting",
        ),
        MultiFieldPanel(
            [
                FieldPanel("max_length"),
                FieldPanel("max_links"),
                FieldPanel("min_seconds_to_submit"),
                FieldPanel("max_per_hour_per_ip"),
                FieldPanel("max_per_hour_per_email"),
                FieldPanel("blocklist"),
                FieldPanel("ip_retention_days"),
            ],
            heading="Spam and abuse",
        ),
    ]

    class Meta:
        verbose_name = "comment settings"

    @staticmethod
    def lines(text):
        return [line.strip().lower() for line in text.splitlines() if line.strip()]


class Commenter(models.Model):
    """A person known only by an email address they have (or have not yet) confirmed."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=80)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def has_approved_comment(self):
        return self.comments.visible().exists()


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=Comment.Status.APPROVED)

    def for_post(self, post):
        return self.filter(post=post)

    def awaiting_moderation(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Waiting for email confirmation"
        PENDING = "pending", "Waiting for moderation"
        APPROVED = "approved", "Published"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        PINGBACK = "pingback", "Pingback"
        TRACKBACK = "trackback", "Trackback"

    post = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    commenter = models.ForeignKey(
        Commenter, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=80)
    body = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNCONFIRMED)
    hold_reason = models.CharField(max_length=200, blank=True)
    notify_replies = models.BooleanField(default=False)
    distress = models.BooleanField(default=False)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Pingbacks and trackbacks come only from blogs imported from WordPress: this site does not
    # receive them. They are shown apart from the conversation, as a list of mentions.
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    source_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="For a pingback or trackback: the page that linked here.",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "status", "created_at"])]

    def __str__(self):
        return f"{self.author_name}: {self.body[:40]}"

    def get_absolute_url(self):
        return f"{self.post.url}#{self.anchor}"

    @property
    def is_staff_reply(self):
        return self.staff_user_id is not None

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    def approve(self, by=None):
        self.status = self.Status.APPROVED
        self.approved_at = self.approved_at or timezone.now()
        self.moderated_by = by
        self.hold_reason = ""
        self.save(update_fields=["status", "approved_at", "moderated_by", "hold_reason"])

    def hold(self, reason):
        self.status = self.Status.PENDING
        self.hold_reason = reason[:200]
        self.save(update_fields=["status", "hold_reason"])

    def set_status(self, status, by=None):
        self.status = status
        self.moderated_by = by
        self.save(update_fields=["status", "moderated_by"])


def post_comment_count():
    """A post card's comment_count: its published comments, pingbacks aside (blog listings)."""
    approved = (
        Comment.objects.visible()
        .filter(post=models.OuterRef("pk"), kind=Comment.Kind.COMMENT)
        .order_by()
        .values("post")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(approved, output_field=models.IntegerField()), 0)


class CommentReport(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abusive or hateful"
        MISINFORMATION = "misinformation", "Medical misinformation"
        PRIVACY = "privacy", "Shares someone's private information"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    ip_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "ip_hash"], name="one_report_per_reader")
        ]

    def __str__(self):
        return f"{self.get_reason_display()} report on comment {self.comment_id}"


class ConversationFollow(models.Model):
    """Someone who asked for an email about each new comment on a post or page."""

    post = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="follows")
    email = models.EmailField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "email"], name="one_follow_per_email")
        ]

    def __str__(self):
        return f"{self.email} follows post {self.post_id}"


class Block(models.Model):
    """An email address or a hashed IP address that may not comment."""

    email = models.EmailField(blank=True, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.email or f"IP {self.ip_hash[:10]}…"


class CommentNotice(models.Model):
    """The ledger of emails about published comments: one row per comment and address, made
    before the email is sent, so no retry, second worker or cache flush tells anyone twice."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply to their comment"
        FOLLOW = "follow", "New comment in a conversation they follow"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notices")
    recipient = models.CharField(max_length=64, help_text="A keyed hash of the address.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "recipient"], name="one_notice_per_comment_and_address"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} about comment {self.comment_id}"


class WaitingAlert(models.Model):
    """The moderators were told that comments wait too long. Each alert names the one before it
    (0 for the first) and only one alert may follow each: schedulers checking together send one,
    and the next comes `minutes` after the last, whatever happens to the cache."""

    previous = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now)
    minutes = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"Waiting comments alert of {self.at:%Y-%m-%d %H:%M}"
