"""The moderators' side: who may moderate, the queue's tabs, staff edits and replies, blocks,
and the alert when comments wait too long."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from comments import checks, services
from comments.models import Block, Comment, CommentReport, WaitingAlert
from core.tasks import enqueue

MODERATOR_GROUPS = ("Moderators", "Editors")

Status = Comment.Status


def can_moderate(user):
    """Superusers and members of the Moderators or Editors groups with access to the admin."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_can_moderate_comments"):
        user._can_moderate_comments = user.has_perm("wagtailadmin.access_admin") and (
            user.is_superuser or user.groups.filter(name__in=MODERATOR_GROUPS).exists()
        )
    return user._can_moderate_comments


def moderator_users():
    """Who is emailed about comments: active superusers, Moderators and Editors with an address."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=MODERATOR_GROUPS))
        .exclude(email="")
        .distinct()
    )


# The queue's tabs. "Reported" holds open reports: once a reported comment is rejected,
# marked spam or removed, or its reports are dismissed, it leaves the tab.


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    condition: Q
    status: str = ""  # the status every comment in the tab has, if one


TABS = [
    Tab("pending", "Pending", Q(status=Status.PENDING), Status.PENDING),
    Tab(
        "reported",
        "Reported",
        Q(report_count__gt=0) & ~Q(status__in=[Status.REMOVED, Status.REJECTED, Status.SPAM]),
    ),
    Tab("spam", "Spam", Q(status=Status.SPAM), Status.SPAM),
    Tab(
        "unconfirmed",
        "Awaiting email confirmation",
        Q(status=Status.UNCONFIRMED),
        Status.UNCONFIRMED,
    ),
    Tab("approved", "Published", Q(status=Status.APPROVED), Status.APPROVED),
    Tab("rejected", "Rejected", Q(status=Status.REJECTED), Status.REJECTED),
]
TABS_BY_KEY = {tab.key: tab for tab in TABS}


def counts():
    """Number of comments in each tab, and pending ones with distress language, in one query."""
    return Comment.objects.aggregate(
        **{tab.key: Count("pk", filter=tab.condition) for tab in TABS},
        distress=Count("pk", filter=Q(status=Status.PENDING, distress=True)),
    )


def pending_count():
    return Comment.objects.awaiting_moderation().count()


def queue(tab_key, search=""):
    """The comments of one tab, oldest first for work queues, newest first for archives."""
    tab = TABS_BY_KEY[tab_key]
    comments = (
        Comment.objects.filter(tab.condition)
        .select_related("post", "commenter", "moderated_by", "staff_user")
        .prefetch_related("reports")
    )
    search = search.strip()
    if search:
        comments = comments.filter(
            Q(body__icontains=search)
            | Q(author_name__icontains=search)
            | Q(commenter__email__icontains=search)
        )
    if tab.key in ("approved", "rejected", "spam"):
        return comments.order_by("-created_at", "-pk")
    # A writer who may be in crisis comes first; then whoever has waited longest.
    return comments.order_by("-distress", "created_at", "pk")


def report_reasons(comment):
    """'Abusive or hateful ×2, Spam' from prefetched reports."""
    tally = {}
    for report in comment.reports.all():
        label = report.get_reason_display()
        tally[label] = tally.get(label, 0) + 1
    return ", ".join(f"{label} ×{n}" if n > 1 else label for label, n in tally.items())


# Actions. The status changes themselves go through services.moderate.

ACTIONS = {
    "approve": ("approved", "Approve"),
    "reject": ("rejected", "Reject"),
    "spam": ("marked as spam", "Mark spam"),
    "pending": ("moved back to pending", "Back to pending"),
    "dismiss_reports": ("kept, reports dismissed", "Keep and dismiss reports"),
}
ACTION_STATUS = {
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "spam": Status.SPAM,
    "pending": Status.PENDING,
}


def actions_for(status="", reported=False):
    """(action, label) pairs worth offering for comments in this status."""
    return [
        (action, label)
        for action, (_, label) in ACTIONS.items()
        if ACTION_STATUS.get(action) != status and (action != "dismiss_reports" or reported)
    ]


@transaction.atomic
def apply_action(comments, action, by):
    """Run one queue action on a queryset of comments; returns how many changed."""
    if action == "dismiss_reports":
        return dismiss_reports(comments, by=by)
    return services.moderate(comments, action, by=by)


@transaction.atomic
def dismiss_reports(comments, by):
    """A moderator read the reports and keeps the comments: forget the reports, publish them."""
    ids = list(comments.filter(report_count__gt=0).values_list("pk", flat=True))
    if not ids:
        return 0
    CommentReport.objects.filter(comment_id__in=ids).delete()
    Comment.objects.filter(pk__in=ids).update(report_count=0)
    services.moderate(Comment.objects.filter(pk__in=ids), "approve", by=by)
    return len(ids)


class ModerationError(Exception):
    """A moderator's request that cannot be done; the message says why."""


def _clean_body(body, rules):
    body = checks.clean_text(body)
    if not body:
        raise ModerationError("The comment cannot be empty.")
    if len(body) > rules.max_length:
        raise ModerationError(f"Keep it under {rules.max_length} characters.")
    return body


def _rules_for(post):
    return services.rules_for(post.get_site())


@transaction.atomic
def edit_comment(comment, *, body, author_name, by):
    """A moderator corrects a comment's text or name; the comment then shows as edited."""
    body = _clean_body(body, _rules_for(comment.post))
    author_name = checks.clean_text(author_name).replace("\n", " ")[:80]
    if not author_name:
        raise ModerationError("The name cannot be empty.")
    if body == comment.body and author_name == comment.author_name:
        return False
    email = comment.commenter.email if comment.commenter else ""
    comment.body = body
    comment.author_name = author_name
    comment.content_hash = checks.content_hash(email, body)
    comment.edited_at = timezone.now()
    comment.moderated_by = by
    comment.save(update_fields=["body", "author_name", "content_hash", "edited_at", "moderated_by"])
    return True


REPLYABLE = (Status.APPROVED, Status.PENDING)


def staff_email(user):
    # Staff replies need a commenter row; a user without an address gets one nobody receives.
    return (user.email or f"staff-{user.pk}@staff.invalid").strip().lower()


@transaction.atomic
def reply_as_staff(comment, *, body, by):
    """Publish a reply marked as staff; a pending comment is approved first, as it is answered."""
    if comment.status not in REPLYABLE:
        raise ModerationError("Only a published or pending comment can be replied to.")
    rules = _rules_for(comment.post)
    body = _clean_body(body, rules)
    if comment.status == Status.PENDING:
        services.moderate(Comment.objects.filter(pk=comment.pk), "approve", by=by)
    submission = services.Submission(
        post=comment.post,
        name=(by.get_full_name() or by.get_username())[:80],
        email=staff_email(by),
        body=body,
        parent=comment,
        staff_user=by,
    )
    reply, _ = services.submit_comment(submission, rules, checks.Verdict())
    return reply


@transaction.atomic
def block_commenter(comment, *, email, ip, reason="", by=None, mark_spam=False):
    """Stop the writer of a comment from commenting again; returns the Block rows made."""
    source = f"comment #{comment.pk}" + (f", by {by.get_username()}" if by else "")
    note = f"{reason.strip()} ({source})" if reason.strip() else source
    blocks = []
    if email:
        address = comment.commenter.email if comment.commenter else ""
        if not address:
            raise ModerationError("This comment has no email address to block.")
        blocks.append(block_email(address, note))
    if ip:
        if not comment.ip_hash:
            raise ModerationError("This comment has no IP address to block.")
        block = Block.objects.filter(ip_hash=comment.ip_hash, email="").first()
        blocks.append(block or Block.objects.create(ip_hash=comment.ip_hash, reason=note[:200]))
    if not blocks:
        raise ModerationError("Choose the email address, the IP address or both.")
    if mark_spam:
        services.moderate(Comment.objects.filter(pk=comment.pk), "spam", by=by)
    return blocks


def block_email(address, reason=""):
    address = address.strip().lower()
    block = Block.objects.filter(email__iexact=address, ip_hash="").first()
    return block or Block.objects.create(email=address, reason=reason.strip()[:200])


def unblock(block_id):
    return Block.objects.filter(pk=block_id).delete()[0] > 0


# Waiting comments. One alert per threshold period while any comment waits longer than the
# threshold: each alert is a row in the WaitingAlert ledger that names the alert before it, and
# only one row may follow each, so several schedulers send one alert, a cache flush or restart
# does not bring a second one, and a comment that keeps waiting brings a reminder each period
# rather than one per scheduler tick.


def alert_settings():
    return services.rules_for(None)  # the default site's rules


def waiting_summary(cutoff):
    """Pending comments written before cutoff: how many, the oldest, how many in distress."""
    return (
        Comment.objects.awaiting_moderation()
        .filter(created_at__lte=cutoff)
        .aggregate(
            count=Count("pk"),
            oldest=Min("created_at"),
            distress=Count("pk", filter=Q(distress=True)),
        )
    )


def alert_if_comments_waiting(now=None):
    """Email the moderators if comments wait longer than allowed; returns True if alerted."""
    now = now or timezone.now()
    minutes = alert_settings().moderation_alert_minutes
    if not minutes:
        return False
    cutoff = now - timezone.timedelta(minutes=minutes)
    if not waiting_summary(cutoff)["count"]:
        return False
    if not claim_waiting_alert(now, minutes):
        return False
    enqueue("comments.moderation_tasks.send_waiting_alert", cutoff.isoformat(), minutes)
    return True


def claim_waiting_alert(now, minutes):
    """True if no alert went out in the last `minutes`, and this caller is the one to send it."""
    last = WaitingAlert.objects.order_by("-pk").first()
    if last is not None and now - last.at < timezone.timedelta(minutes=minutes):
        return False
    try:
        with transaction.atomic():
            WaitingAlert.objects.create(previous=last.pk if last else 0, at=now, minutes=minutes)
    except IntegrityError:
        return False  # another scheduler followed the same alert first
    return True
