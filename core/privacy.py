"""Naming people without storing who they are: keyed hashes of addresses and IPs.

Each use has its own namespace, so a comment's IP hash cannot be matched with a subscriber's,
and all of them change with SECRET_KEY.
"""

import hashlib
import hmac

from django.conf import settings


def keyed_hash(namespace, value):
    key = hashlib.sha256(f"{namespace}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, (value or "").encode(), hashlib.sha256).hexdigest()


def client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


def hash_ip(ip, namespace):
    """A keyed hash of an IP address: the address itself is never stored."""
    return keyed_hash(f"{namespace}-ip", ip)
