"""A person's rights over what we hold about them (see it, take it, erase it) and retention."""

import hmac

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from comments.follow import email_key, may_send_link, normalise_email, purge_unconfirmed_follows
from comments.models import Comment, Commenter, CommentReport, ConversationFollow
from comments.notices import forget_recipient
from comments.services import make_token, read_token, remove_comment, rules_for
from core.links import absolute
from core.tasks import enqueue_on_commit

DATA_LINK_MAX_AGE = 24 * 3600
COMMENTER, FOLLOWER = "commenter", "follow"


def request_data_link(email):
    """Email a link to the address if we hold anything about it. The caller shows the same
    message either way: only the owner of the address learns whether we know it."""
    email = normalise_email(email)
    # Both tables are always looked in, so a known address costs the same queries as another.
    commenter = Commenter.objects.filter(email=email).values_list("pk", flat=True).first()
    follow = ConversationFollow.objects.filter(email=email).values_list("pk", flat=True).first()
    kind, pk = (COMMENTER, commenter) if commenter is not None else (FOLLOWER, follow)
    # Counted for every address, known or not: the limit's queries must not tell them apart.
    allowed = may_send_link("my_data", email)
    if pk is None or not allowed:
        return False
    # The task gets a primary key, not the address: task queues keep their arguments.
    enqueue_on_commit("comments.tasks.send_data_link", kind, pk)
    return True


def email_of(kind, pk):
    model = {COMMENTER: Commenter, FOLLOWER: ConversationFollow}.get(kind)
    if model is None:
        return ""
    return model.objects.filter(pk=pk).values_list("email", flat=True).first() or ""


def data_token(kind, pk, email):
    # The row and a keyed hash of the address, never the address itself: URLs end up in logs.
    return make_token("my_data", [kind, pk, email_key(email)])


def email_for_token(token):
    """The address a data link was made for, or "" if it is forged, expired or erased."""
    value = read_token("my_data", token, max_age=DATA_LINK_MAX_AGE)
    try:
        kind, pk, key = value
    except (TypeError, ValueError):
        return ""
    email = email_of(kind, pk)
    if not email or not hmac.compare_digest(email_key(email), str(key)):
        # The row may be gone (erased) or its number reused by someone else.
        return ""
    return email


def _when(value):
    return value.isoformat() if value else None


def summary(email):
    commenter = Commenter.objects.filter(email=email).first()
    return {
        "comments": commenter.comments.count() if commenter else 0,
        "follows": ConversationFollow.objects.filter(email=email).count(),
    }


def export_data(email):
    """Everything we hold that is linked to the address, as plain data for JSON."""
    email = normalise_email(email)
    commenter = Commenter.objects.filter(email=email).first()
    comments = (
        Comment.objects.filter(commenter=commenter).select_related("post").order_by("created_at")
        if commenter
        else Comment.objects.none()
    )
    follows = ConversationFollow.objects.filter(email=email).select_related("post").order_by("pk")
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "commenter": {
            "name": commenter.name,
            "email": commenter.email,
            "confirmed_at": _when(commenter.confirmed_at),
            "first_seen_at": _when(commenter.created_at),
        }
        if commenter
        else None,
        "comments": [
            {
                "id": comment.pk,
                "post_title": comment.post.title,
                "post_url": _page_url(comment.post),
                "url": _page_url(comment.post) + f"#{comment.anchor}"
                if _page_url(comment.post)
                else None,
                "in_reply_to": comment.parent_id,
                "status": comment.status,
                "status_label": comment.get_status_display(),
                "name_shown": comment.author_name,
                "body": comment.body,
                "created_at": _when(comment.created_at),
                "edited_at": _when(comment.edited_at),
                "approved_at": _when(comment.approved_at),
                "email_me_about_replies": comment.notify_replies,
                "ip_address_hash": comment.ip_hash or None,
            }
            for comment in comments
        ],
        "follows": [
            {
                "post_title": follow.post.title,
                "post_url": _page_url(follow.post),
                "requested_at": _when(follow.created_at),
                "confirmed_at": _when(follow.confirmed_at),
            }
            for follow in follows
        ],
    }


def _page_url(page):
    """The page's public address, from BASE_URL (the one public origin), or None if it has
    none (no longer routable)."""
    url = page.url
    return absolute(url) if url else None


@transaction.atomic
def erase_data(email):
    """Forget the address: its comments become "Comment removed." in place, so replies keep
    their thread, and nothing left points back to the person. Returns what changed."""
    email = normalise_email(email)
    commenter = Commenter.objects.select_for_update().filter(email=email).first()
    removed = 0
    if commenter is not None:
        comments = Comment.objects.select_for_update().filter(commenter=commenter)
        for comment in comments:
            remove_comment(comment)
            removed += 1
        # What remove_comment keeps for moderation history but which still ties to the person:
        # the content hash is derived from the address, the IP hash from their connection.
        Comment.objects.filter(commenter=commenter).update(
            ip_hash="",
            content_hash="",
            hold_reason="",
            notify_replies=False,
            distress=False,
            edited_at=None,
            commenter=None,
        )
        commenter.delete()
    unfollowed, _ = ConversationFollow.objects.filter(email=email).delete()
    forget_recipient(email)
    return {"comments": removed, "follows": unfollowed, "commenter": commenter is not None}


def ip_cutoff(rules, now=None):
    return (now or timezone.now()) - timezone.timedelta(days=rules.ip_retention_days)


@transaction.atomic
def purge_ip_hashes(rules=None, now=None):
    """Forget hashed IP addresses older than the retention period; returns rows changed.

    Reports need a distinct value per comment for the one-report-per-reader constraint, so
    their hash is replaced by "purged:<report id>": unique, and linked to no one. The report
    (reason, date, count on the comment) stays for the moderators.
    """
    if rules is None:
        rules = rules_for(None)
    cutoff = ip_cutoff(rules, now)
    comments = Comment.objects.filter(created_at__lt=cutoff).exclude(ip_hash="").update(ip_hash="")
    reports = (
        CommentReport.objects.filter(created_at__lt=cutoff)
        .exclude(ip_hash__startswith="purged:")
        .update(ip_hash=Concat(Value("purged:"), Cast("pk", CharField())))
    )
    return {"comments": comments, "reports": reports}


def purge_expired(now=None):
    """All time-limited personal data: old IP hashes and unconfirmed follow requests."""
    counts = purge_ip_hashes(now=now)
    counts["unconfirmed_follows"] = purge_unconfirmed_follows(now=now)
    return counts
