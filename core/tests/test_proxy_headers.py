"""The shipped nginx passes on X-Forwarded-Proto only from a load balancer listed in its `geo`
block (HTTPS terminated there), and sets its own for everyone else. Needs Debian's nginx."""

import shutil
import tempfile
from pathlib import Path

import pytest

from bench.web import Nginx

from .test_front_cache import Upstream, get

pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")


@pytest.fixture
def behind_balancer():
    """nginx configured to trust 127.0.0.1 as its load balancer, as an operator would."""
    upstream = Upstream()
    work = Path(tempfile.mkdtemp(prefix="test-proxy-headers-"))
    work.chmod(0o755)
    (work / "static").mkdir()
    (work / "media").mkdir()
    marker = "    # 10.0.0.5 1;  # test: a load balancer's address"

    def trust_loopback(conf):
        assert marker in conf
        return conf.replace(marker, "    127.0.0.1 1;")

    nginx = Nginx(work, upstream.port, work / "static", work / "media", b"<p>", trust_loopback)
    yield upstream, f"http://127.0.0.1:{nginx.front_port}"
    nginx.stop()
    upstream.server.shutdown()
    shutil.rmtree(work, ignore_errors=True)


def protos(upstream, path):
    return [proto for _, seen, proto in upstream.seen if seen == path]


def test_a_trusted_balancers_https_reaches_django(behind_balancer):
    upstream, base = behind_balancer
    get(base + "/tls/", **{"X-Forwarded-Proto": "https"})
    get(base + "/plain/", **{"X-Forwarded-Proto": "http"})
    get(base + "/none/")
    get(base + "/junk/", **{"X-Forwarded-Proto": "gopher"})

    assert protos(upstream, "/tls/") == ["https"]
    assert protos(upstream, "/plain/") == ["http"]
    assert protos(upstream, "/none/") == ["http"]
    assert protos(upstream, "/junk/") == ["http"]


def test_http_and_https_copies_of_a_page_are_cached_apart(behind_balancer):
    upstream, base = behind_balancer
    get(base + "/page/", **{"X-Forwarded-Proto": "https"})
    get(base + "/page/")
    get(base + "/page/", **{"X-Forwarded-Proto": "https"})

    assert protos(upstream, "/page/") == ["https", "http"]
