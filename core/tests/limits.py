"""For tests that let time pass: every limit's window closes, as after an hour."""

from django.utils import timezone


def all_limits_expire():
    from core.models import LimitCounter

    LimitCounter.objects.update(expires_at=timezone.now())
