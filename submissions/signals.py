"""Thin receivers: publishing a guest post moves its submission on (submissions.publishing)."""

from django.dispatch import receiver
from wagtail.signals import page_published

from blog.models import PostPage
from submissions import publishing


@receiver(page_published, dispatch_uid="submissions.post_published")
def post_published(sender, instance, revision=None, **kwargs):
    if isinstance(instance, PostPage):
        publishing.post_published(instance, revision)
