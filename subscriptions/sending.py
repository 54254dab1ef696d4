"""Sending a mailing to its recipients, exactly once each.

The delivery ledger has one row per mailing and subscriber (a unique constraint), written in
one INSERT … SELECT before anything is sent. Senders then claim small batches of queued rows
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, a write lock on SQLite), so any number of workers can
share a mailing without two ever holding the same row, and mark each row sent the moment the
mail server accepts the message. A worker killed mid-way leaves its unsent rows claimed; once
the claim is older than LEASE they are queued again and the next worker goes on from there.

The one window no ledger can close is the instant between the server's "250 OK" and our
UPDATE: a crash exactly then sends that single message again on resume, with the same
Message-ID so receiving systems can recognise it (RFC 1047 describes the same gap in SMTP).
"""

import logging
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from core.email import has_postal_address
from core.tasks import enqueue
from subscriptions.models import Delivery, Mailing, Subscriber

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
SEND = "subscriptions.sending_tasks.send"  # the task that runs send_mailing
LEASE = timedelta(minutes=10)
# Waits before each new attempt after a temporary failure; after the last, the row fails.
RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
# After a lost connection, the rest of the batch waits this long before another try.
RECONNECT_DELAY = 30


class ConnectionLost(Exception):
    """The mail server went away: stop this run, the rows wait for the next one."""


def sendable_subscribers():
    """Everyone who may get mail right now."""
    return Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, paused=False)


def add_recipients(mailing, subscribers):
    """Write one queued ledger row per subscriber in one statement; rows already there stay as
    they are, so running it again after a crash adds only who is missing. Returns the count
    of rows the mailing has."""
    chosen = subscribers.order_by().values(recipient_id=F("pk"))
    select_sql, params = chosen.query.sql_with_params()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        # "WHERE true" lets SQLite tell the SELECT from the upsert clause that follows.
        cursor.execute(
            f"INSERT INTO {table} (mailing_id, subscriber_id, status, attempts, error) "
            f"SELECT %s, recipient.recipient_id, %s, 0, '' FROM ({select_sql}) AS recipient "
            "WHERE true ON CONFLICT DO NOTHING",
            [mailing.pk, Delivery.Status.QUEUED, *params],
        )
    return Delivery.objects.filter(mailing=mailing).count()


def claim(mailing_id, *, now, size=BATCH_SIZE):
    """Take up to `size` due rows of the mailing for this worker alone; returns their ids."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(due, mailing_id=mailing_id, status=Delivery.Status.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if ids:
            Delivery.objects.filter(pk__in=ids).update(
                status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    return ids


def classify(error):
    """'permanent' when sending again cannot help (the server refused this recipient or
    message for good), 'connection' when the server went away, else 'temporary'."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return "permanent" if codes and min(codes) >= 500 else "temporary"
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError):
        return "connection"
    if isinstance(error, smtplib.SMTPResponseException):
        return "permanent" if error.smtp_code >= 500 else "temporary"
    status = getattr(error, "status_code", None)  # provider APIs through django-anymail
    if status is not None:
        return "permanent" if 400 <= status < 500 and status != 429 else "temporary"
    if error.__class__.__name__ == "AnymailRecipientsRefused":
        return "permanent"
    if isinstance(error, OSError):
        return "connection"
    return "temporary"


def _short(error):
    """The error for the ledger, without the recipient's address that some errors quote."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [
            f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()
        ]
        return f"Recipient refused: {'; '.join(replies)}"[:300]
    return f"{error.__class__.__name__}: {error}"[:300]


def _finish(delivery_id, **fields):
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        claimed_at=None, **fields
    )


def _mark_sent(delivery_id):
    """The one write per message on the hot path, as plain SQL: building it through the ORM
    took longer than sending the message."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, claimed_at = NULL, error = '' "
            "WHERE id = %s AND status = %s",
            [
                Delivery.Status.SENT,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                delivery_id,
                Delivery.Status.SENDING,
            ],
        )


def _retry_or_fail(delivery, error, now):
    if delivery.attempts >= len(RETRY_DELAYS) + 1:
        _finish(delivery.pk, status=Delivery.Status.FAILED, error=_short(error))
    else:
        wait = RETRY_DELAYS[max(delivery.attempts - 1, 0)]
        _finish(
            delivery.pk,
            status=Delivery.Status.QUEUED,
            next_attempt_at=now + timedelta(seconds=wait),
            error=_short(error),
        )


def _release(ids, now, delay):
    """Hand unsent claimed rows back, without counting the attempt they never had."""
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED,
        claimed_at=None,
        attempts=F("attempts") - 1,
        next_attempt_at=now + timedelta(seconds=delay),
    )


def _send_one(mailer, composer, delivery, subscriber):
    """Send one delivery; False if there was nothing to send them. Over SMTP, the bytes come
    from a copy encoded once per mailing; other mailers (files, providers' APIs) get a
    Django EmailMessage."""
    smtp = getattr(mailer, "connection", None) if isinstance(mailer, SMTPBackend) else None
    if smtp is not None:
        smtp.ehlo_or_helo_if_needed()
        eight_bit_ok = smtp.has_extn("8bitmime")
        data = composer.wire(delivery, subscriber, eight_bit_ok)
        if data is not None:
            options = ["BODY=8BITMIME"] if eight_bit_ok else []
            smtp.sendmail(composer.sender, [subscriber.email], data, mail_options=options)
            return True
    message = composer.message(delivery, subscriber)
    if message is None:
        return False
    mailer.send_messages([message])
    return True


def _send_batch(mailer, mailing, composer, ids):
    """Send the claimed rows in order; returns how many were dealt with (not handed back)."""
    deliveries = list(
        Delivery.objects.filter(pk__in=ids).select_related("subscriber").order_by("pk")
    )
    composer.prepare([d.subscriber for d in deliveries if d.subscriber])
    # A claim is only ours for LEASE: a server so slow that half of it is gone makes us hand
    # the rest back rather than risk resume_stalled giving it to a second worker.
    deadline = time.monotonic() + LEASE.total_seconds() / 2
    for position, delivery in enumerate(deliveries):
        if position and time.monotonic() > deadline:  # each claim sends at least one
            _release([d.pk for d in deliveries[position:]], timezone.now(), delay=0)
            return position
        subscriber = delivery.subscriber
        if (
            subscriber is None
            or subscriber.status != Subscriber.Status.CONFIRMED
            or subscriber.paused
        ):
            _finish(delivery.pk, status=Delivery.Status.SKIPPED)
            continue
        try:
            if not _send_one(mailer, composer, delivery, subscriber):
                _finish(delivery.pk, status=Delivery.Status.SKIPPED)
                continue
        except Exception as error:  # every failure is recorded on its row
            kind = classify(error)
            now = timezone.now()
            if kind == "permanent":
                _finish(delivery.pk, status=Delivery.Status.FAILED, error=_short(error))
                continue
            _retry_or_fail(delivery, error, now)
            if kind == "connection":
                rest = [d.pk for d in deliveries[position + 1 :]]
                _release(rest, now, RECONNECT_DELAY)
                raise ConnectionLost(_short(error)) from error
            continue
        _mark_sent(delivery.pk)
    return len(deliveries)


def _fast_commits(on):
    """While sending, PostgreSQL may acknowledge a commit before flushing it to disk: marking
    a row sent then costs a fraction of a millisecond instead of a disk sync. A killed worker
    loses nothing by it (the server still writes every commit); only a crash of the database
    server itself can forget the last moment's marks, and those messages go out again, with
    the same Message-ID."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off" if on else "RESET synchronous_commit")


def send_mailing(mailing_id):
    """Send the mailing's due rows until none is left. Safe to run in several workers at once.
    Returns the number of rows this call handled."""
    from subscriptions.compose import composer_for

    mailing = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).first()
    if mailing is None:
        return 0
    if not has_postal_address():  # removed since the mailing started: its rows stay queued
        logger.warning("mailing %s: held, no postal address in site settings", mailing.key)
        return 0
    composer = composer_for(mailing)
    mailer = mailers["default"]
    handled = 0
    try:
        mailer.open()
    except OSError as error:  # server down: the rows stay queued for resume_stalled
        logger.warning("mailing %s: cannot reach the mail server: %s", mailing.key, error)
        return 0
    _fast_commits(True)
    try:
        while True:
            now = timezone.now()
            ids = claim(mailing.pk, now=now)
            if not ids:
                break
            Mailing.objects.filter(pk=mailing.pk).update(progress_at=now)
            handled += _send_batch(mailer, mailing, composer, ids)
    except ConnectionLost as error:
        logger.warning("mailing %s: connection lost, will resume: %s", mailing.key, error)
    finally:
        _fast_commits(False)
        mailer.close()
    finish_if_done(mailing)
    return handled


def finish_if_done(mailing):
    """Mark the mailing sent once no row is waiting; otherwise ask for a later run when the
    earliest retry is due."""
    waiting = Delivery.objects.filter(
        mailing=mailing, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    )
    if not waiting.exists():
        Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.DONE, finished_at=timezone.now()
        )
        return True
    if waiting.filter(status=Delivery.Status.SENDING).exists():
        return False  # another worker is on it
    next_at = waiting.aggregate(at=Min("next_attempt_at"))["at"]
    if next_at and next_at > timezone.now():
        enqueue(SEND, mailing.pk, run_after=next_at)
    return False


def resume_stalled(now=None):
    """For the scheduler: queue again the rows of workers that died holding them, and give
    stalled mailings a new sender. Returns the number of mailings restarted."""
    now = now or timezone.now()
    stale = now - LEASE
    Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=stale).update(
        status=Delivery.Status.QUEUED, claimed_at=None
    )
    restarted = 0
    for mailing in Mailing.objects.filter(status=Mailing.Status.PREPARING, created_at__lt=stale):
        enqueue("subscriptions.sending_tasks.prepare", mailing.pk)
        restarted += 1
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    busy = Delivery.objects.filter(status=Delivery.Status.SENDING).values("mailing_id")
    waiting = (
        Delivery.objects.filter(due, status=Delivery.Status.QUEUED)
        .exclude(mailing_id__in=busy)
        .values("mailing_id")
    )
    quiet = Q(progress_at__isnull=True) | Q(progress_at__lt=now - timedelta(minutes=2))
    for mailing in Mailing.objects.filter(quiet, status=Mailing.Status.SENDING, pk__in=waiting):
        # Whoever bumps progress_at first restarts it; a second scheduler finds it fresh.
        if Mailing.objects.filter(pk=mailing.pk, progress_at=mailing.progress_at).update(
            progress_at=now
        ):
            enqueue(SEND, mailing.pk)
            restarted += 1
    return restarted


def senders():
    return max(1, settings.SUBSCRIPTIONS_SENDERS)
