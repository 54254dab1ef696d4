"""Which address stands for the reader, with and without proxies in front."""

import pytest
from django.test import RequestFactory

from core.privacy import client_ip


def request(remote="10.0.0.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="203.0.113.9")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # A client that forges the header only adds entries to the left of the real one.
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (2, "1.2.3.4, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        # Fewer hops than proxies: the chain is not what was configured, keep REMOTE_ADDR.
        (2, "203.0.113.9", "10.0.0.5"),
        (1, "", "10.0.0.5"),
        (1, " , ", "10.0.0.5"),
        (1, "x" * 500, "x" * 64),
    ],
)
def test_behind_proxies_the_address_the_outermost_proxy_saw(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(forwarded=forwarded)) == expected
