"""What happens to a comment: submitted, confirmed, moderated, reported, edited, shown.

Comments belong to posts and to the pages whose `comment_mode` lets them (core.pages)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from comments import checks
from comments.cache import comments_moderated
from comments.models import Comment, Commenter, CommentReport, CommentSettings
from core import tokens
from core.pages import CommentMode
from core.tasks import enqueue_on_commit

EDIT_WINDOW = timezone.timedelta(minutes=15)
CONFIRM_MAX_AGE = 7 * 24 * 3600
MAX_SHOWN_DEPTH = 3  # replies nest three levels; deeper ones are shown at the third


class Outcome:
    NEEDS_CONFIRMATION = "needs_confirmation"
    PENDING = "pending"
    PUBLISHED = "published"
    SPAM = "spam"


@dataclass
class Submission:
    post: object
    name: str
    email: str
    body: str
    parent: Comment | None = None
    notify_replies: bool = False
    ip_hash: str = ""
    proven_email: str = ""  # the address this browser has confirmed before, if any
    staff_user: object = None


def rules_for(site):
    if site is None:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
    return CommentSettings.for_site(site)


def comment_mode(page):
    """Off, open or closed: what the page (its specific class) says; a page that says nothing
    takes no comments."""
    return getattr(page, "comment_mode", CommentMode.OFF)


def takes_comments(page):
    """The page shows a comment section (open or closed)."""
    return comment_mode(page) in (CommentMode.OPEN, CommentMode.CLOSED)


def comments_open(post, rules):
    """New comments and follows are welcome on this post or page."""
    if not rules.comments_enabled or comment_mode(post) != CommentMode.OPEN:
        return False
    if (
        rules.close_after_days
        and post.first_published_at
        and getattr(post, "comments_close_with_age", False)
    ):
        age = timezone.now() - post.first_published_at
        return age <= timezone.timedelta(days=rules.close_after_days)
    return True


def commentable_page(page_id):
    """The live, public page that takes comments with this pk (its specific object), or None."""
    from wagtail.models import Page

    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    return page if page is not None and takes_comments(page) else None


# Signed tokens carry what a link or cookie is allowed to do; nothing secret is stored.


def make_token(purpose, value):
    return tokens.make_token(f"comments.{purpose}", value, compress=True)


def read_token(purpose, token, max_age):
    """The signed value, or None if the token is forged, altered or too old."""
    return tokens.read_token(f"comments.{purpose}", token, max_age)


@transaction.atomic
def submit_comment(sub: Submission, rules, verdict):
    """Store a comment that passed the checks; returns (comment, outcome)."""
    email = sub.email.strip().lower()
    # The same three queries whether or not the address is known: the work must not tell a
    # timing attacker who has commented here.
    Commenter.objects.bulk_create([Commenter(email=email, name=sub.name)], ignore_conflicts=True)
    Commenter.objects.filter(email=email).update(name=sub.name)
    commenter = Commenter.objects.get(email=email)
    comment = Comment(
        post=sub.post,
        parent=sub.parent,
        commenter=commenter,
        author_name=sub.name,
        body=sub.body,
        notify_replies=sub.notify_replies,
        ip_hash=sub.ip_hash,
        content_hash=checks.content_hash(email, sub.body),
        distress=verdict.distress,
        hold_reason="; ".join(verdict.hold_reasons)[:200],
    )
    if verdict.spam:
        comment.status = Comment.Status.SPAM
        comment.save()
        return comment, Outcome.SPAM
    if sub.staff_user is not None:
        comment.staff_user = sub.staff_user
        comment.status = Comment.Status.APPROVED
        comment.approved_at = timezone.now()
        comment.save()
        _after_publication(comment)
        return comment, Outcome.PUBLISHED
    if not commenter.is_confirmed or sub.proven_email != email:
        # Anyone can type an address: until this browser proves it, the owner confirms by email.
        comment.status = Comment.Status.UNCONFIRMED
        comment.save()
        enqueue_on_commit("comments.tasks.send_confirmation", comment.pk)
        if verdict.distress:
            enqueue_on_commit("comments.tasks.alert_moderators_of_distress", comment.pk)
        return comment, Outcome.NEEDS_CONFIRMATION
    comment.save()
    outcome = _decide_after_confirmation(comment, rules)
    if verdict.distress:
        enqueue_on_commit("comments.tasks.alert_moderators_of_distress", comment.pk)
    return comment, outcome


def resend_confirmation(comment_id):
    """Send the confirmation link again, at most once every ten minutes per comment."""
    from core.ratelimit import claim

    if claim(f"comments:resent:{comment_id}", 600):
        enqueue_on_commit("comments.tasks.send_confirmation", comment_id)
        return True
    return False


def _decide_after_confirmation(comment, rules):
    trusted = rules.trust_confirmed_commenters and comment.commenter.has_approved_comment()
    if trusted and not comment.hold_reason:
        comment.approve()
        _after_publication(comment)
        return Outcome.PUBLISHED
    comment.hold(comment.hold_reason or "first comment from this address")
    return Outcome.PENDING


@transaction.atomic
def confirm_comment(comment_id, rules):
    """The commenter clicked the emailed link: their address is theirs."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("commenter")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.commenter is None:
        return None, None
    if comment.status != Comment.Status.UNCONFIRMED:
        return comment, _outcome_so_far(comment)
    commenter = comment.commenter
    if not commenter.is_confirmed:
        commenter.confirmed_at = timezone.now()
        commenter.save(update_fields=["confirmed_at"])
    earlier = _same_comment_confirmed_before(comment)
    if earlier is not None:
        # Posted again from a browser that could not prove the address (checks.assess takes it
        # like any new comment, so as not to tell who wrote what): keep the first one only.
        comment.delete()
        return earlier, _outcome_so_far(earlier)
    return comment, _decide_after_confirmation(comment, rules)


def _outcome_so_far(comment):
    return Outcome.PUBLISHED if comment.status == Comment.Status.APPROVED else Outcome.PENDING


def _same_comment_confirmed_before(comment):
    """The commenter's earlier comment with the same text on the same post, past confirmation."""
    if not comment.content_hash:
        return None
    return (
        Comment.objects.filter(
            commenter_id=comment.commenter_id,
            post_id=comment.post_id,
            content_hash=comment.content_hash,
            created_at__gte=comment.created_at - timezone.timedelta(days=1),
        )
        .exclude(pk=comment.pk)
        .exclude(status__in=[Comment.Status.UNCONFIRMED, Comment.Status.REMOVED])
        .order_by("pk")
        .first()
    )


def _after_publication(comment):
    enqueue_on_commit("comments.tasks.notify_of_publication", comment.pk)


@transaction.atomic
def moderate(comments, action, by=None):
    """Apply one moderation action to many comments; returns how many changed."""
    targets = {
        "approve": Comment.Status.APPROVED,
        "reject": Comment.Status.REJECTED,
        "spam": Comment.Status.SPAM,
        "pending": Comment.Status.PENDING,
    }
    status = targets[action]
    # One UPDATE for the whole selection, however many comments a moderator ticked.
    locked = comments.select_for_update(of=("self",)).exclude(status=status)
    ids = list(locked.values_list("pk", flat=True))
    changing = Comment.objects.filter(pk__in=ids)
    if status == Comment.Status.APPROVED:
        first_approvals = list(
            changing.filter(approved_at__isnull=True).values_list("pk", flat=True)
        )
        changing.update(
            status=status,
            moderated_by=by,
            hold_reason="",
            approved_at=Coalesce("approved_at", Now()),
        )
        for pk in first_approvals:
            enqueue_on_commit("comments.tasks.notify_of_publication", pk)
    else:
        changing.update(status=status, moderated_by=by)
    if ids:
        # update() sends no post_save: tell the page cache (comments/cache.py) ourselves.
        comments_moderated(ids)
    return len(ids)


@transaction.atomic
def report_comment(comment, reason, ip_hash, rules):
    """Record one reader's report; enough distinct readers hide the comment for review."""
    # Reports on one comment queue up, so each count sees the reports before it.
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _, created = CommentReport.objects.get_or_create(
        comment=comment, ip_hash=ip_hash, defaults={"reason": reason}
    )
    if not created:
        return False
    count = CommentReport.objects.filter(comment=comment).count()
    Comment.objects.filter(pk=comment.pk).update(report_count=count)
    if count >= rules.report_threshold and comment.status == Comment.Status.APPROVED:
        comment.hold(f"reported by {count} readers")
    return True


def can_still_edit(comment, now=None):
    now = now or timezone.now()
    return (
        comment.status not in (Comment.Status.REMOVED,) and now - comment.created_at <= EDIT_WINDOW
    )


@transaction.atomic
def edit_own_comment(comment, body, rules):
    """The writer changed their text: it is looked at again like a new comment."""
    verdict = checks.review_content(body, rules)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.content_hash = checks.content_hash(
        comment.commenter.email if comment.commenter else "", body
    )
    fields = ["body", "edited_at", "content_hash"]
    if verdict.distress and not comment.distress:
        comment.distress = True
        fields.append("distress")
        enqueue_on_commit("comments.tasks.alert_moderators_of_distress", comment.pk)
    if verdict.spam:
        comment.status = Comment.Status.SPAM
        fields.append("status")
    elif verdict.hold_reasons:
        comment.hold_reason = "; ".join(verdict.hold_reasons)[:200]
        fields.append("hold_reason")
        if comment.status == Comment.Status.APPROVED:
            comment.status = Comment.Status.PENDING
            fields.append("status")
    comment.save(update_fields=fields)
    return comment


@transaction.atomic
def remove_comment(comment):
    """Take a comment down but keep its place, so replies to it still read as a thread."""
    comment.status = Comment.Status.REMOVED
    comment.body = ""
    comment.author_name = ""
    comment.save(update_fields=["status", "body", "author_name"])


# Threads are built in memory from one query, so a post with 1,000 comments costs the same
# number of queries as a post with one.


@dataclass
class Node:
    comment: Comment
    depth: int
    replies: list
    in_reply_to: str = ""


def thread_for(post, newest_first=False):
    """Top-level nodes of the post's conversation and the number of published comments."""
    shown = {Comment.Status.APPROVED, Comment.Status.REMOVED}
    comments = list(
        Comment.objects.filter(post=post, status__in=shown)
        .select_related("staff_user")
        .order_by("created_at", "pk")
    )
    by_id = {c.pk: c for c in comments}
    children = {}
    for comment in comments:
        parent_id = comment.parent_id if comment.parent_id in by_id else None
        children.setdefault(parent_id, []).append(comment)

    visible = {}

    def is_visible(comment):
        # A removed comment keeps its place only while a published reply hangs from it.
        if comment.pk not in visible:
            visible[comment.pk] = comment.status == Comment.Status.APPROVED or any(
                is_visible(child) for child in children.get(comment.pk, [])
            )
        return visible[comment.pk]

    def descendants(comment, depth):
        flat = []
        for child in children.get(comment.pk, []):
            if is_visible(child):
                flat.append(
                    Node(child, depth, [], in_reply_to=comment.author_name or "a removed comment")
                )
                flat.extend(descendants(child, depth))
        return flat

    def level(parent_id, depth):
        nodes = []
        for comment in children.get(parent_id, []):
            if not is_visible(comment):
                continue
            if depth < MAX_SHOWN_DEPTH - 1:
                nodes.append(Node(comment, depth, level(comment.pk, depth + 1)))
            else:
                nodes.append(Node(comment, depth, []))
                nodes.extend(descendants(comment, depth))
        return nodes

    roots = level(None, 0)
    if newest_first:
        roots.reverse()
    count = sum(1 for c in comments if c.status == Comment.Status.APPROVED)
    return roots, count
