"""Naming people without storing who they are: keyed hashes of addresses and IPs.

Each use has its own namespace, so a comment's IP hash cannot be matched with a subscriber's,
and all of them change with SECRET_KEY.
"""

import functools
import hashlib
import hmac

from django.conf import settings


def keyed_hash(namespace, value):
    key = _namespace_key(namespace, settings.SECRET_KEY)
    return hmac.new(key, (value or "").encode(), hashlib.sha256).hexdigest()


@functools.lru_cache(maxsize=64)
def _namespace_key(namespace, secret):
    # Derived once per namespace and secret: every request's log line hashes its address.
    return hashlib.sha256(f"{namespace}:{secret}".encode()).digest()


def client_ip(request):
    """The reader's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost of them saw, counted from the right of X-Forwarded-For (each proxy appends the
    address it got the request from; anything to the left of that the client could forge)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote
    return hops[-proxies][:64]


def hash_ip(ip, namespace):
    """A keyed hash of an IP address: the address itself is never stored."""
    return keyed_hash(f"{namespace}-ip", ip)
