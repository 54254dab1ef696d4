"""Background work for subscriptions: every email is sent here, never in a request."""

from django.tasks import task
from django.urls import reverse

from core.email import send_email
from core.links import absolute
from subscriptions.models import Subscriber


@task()
def send_confirmation(subscriber_id):
    """The double opt-in link; a confirmed subscriber is told they already get alerts."""
    from subscriptions import services

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return 0
    stop_url = absolute(
        reverse("subscriptions:stop", args=[services.make_token("stop", subscriber)])
    )
    confirm_url = absolute(
        reverse("subscriptions:confirm", args=[services.make_token("confirm", subscriber)])
    )
    return send_email(
        "subscription_confirm",
        subscriber.email,
        {
            "already": subscriber.status == Subscriber.Status.CONFIRMED,
            "confirm_url": confirm_url,
            "stop_url": stop_url,
            "days": services.CONFIRM_MAX_AGE // 86400,
        },
    )
