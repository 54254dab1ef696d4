"""The time trap's stamps: signed, dated, and good for one accepted form each."""

import pytest
from django.core import signing
from django.utils import timezone

from core.forms import TimeTrap

pytestmark = pytest.mark.django_db

trap = TimeTrap("tests.started", max_age=3600)


def test_a_stamp_tells_when_the_form_was_handed_out():
    when = timezone.now() - timezone.timedelta(minutes=5)

    assert abs((trap.read(trap.token(when)) - when).total_seconds()) < 0.001


def test_a_stamp_is_used_once():
    token = trap.token()

    assert trap.use(token) is True
    assert trap.use(token) is False
    assert trap.read(token) is not None, "still readable: only its use is spent"


def test_stamps_handed_out_at_the_same_moment_are_each_usable():
    now = timezone.now()
    first, second = trap.token(now), trap.token(now)

    assert first != second
    assert trap.use(first) and trap.use(second)


@pytest.mark.parametrize(
    "token",
    [
        "",
        None,
        "not-a-token",
        signing.dumps([1.0, "nonce"], salt="another.form"),
        signing.dumps(["x", "nonce"], salt="tests.started"),
        signing.dumps([1e300, "nonce"], salt="tests.started"),
        signing.dumps({"a": 1}, salt="tests.started"),
    ],
    ids=["empty", "none", "unsigned", "other-salt", "not-a-time", "huge-time", "a-dict"],
)
def test_forged_foreign_and_malformed_stamps_are_neither_read_nor_used(token):
    assert trap.read(token) is None
    assert trap.use(token) is False


def test_a_stale_stamp_is_refused():
    token = trap.token()
    stale = TimeTrap("tests.started", max_age=-1)  # older than allowed the moment it is made

    assert stale.read(token) is None
    assert stale.use(token) is False


def test_a_stamp_from_before_nonces_is_read_and_used_once():
    old = signing.dumps(timezone.now().timestamp(), salt="tests.started")

    assert trap.read(old) is not None
    assert trap.use(old) is True
    assert trap.use(old) is False
