"""What a subscriber changes from the preference page their emails link to: topics, frequency,
pausing, their address, and coming back after leaving.

The page needs no password: its signed link came to the subscriber's inbox. A new address is
proved the same way, by a link sent to it, and nothing changes until that link is used.
"""

import hmac

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from blog.models import Contributor
from blog.models.snippets import ContributorKind
from core import tokens
from core.forms import normalise_email
from core.ratelimit import within_hourly_limit
from core.tasks import enqueue_on_commit
from subscriptions import bounces, privacy, services
from subscriptions.models import ConsentRecord, Subscriber

ADDRESS_MAX_AGE = 7 * 24 * 3600
ADDRESS_CHANGES_PER_HOUR = 3

# What request_address_change and confirm_address_change report.
SENT = "sent"
SAME = "same"
TOO_MANY = "too_many"
NOT_ALLOWED = "not_allowed"
CHANGED = "changed"
KEPT_EXISTING = "kept_existing"
ALREADY_DONE = "already_done"


def manage_path(subscriber):
    """The preference page of a subscriber; it lives as long as their address."""
    return reverse("subscriptions:manage", args=[services.make_token("manage", subscriber)])


def _record(action, subscriber, *, ip_hash, email=None, wording_version=""):
    ConsentRecord.objects.create(
        subscriber=subscriber,
        email_hash=services.email_hash(email or subscriber.email),
        action=action,
        wording_version=wording_version,
        ip_hash=ip_hash,
    )


# Topics and frequency


# The authors the page offers: the regular writers, and whoever the subscriber follows already
# (a guest author is followed from their own page).
LISTED_AUTHOR_KINDS = [ContributorKind.STAFF, ContributorKind.COLUMNIST]


def listed_authors(subscriber):
    """The authors to offer, each with `followed`, in one query."""
    followed = Exists(
        Subscriber.contributors.through.objects.filter(
            subscriber_id=subscriber.pk, contributor_id=OuterRef("pk")
        )
    )
    return list(
        Contributor.objects.annotate(followed=followed)
        .filter(Q(kind__in=LISTED_AUTHOR_KINDS) | Q(followed=True))
        .only("pk", "name")
    )


@transaction.atomic
def update_preferences(subscriber, *, topics, frequency, ip_hash, contributors=None):
    """Set the topics and authors followed (neither = every post) and the frequency; True if
    anything changed. `contributors` None leaves the authors as they are. These choices can
    reveal health data, so each change is a line in the consent ledger."""
    locked = (
        Subscriber.objects.select_for_update()
        .filter(pk=subscriber.pk, status=Subscriber.Status.CONFIRMED)
        .first()
    )
    if locked is None:
        return False
    wanted = {topic.pk for topic in topics}
    current = set(locked.topics.values_list("pk", flat=True))
    current_authors = set(locked.contributors.values_list("pk", flat=True))
    wanted_authors = (
        current_authors if contributors is None else {author.pk for author in contributors}
    )
    everything = not wanted and not wanted_authors
    if (
        wanted == current
        and wanted_authors == current_authors
        and locked.frequency == frequency
        and locked.everything == everything
    ):
        return False
    if locked.frequency != frequency:
        Subscriber.objects.filter(pk=locked.pk).update(frequency=frequency)
    locked.choose(topics=wanted, contributors=wanted_authors)
    _record(
        ConsentRecord.Action.PREFERENCES,
        locked,
        ip_hash=ip_hash,
        wording_version=services.WORDING_VERSION,
    )
    return True


def pause(subscriber):
    """Hold every email without leaving; True if this call paused."""
    return bool(
        Subscriber.objects.filter(
            pk=subscriber.pk, status=Subscriber.Status.CONFIRMED, paused=False
        ).update(paused=True)
    )


def resume(subscriber):
    """Send emails again after a pause; True if this call resumed."""
    return bool(
        Subscriber.objects.filter(
            pk=subscriber.pk, status=Subscriber.Status.CONFIRMED, paused=True
        ).update(paused=False)
    )


@transaction.atomic
def resubscribe(subscriber, *, ip_hash):
    """Someone who left asks to come back: consent is given again and, as for any sign-up,
    confirmed by a link emailed to the address. The old choices are kept, the pause lifted.
    Returns SENT, TOO_MANY (a link went out minutes ago) or NOT_ALLOWED."""
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        return NOT_ALLOWED
    Subscriber.objects.filter(pk=subscriber.pk).update(paused=False)
    sent = services.request_subscription(subscriber.email, ip_hash=ip_hash)
    return SENT if sent else TOO_MANY


# A new address


def _address_changes_allowed(subscriber):
    return within_hourly_limit(f"subscriptions:address:{subscriber.pk}", ADDRESS_CHANGES_PER_HOUR)


def _suppressed(email):
    return (
        bounces.is_suppressed(email)
        or Subscriber.objects.filter(email=email, status=Subscriber.Status.SUPPRESSED).exists()
    )


def _key(email):
    return services.email_hash(email)[:32]


def make_address_token(subscriber):
    """The link that proves the new address: it names the subscriber, the address the change
    starts from and the one it leads to, so a later request or change makes it void."""
    value = [subscriber.pk, _key(subscriber.email), _key(subscriber.new_email)]
    return tokens.make_token("subscriptions.address", value)


def subscriber_for_address_token(token):
    """(subscriber, already_done) for a genuine, fresh address link, else (None, False).
    already_done means the change it asks for has been made (a repeated press)."""
    value = tokens.read_token("subscriptions.address", token, max_age=ADDRESS_MAX_AGE)
    try:
        pk, old_key, new_key = value
        subscriber = Subscriber.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None, False
    if subscriber is None or subscriber.status != Subscriber.Status.CONFIRMED:
        return None, False
    current = _key(subscriber.email)
    if (
        subscriber.new_email
        and hmac.compare_digest(current, str(old_key))
        and hmac.compare_digest(_key(subscriber.new_email), str(new_key))
    ):
        return subscriber, False
    if hmac.compare_digest(current, str(new_key)):
        return subscriber, True
    return None, False


@transaction.atomic
def request_address_change(subscriber, new_email):
    """Email a link to the new address; nothing else changes until it is used. The answer is
    the same whether or not the new address is known here."""
    new_email = normalise_email(new_email)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        return NOT_ALLOWED
    if new_email == subscriber.email:
        return SAME
    if not _address_changes_allowed(subscriber):
        return TOO_MANY
    Subscriber.objects.filter(pk=subscriber.pk).update(new_email=new_email)
    # A suppressed address bounced or complained: it gets no mail, and the page says no more.
    if not _suppressed(new_email):
        key = _key(new_email)
        enqueue_on_commit("subscriptions.tasks.send_address_confirmation", subscriber.pk, key)
    return SENT


@transaction.atomic
def confirm_address_change(subscriber, *, ip_hash):
    """Apply a proved address change. Returns (subscriber now on that address, outcome).

    If the new address already has a working subscription (confirmed, or stopped after a
    bounce or complaint), that one is kept with its own choices and this one is erased: one
    person, one subscription, and a suppression is never undone by a change of address. A
    sign-up there that is still waiting or has ended gives way: its ledger lines join this
    subscriber's and its row goes.
    """
    locked = (
        Subscriber.objects.select_for_update()
        .filter(pk=subscriber.pk, status=Subscriber.Status.CONFIRMED)
        .exclude(new_email="")
        .first()
    )
    if locked is None:
        return None, NOT_ALLOWED
    new_email = locked.new_email
    other = (
        Subscriber.objects.select_for_update().filter(email=new_email).exclude(pk=locked.pk).first()
    )
    working = (Subscriber.Status.CONFIRMED, Subscriber.Status.SUPPRESSED)
    if other is not None and other.status in working:
        privacy.erase(locked, ip_hash=ip_hash)
        return other, KEPT_EXISTING
    if other is not None:
        ConsentRecord.objects.filter(subscriber=other).update(subscriber=locked)
        other.delete()
    try:
        with transaction.atomic():
            Subscriber.objects.filter(pk=locked.pk).update(email=new_email, new_email="")
    except IntegrityError:  # signed up a moment ago by someone else's request
        other = Subscriber.objects.get(email=new_email)
        privacy.erase(locked, ip_hash=ip_hash)
        return other, KEPT_EXISTING
    locked.email, locked.new_email = new_email, ""
    _record(ConsentRecord.Action.ADDRESS, locked, ip_hash=ip_hash)
    return locked, CHANGED


def cancel_address_change(subscriber):
    """Forget a new address that was never confirmed; its link stops working."""
    waiting = Subscriber.objects.filter(pk=subscriber.pk).exclude(new_email="")
    return bool(waiting.update(new_email=""))
