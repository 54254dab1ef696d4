"""Counting actions per hour in the cache, for limits on forms that send email."""

from django.core.cache import cache


def hourly_count(key):
    """Count one more action under `key`; returns the count within the current hour."""
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key)
    except ValueError:  # the hour ran out between add and incr
        cache.set(key, 1, timeout=3600)
        return 1


def within_hourly_limit(key, limit):
    return hourly_count(key) <= limit
