"""What publishing a post sets off, in words for the editor who pressed the button: whether an
email alert goes out and to how many subscribers, or why none does."""

from django.utils import timezone
from django.utils.formats import date_format

from core.email import has_postal_address
from subscriptions.alerts import NEWS_WINDOW, NO_ADDRESS, alert_recipients
from subscriptions.models import Delivery, Mailing


def _subscribers(n):
    return f"{n:,} subscriber{'s' if n != 1 else ''}"


def alert_outlook(post, now=None):
    """One sentence: what the alert of `post` did, does or will do."""
    now = now or timezone.now()
    mailing = Mailing.objects.filter(key=f"alert:{post.pk}").first()
    if mailing is not None:
        if mailing.status == Mailing.Status.SKIPPED:
            return f"No email alert: {mailing.note or 'it was skipped.'}"
        if mailing.recipients_at is None:
            count = alert_recipients(post).count()
            return f"An email alert is going out to {_subscribers(count)}."
        count = Delivery.objects.filter(mailing=mailing).count()
        return f"The email alert went to {_subscribers(count)}."
    if not post.send_alert:
        return "No email alert: “Email subscribers when first published” is off."
    if not has_postal_address():
        return f"No email alert: {NO_ADDRESS}."
    if not post.live:
        go_live = post.go_live_at
        when = (
            f"when it goes live on {date_format(timezone.localtime(go_live), 'j F Y, H:i')}"
            if go_live and go_live > now
            else "when it is first published"
        )
        count = alert_recipients(post).count()
        return f"An email alert will go to {_subscribers(count)} {when} (as the list stands now)."
    if post.first_published_at and post.first_published_at < now - NEWS_WINDOW:
        return "No email alert: alerts go out on a post's first publication only."
    return "No email alert was recorded for this post."
