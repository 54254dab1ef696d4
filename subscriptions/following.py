"""Following one topic or one author by email, from its page.

The same double opt-in as the alerts box: the page's form only leads to the consent page, the
consent sends a link, and the topic or author travels in that signed link (nothing is stored
before it is used). Using it starts a subscription that follows just that topic or author, or
adds it to a confirmed subscriber's choices. Someone who already gets every post keeps that:
following one topic must never narrow what they get.
"""

import hmac
import re
from dataclasses import dataclass

from django.db import transaction

from blog.models import Contributor, Topic
from core import tokens
from subscriptions import services
from subscriptions.models import ConsentRecord, Subscriber, email_hash

TOPIC, AUTHOR = "topic", "author"
MODELS = {TOPIC: Topic, AUTHOR: Contributor}
FIELD_VALUE = re.compile(r"(topic|author):([1-9][0-9]{0,17})")

# Where a subscriber stands with a topic or author, and what confirm_follow did.
EVERYTHING = "everything"  # they get every post, this one's included
FOLLOWING = "following"
NOT_YET = "not_yet"
STARTED = "started"  # a new (or returning) subscription now confirmed, following it
ADDED = "added"
NOT_ALLOWED = "not_allowed"


@dataclass(frozen=True)
class Follow:
    kind: str
    target: Topic | Contributor

    @property
    def name(self):
        return self.target.name

    @property
    def field_value(self):
        return f"{self.kind}:{self.target.pk}"

    def chosen(self, subscriber):
        """The subscriber's choices of this kind, as a related manager."""
        return subscriber.topics if self.kind == TOPIC else subscriber.contributors


def parse(value):
    """The topic or author a form's `follow` value ("topic:12", "author:7") names, or None if
    the value is malformed or names nothing that exists."""
    found = FIELD_VALUE.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    kind, pk = found.groups()
    target = MODELS[kind].objects.filter(pk=int(pk)).only("pk", "name", "slug").first()
    return Follow(kind, target) if target is not None else None


def make_token(subscriber, follow):
    value = [subscriber.pk, email_hash(subscriber.email)[:32], follow.kind, follow.target.pk]
    return tokens.make_token("subscriptions.follow", value)


@dataclass(frozen=True)
class Link:
    subscriber: Subscriber
    kind: str
    follow: Follow | None  # None: the topic or author has been deleted since


def read_token(token):
    """What a follow link names, if it is genuine, fresh and the address is still the same;
    otherwise None. Its `follow` is None when the topic or author is gone."""
    value = tokens.read_token("subscriptions.follow", token, max_age=services.CONFIRM_MAX_AGE)
    try:
        pk, key, kind, target_pk = value
    except (TypeError, ValueError):
        return None
    if kind not in MODELS or not all(type(n) is int for n in (pk, target_pk)):
        return None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not hmac.compare_digest(email_hash(subscriber.email)[:32], str(key)):
        return None
    target = MODELS[kind].objects.filter(pk=target_pk).only("pk", "name", "slug").first()
    return Link(subscriber, kind, Follow(kind, target) if target is not None else None)


def follows_everything(subscriber):
    return subscriber.everything


def standing(subscriber, follow):
    """EVERYTHING, FOLLOWING or NOT_YET: what this subscriber's choices say about `follow`."""
    if follow.chosen(subscriber).filter(pk=follow.target.pk).exists():
        return FOLLOWING
    return EVERYTHING if follows_everything(subscriber) else NOT_YET


@transaction.atomic
def confirm_follow(subscriber, follow, *, ip_hash):
    """Use a follow link: a waiting subscription is confirmed and follows `follow` (only it, if
    nothing else was chosen before); a confirmed one gets it added to its choices, unless it
    gets every post already. Returns STARTED, ADDED, FOLLOWING, EVERYTHING or NOT_ALLOWED."""
    locked = (
        Subscriber.objects.select_for_update()
        .filter(
            pk=subscriber.pk,
            status__in=[Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED],
        )
        .first()
    )
    if locked is None:
        return NOT_ALLOWED
    if locked.status == Subscriber.Status.CONFIRMED:
        now = standing(locked, follow)
        if now != NOT_YET:
            return now
        outcome = ADDED
    else:
        services.confirm_subscription(locked, ip_hash=ip_hash)
        outcome = STARTED
    follow.chosen(locked).add(follow.target)
    if locked.everything:  # a waiting subscription that chose nothing: now just this one
        Subscriber.objects.filter(pk=locked.pk).update(everything=False)
    # The choice can reveal health data: it is a line in the consent ledger, as on the
    # preference page.
    ConsentRecord.objects.create(
        subscriber=locked,
        email_hash=email_hash(locked.email),
        action=ConsentRecord.Action.PREFERENCES,
        wording_version=services.WORDING_VERSION,
        ip_hash=ip_hash,
    )
    return outcome
