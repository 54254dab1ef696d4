"""The editor's optional daily summary of how the subscriber list changed: counts, never
addresses."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from core.email import send_email
from core.links import absolute
from core.models import SiteSettings
from subscriptions.models import Mailing, Subscriber

SEND_FROM_HOUR = 7  # local time
WINDOW = timedelta(hours=24)


def summary_counts(since, until):
    """How the list changed in [since, until), and its size now: one query."""

    def within(field):
        return Q(**{f"{field}__gte": since, f"{field}__lt": until})

    return Subscriber.objects.aggregate(
        confirmed=Count("pk", filter=within("confirmed_at")),
        unsubscribed=Count("pk", filter=within("unsubscribed_at")),
        suppressed=Count("pk", filter=within("suppressed_at")),
        total=Count("pk", filter=Q(status=Subscriber.Status.CONFIRMED)),
    )


def _site_settings():
    site = Site.objects.filter(is_default_site=True).first()
    site_settings = SiteSettings.for_site(site) if site else None
    return site_settings if site_settings and site_settings.editor_email else None


def send_daily_summary(now=None):
    """For the scheduler, however often it calls: once per local day from 07:00, if the editor
    asked for it, email the last 24 hours' counts to the editor's address. A day with nothing
    new is recorded as skipped and sends nothing. Returns the Mailing this call made, if any.

    The day's Mailing key is the claim: whoever creates it sends, everyone else does nothing.
    If sending fails the claim is withdrawn so a later call tries again; a crash mid-send loses
    that day's summary rather than risk sending it twice."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < SEND_FROM_HOUR:
        return None
    key = f"summary:{local.date().isoformat()}"
    if Mailing.objects.filter(key=key).exists():
        return None
    site_settings = _site_settings()
    if not (site_settings and site_settings.daily_subscriber_summary):
        return None

    since = now - WINDOW
    counts = summary_counts(since, now)
    has_news = bool(counts["confirmed"] or counts["unsubscribed"] or counts["suppressed"])
    with transaction.atomic():
        mailing, created = Mailing.objects.get_or_create(
            key=key,
            defaults={
                "kind": Mailing.Kind.SUMMARY,
                "status": Mailing.Status.SENDING if has_news else Mailing.Status.SKIPPED,
                "note": "" if has_news else "Nothing changed in the last 24 hours.",
                "period_start": since,
                "period_end": now,
            },
        )
    if not created:
        return None
    if not has_news:
        return mailing

    context = {
        **counts,
        "left": counts["unsubscribed"] + counts["suppressed"],
        "day": local.date(),
        "since": since,
        "until": now,
        "subscribers_url": absolute(reverse("subscribers:index")),
        "report_url": absolute(reverse("subscriptions_alerts_report")),
    }
    try:
        send_email("subscriber_summary", site_settings.editor_email, context)
    except Exception:
        Mailing.objects.filter(pk=mailing.pk).delete()
        raise
    Mailing.objects.filter(pk=mailing.pk).update(
        status=Mailing.Status.DONE,
        note="Sent to the editor's contact address.",
        recipients_at=now,
        finished_at=timezone.now(),
    )
    mailing.refresh_from_db()
    return mailing
