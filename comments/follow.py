"""Following a post's conversation by email, without commenting: ask, confirm, be told, stop."""

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comments.models import ConversationFollow
from core.forms import normalise_email
from core.ratelimit import claim, within_hourly_limit
from core.tasks import enqueue_on_commit

CONFIRM_MAX_AGE = 7 * 24 * 3600
RESEND_AFTER = timezone.timedelta(minutes=10)
MAX_LINKS_PER_HOUR = 5  # per address, across all posts and the data-request page


def email_key(email):
    """A keyed hash that names an address in limit keys and tokens without spelling it out."""
    key = hashlib.sha256(f"comments-email:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:32]


def may_send_link(purpose, email, scope=""):
    """Claim the right to email a link: once per RESEND_AFTER per purpose and scope, and a few
    an hour per address, so the forms cannot be used to flood someone's inbox."""
    who = email_key(email)
    if not claim(f"comments:link:{purpose}:{scope}:{who}", int(RESEND_AFTER.total_seconds())):
        return False
    return within_hourly_limit(f"comments:links-hour:{who}", MAX_LINKS_PER_HOUR)


def link_requests_allowed(ip_hash, limit=20):
    """A few dozen link requests an hour from one connection: people, not address lists."""
    return within_hourly_limit(f"comments:link-requests:{ip_hash[:32]}", limit)


@transaction.atomic
def request_follow(post, email):
    """Record the wish to follow and email a link to confirm it; the caller says the same
    thing to the reader whatever happens here, so nobody learns who follows what."""
    email = normalise_email(email)
    # The same three queries whether or not the address follows already: the work must not
    # tell a timing attacker who follows what.
    ConversationFollow.objects.bulk_create(
        [ConversationFollow(post=post, email=email)], ignore_conflicts=True
    )
    follows = ConversationFollow.objects.filter(post=post, email=email)
    # An unconfirmed request lives as long as its newest link.
    follows.filter(confirmed_at__isnull=True).update(created_at=timezone.now())
    follow_pk = follows.values_list("pk", flat=True).get()
    if not may_send_link("follow", email, scope=str(post.pk)):
        return False
    enqueue_on_commit("comments.tasks.send_follow_confirmation", follow_pk)
    return True


def follow_token_value(follow):
    return [follow.pk, email_key(follow.email)]


def follow_for_token(value):
    """The follow a signed token names, if it still exists for the same address."""
    try:
        pk, key = value
    except (TypeError, ValueError):
        return None
    follow = ConversationFollow.objects.select_related("post").filter(pk=pk).first()
    if follow is None or not hmac.compare_digest(email_key(follow.email), str(key)):
        return None
    return follow


def confirm_follow(follow):
    ConversationFollow.objects.filter(pk=follow.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )


def stop_following(follow):
    """Stopping forgets the address for this post altogether."""
    ConversationFollow.objects.filter(pk=follow.pk).delete()


def followers_to_tell(comment):
    """Confirmed followers of the comment's post, except the person who wrote it."""
    follows = ConversationFollow.objects.filter(
        post_id=comment.post_id, confirmed_at__isnull=False
    ).order_by("pk")
    if comment.commenter_id and comment.commenter:
        follows = follows.exclude(email=normalise_email(comment.commenter.email))
    return follows


def purge_unconfirmed_follows(now=None):
    """Unconfirmed requests are forgotten once their link has expired."""
    cutoff = (now or timezone.now()) - timezone.timedelta(seconds=CONFIRM_MAX_AGE)
    deleted, _ = ConversationFollow.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted
