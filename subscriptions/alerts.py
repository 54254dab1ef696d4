"""Alerts about new posts and the weekly digest: deciding who gets which mailing, once.

Publishing only records a Mailing and enqueues its preparation; the recipient list and every
message are made by background tasks, so an editor's publish never waits for mail.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageLogEntry

from core.email import has_postal_address
from core.tasks import enqueue_on_commit
from subscriptions import sending
from subscriptions.models import Mailing, Subscriber

logger = logging.getLogger(__name__)

ALERT_LOG_ACTION = "cancerblog.email_alert"
NO_ADDRESS = "add the organisation's postal address in Settings › Site settings first"
# Why an alert did not go; once the address is set, publishing the post again sends it.
NO_ADDRESS_NOTE = (
    f"{NO_ADDRESS}, then publish the post again (within a day of its first publication) to send it."
)
# A post first published longer ago than this (back-dated, imported) is not news.
NEWS_WINDOW = timedelta(days=1)


def start_alert(post, now=None):
    """Called on every publication of a post: the first one records the alert mailing and
    starts it; every later call finds the mailing there and does nothing, except start one held
    back for want of the organisation's postal address once that is set. Returns the mailing
    created or started by this call, if any."""
    now = now or timezone.now()
    if not post.live:  # Wagtail signals "published" for a scheduled revision too
        return None
    if post.first_published_at and post.first_published_at < now - NEWS_WINDOW:
        return None
    status, note = Mailing.Status.PREPARING, ""
    if not post.send_alert:
        status, note = Mailing.Status.SKIPPED, "The editor chose to send no alert."
    elif not has_postal_address():
        status, note = Mailing.Status.SKIPPED, NO_ADDRESS_NOTE
    with transaction.atomic():
        mailing, created = Mailing.objects.get_or_create(
            key=f"alert:{post.pk}",
            defaults={"kind": Mailing.Kind.ALERT, "post": post, "status": status, "note": note},
        )
        # Held back for the address: whoever flips it from skipped starts it, once.
        started = created or (
            status == Mailing.Status.PREPARING
            and Mailing.objects.filter(
                pk=mailing.pk, status=Mailing.Status.SKIPPED, note=NO_ADDRESS_NOTE
            ).update(status=Mailing.Status.PREPARING, note="")
        )
        if started and status == Mailing.Status.PREPARING:
            mailing.status, mailing.note = status, note
            _enqueue_prepare(mailing)
    return mailing if started else None


def start_weekly_digest(now=None):
    """For the scheduler: on the digest weekday, from the digest hour, make this week's digest
    once. A week with nothing new is recorded as skipped and sends nothing."""
    from subscriptions.compose import digest_posts

    now = now or timezone.now()
    local = timezone.localtime(now)
    if (
        local.weekday() != settings.SUBSCRIPTIONS_DIGEST_WEEKDAY
        or local.hour < settings.SUBSCRIPTIONS_DIGEST_HOUR
    ):
        return None
    year, week, _ = local.isocalendar()
    key = f"digest:{year}-W{week:02d}"
    if Mailing.objects.filter(key=key).exists():
        return None
    if not has_postal_address():
        # Nothing recorded: the first run after the address is set sends the digest, and if
        # that is next week, it covers both weeks (it starts where the last one ended).
        logger.warning("weekly digest held: no postal address in Settings › Site settings")
        return None
    previous = (
        Mailing.objects.filter(kind=Mailing.Kind.DIGEST, period_end__isnull=False)
        .order_by("-period_end")
        .first()
    )
    start = previous.period_end if previous else now - timedelta(days=7)
    has_news = digest_posts(start, now).exists()
    with transaction.atomic():
        mailing, created = Mailing.objects.get_or_create(
            key=key,
            defaults={
                "kind": Mailing.Kind.DIGEST,
                "period_start": start,
                "period_end": now,
                "status": Mailing.Status.PREPARING if has_news else Mailing.Status.SKIPPED,
                "note": "" if has_news else "Nothing new was published this week.",
            },
        )
        if created and has_news:
            _enqueue_prepare(mailing)
    return mailing if created else None


def _enqueue_prepare(mailing):
    enqueue_on_commit("subscriptions.sending_tasks.prepare", mailing.pk)


def alert_recipients(post):
    """Who an alert about `post` goes to (or would go to now), as a queryset."""
    subscribers = sending.sendable_subscribers().filter(frequency=Subscriber.Frequency.INSTANT)
    # A draft's topics and contributors live in memory (modelcluster), a live post's in the
    # database: ask alike.
    topic_ids = {topic.pk for topic in post.topics.all()} if post else set()
    contributor_ids = {link.contributor_id for link in post.post_contributors.all()} if post else ()
    return subscribers.following(topic_ids, contributor_ids)


def recipients(mailing):
    """Who the mailing goes to, as a queryset (evaluated inside the database)."""
    from subscriptions.compose import digest_posts

    subscribers = sending.sendable_subscribers()
    if mailing.kind == Mailing.Kind.ALERT:
        return alert_recipients(mailing.post)
    else:
        posts = digest_posts(mailing.period_start, mailing.period_end)
        topic_ids = posts.values_list("topics", flat=True).exclude(topics=None)
        contributor_ids = posts.values_list("post_contributors__contributor", flat=True).exclude(
            post_contributors=None
        )
        subscribers = subscribers.filter(frequency=Subscriber.Frequency.WEEKLY)
    return subscribers.following(set(topic_ids), set(contributor_ids))


def prepare(mailing_id):
    """Write the mailing's ledger rows, then hand it to the senders. Idempotent."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None or mailing.status not in (
        Mailing.Status.PREPARING,
        Mailing.Status.SENDING,
    ):
        return 0
    if mailing.kind == Mailing.Kind.ALERT and mailing.post is None:
        Mailing.objects.filter(pk=mailing.pk).update(
            status=Mailing.Status.SKIPPED, note="The post was deleted before sending."
        )
        return 0
    count = sending.add_recipients(mailing, recipients(mailing))
    with transaction.atomic():
        moved = Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.PREPARING).update(
            status=Mailing.Status.SENDING, recipients_at=timezone.now()
        )
        if moved and mailing.kind == Mailing.Kind.ALERT:
            # In the post's history: what its publication (scheduled ones too) set off.
            PageLogEntry.objects.log_action(
                mailing.post, ALERT_LOG_ACTION, data={"recipients": count}
            )
        if moved:
            for _ in range(sending.senders()):
                enqueue_on_commit("subscriptions.sending_tasks.send", mailing.pk)
    return count
