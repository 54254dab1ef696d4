"""Background work for subscriptions: every email is sent here, never in a request."""

from django.tasks import task
from django.urls import reverse

from core.email import send_email
from core.links import absolute
from subscriptions import bounces, following, preferences, services
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
            "email": subscriber.email,
            "already": already,
            "manage_url": absolute(preferences.manage_path(subscriber)) if already else "",
            "confirm_url": confirm_url,
            "stop_url": stop_url,
            "days": services.CONFIRM_MAX_AGE // 86400,
        },
    )


@task()
def send_follow_confirmation(subscriber_id, kind, target_id):
    """The double opt-in link for one topic or author. It tells a confirmed subscriber what
    the link would add, or that they get those posts already."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status in (
        Subscriber.Status.UNSUBSCRIBED,
        Subscriber.Status.SUPPRESSED,
    ):
        return 0
    if bounces.is_suppressed(subscriber.email):
        return 0
    follow = following.parse(f"{kind}:{target_id}")
    if follow is None:  # deleted since the request
        return 0
    confirmed = subscriber.status == Subscriber.Status.CONFIRMED
    follow_url = absolute(
        reverse("subscriptions:follow", args=[following.make_token(subscriber, follow)])
    )
    stop_url = absolute(
        reverse("subscriptions:stop", args=[services.make_token("stop", subscriber)])
    )
    return send_email(
        "subscription_follow",
        subscriber.email,
        {
            "email": subscriber.email,
            "confirmed": confirmed,
            "standing": following.standing(subscriber, follow) if confirmed else "",
            "kind": follow.kind,
            "name": follow.name,
            "page_url": absolute(follow.target.get_absolute_url()),
            "follow_url": follow_url,
            "manage_url": absolute(preferences.manage_path(subscriber)) if confirmed else "",
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
        {
            "email": subscriber.new_email,
            "address_url": address_url,
            "days": preferences.ADDRESS_MAX_AGE // 86400,
        },
    )
