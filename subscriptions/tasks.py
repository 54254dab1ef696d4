"""Background work for subscriptions: every email is sent here, never in a request."""

from django.tasks import task
from django.urls import reverse

from core.email import send_email
from core.links import absolute
from subscriptions import bounces, preferences, services
from subscriptions.models import Subscriber


@task()
def send_confirmation(subscriber_id):
    """The double opt-in link; a confirmed subscriber is told they already get alerts."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status in (
        Subscriber.Status.UNSUBSCRIBED,
        Subscriber.Status.SUPPRESSED,
    ):
        return 0
    if bounces.is_suppressed(subscriber.email):  # it bounced after the link was queued
        return 0
    stop_url = absolute(
        reverse("subscriptions:stop", args=[services.make_token("stop", subscriber)])
    )
    confirm_url = absolute(
        reverse("subscriptions:confirm", args=[services.make_token("confirm", subscriber)])
    )
    already = subscriber.status == Subscriber.Status.CONFIRMED
    return send_email(
        "subscription_confirm",
        subscriber.email,
        {
            "already": already,
            "manage_url": absolute(preferences.manage_path(subscriber)) if already else "",
            "confirm_url": confirm_url,
            "stop_url": stop_url,
            "days": services.CONFIRM_MAX_AGE // 86400,
        },
    )


@task()
def send_address_confirmation(subscriber_id, new_email_key):
    """The link that proves a new address. A later request or a change since makes it moot."""
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.CONFIRMED
    ).first()
    if (
        subscriber is None
        or not subscriber.new_email
        or services.email_hash(subscriber.new_email)[:32] != new_email_key
    ):
        return 0
    address_url = absolute(
        reverse("subscriptions:address", args=[preferences.make_address_token(subscriber)])
    )
    return send_email(
        "subscription_address",
        subscriber.new_email,
        {"address_url": address_url, "days": preferences.ADDRESS_MAX_AGE // 86400},
    )
