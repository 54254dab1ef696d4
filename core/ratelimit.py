"""Counting actions under a key for limits on forms that send email, and one-off claims.

The counts live in the database (core.models.LimitCounter), never in a process's memory: every
gunicorn worker, host and restart sees the same numbers, and a cache flush forgets nothing.
One statement counts and reads back (INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and
PostgreSQL alike), so requests arriving together each get a different count and a limit of N
lets exactly N through. A window opens with the first action under a key and lasts `seconds`.
"""

from django.db import connection
from django.utils import timezone

HOUR = 3600


def _upsert_sql():
    from core.models import LimitCounter

    q = connection.ops.quote_name
    table, key, count, expires = (
        q(LimitCounter._meta.db_table),
        q("key"),
        q("count"),
        q("expires_at"),
    )
    return (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires} <= %s THEN 1 ELSE {table}.{count} + 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} <= %s THEN excluded.{expires} "
        f"ELSE {table}.{expires} END "
        f"RETURNING {count}"
    )


def hit(key, seconds=HOUR, now=None):
    """Count one more action under `key`; returns the count within the current window."""
    now = now or timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    expires, current = adapt(now + timezone.timedelta(seconds=seconds)), adapt(now)
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [key[:200], expires, current, current])
        return cursor.fetchone()[0]


def within_limit(key, limit, seconds=HOUR):
    return hit(key, seconds) <= limit


def within_hourly_limit(key, limit):
    return within_limit(key, limit, HOUR)


def claim(key, seconds):
    """True for the first claim of `key`, False for every other one until `seconds` have passed
    since it: "send this link at most once every ten minutes", "this form is used once"."""
    return hit(key, seconds) == 1


def purge_expired(now=None):
    """Forget counters whose window has closed (they name hashed addresses); returns how many."""
    from core.models import LimitCounter

    deleted, _ = LimitCounter.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
