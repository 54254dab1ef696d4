"""Signed tokens: what a link we email (or a redirect) is allowed to do, with nothing stored.

Each use signs with its own salt, "<app>.<purpose>", so a token made for one purpose never
passes for another. Anyone holding a token can read its value: it carries primary keys and
keyed hashes, never an address."""

from django.core import signing


def make_token(salt, value, compress=False):
    return signing.dumps(value, salt=salt, compress=compress)


def read_token(salt, token, max_age=None):
    """The signed value, or None if the token is forged, altered or older than max_age."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def read_pair(salt, token, max_age=None):
    """(primary key, key) from a token signed as [pk, key]; (None, "") if it is not one."""
    value = read_token(salt, token, max_age)
    try:
        pk, key = value
    except (TypeError, ValueError):
        return None, ""
    return pk, str(key)
