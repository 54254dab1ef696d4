"""Thin receivers: publishing starts an alert, provider webhooks report bounces. The work is in
subscriptions.alerts and subscriptions.bounces."""

from anymail.signals import tracking
from django.dispatch import receiver
from wagtail.signals import page_published

from blog.models import PostPage
from subscriptions import alerts, bounces


@receiver(page_published, dispatch_uid="subscriptions.alert_on_first_publish")
def alert_on_first_publish(sender, instance, **kwargs):
    if isinstance(instance, PostPage):
        alerts.start_alert(instance)


@receiver(tracking, dispatch_uid="subscriptions.tracking_event")
def tracking_event(sender, event, esp_name, **kwargs):
    bounces.handle_tracking_event(event, esp_name)
