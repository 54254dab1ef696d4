"""Image downloads go to public addresses only: an export's image URL pointing at this machine,
a private network or a metadata endpoint is refused after DNS resolution, redirects included,
and the connection goes to the very address that was checked. The operator can allow a host.
No test leaves this machine: refused addresses are never connected to, and the lookups that
would answer with a public address are the operating system's, answered here."""

import io
import socket

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model

from imports import media
from imports.media import Attachment, ImportMedia, NoAnswer, Refused

from .conftest import image_bytes, wxr_item

Image = get_image_model()


@pytest.fixture(autouse=True)
def nothing_allowed(settings):
    settings.IMPORT_ALLOWED_HOSTS = []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/wp-content/uploads/a.png",
        "http://172.16.3.4/a.png",
        "http://192.168.1.10/a.png",
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://100.64.0.1/a.png",
        "http://0.0.0.0/a.png",
        "http://224.0.0.1/a.png",
        "http://240.0.0.1/a.png",
        "http://[fe80::1]/a.png",
        "http://[fd00::1]/a.png",
        "http://[::]/a.png",
        "https://10.1.2.3:8443/a.png",
    ],
)
def test_private_link_local_and_reserved_addresses_are_refused(url):
    with pytest.raises(Refused, match="refused: .* is a local or private address"):
        media.download(url)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "[::ffff:127.0.0.1]",  # IPv4 written as IPv6
        "2130706433",  # 127.0.0.1 as one number
        "127.1",
        "localhost",  # a name that resolves to this machine
    ],
)
def test_this_machine_is_refused_by_address_or_by_name(http_server, host):
    http_server.serve("/a.png", image_bytes())
    port = http_server.httpd.server_address[1]

    with pytest.raises(Refused):
        media.download(f"http://{host}:{port}/a.png")

    assert http_server.hits == []


def test_ipv6_loopback_is_refused():
    with socket.socket(socket.AF_INET6) as listener:
        listener.bind(("::1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        listener.setblocking(False)

        with pytest.raises(Refused, match="::1"):
            media.download(f"http://[::1]:{port}/a.png")

        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected


def test_an_allowed_host_is_downloaded_from(http_server, settings):
    settings.IMPORT_ALLOWED_HOSTS = ["127.0.0.1"]
    url = http_server.serve("/a.png", image_bytes())

    assert media.download(url) == image_bytes()
    assert media.download(url.replace("127.0.0.1", "localhost"), ["LocalHost."]) == image_bytes()


def test_a_redirect_from_an_allowed_host_to_another_local_one_is_refused(http_server):
    port = http_server.httpd.server_address[1]
    http_server.serve(
        "/moved.png", status=302, headers={"Location": f"http://127.0.0.1:{port}/a.png"}
    )
    http_server.serve("/a.png", image_bytes())

    with pytest.raises(Refused, match="127.0.0.1"):
        media.download(f"http://localhost:{port}/moved.png", allowed_hosts=["localhost"])

    assert http_server.hits == ["/moved.png"]


class Resolver:
    """The operating system's name lookups, answered here: `rebind.example` answers with a
    public address the first time and this machine afterwards, as a rebinding DNS server does."""

    def __init__(self, answers):
        self.answers = answers
        self.lookups = []
        self.connections = []

    def getaddrinfo(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        answer = self.answers[min(len(self.lookups), len(self.answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answer]

    def create_connection(self, address, *args, **kwargs):
        self.connections.append(address)
        raise ConnectionRefusedError("not on this test's network")


@pytest.fixture
def resolver(monkeypatch):
    def install(*answers):
        fake = Resolver(answers)
        monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
        monkeypatch.setattr(socket, "create_connection", fake.create_connection)
        return fake

    return install


def test_the_connection_goes_to_the_address_that_was_checked(resolver):
    fake = resolver(["198.51.99.7"], ["127.0.0.1"])

    with pytest.raises(NoAnswer):
        media.download("http://rebind.example/a.png")

    assert fake.lookups == ["rebind.example"]  # one lookup, never a second one
    assert fake.connections == [("198.51.99.7", 80)]


def test_a_name_with_one_private_address_among_public_ones_is_refused(resolver):
    fake = resolver(["198.51.99.7", "10.0.0.8"])

    with pytest.raises(Refused, match="10.0.0.8"):
        media.download("https://mixed.example/a.png")

    assert fake.connections == []


@pytest.mark.django_db
def test_the_import_lists_a_refused_image_and_fetches_nothing(http_server):
    url = http_server.serve("/wp-content/uploads/a.png", image_bytes())
    picture = Attachment(id=5, url=url, title="a", alt="", caption="", parent_id=None, link="")
    imports = ImportMedia({5: picture}, source="old.example.org", site_url=http_server.url)

    assert imports.image(attachment_id=5) is None

    assert imports.failures[url].startswith("refused: 127.0.0.1 is a local or private address")
    assert http_server.hits == []
    assert not Image.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("allow", ["option", "setting"])
def test_the_operator_allows_a_host_with_the_option_or_the_setting(
    site_tree, write_export, http_server, settings, allow
):
    url = http_server.serve("/wp-content/uploads/a.png", image_bytes())
    path = write_export([wxr_item(1, content=f'<p><img src="{url}"></p>')], base=http_server.url)
    options = ["--allow-host", "127.0.0.1"] if allow == "option" else []
    if allow == "setting":
        settings.IMPORT_ALLOWED_HOSTS = ["127.0.0.1"]

    call_command("import_wordpress", str(path), *options, stdout=io.StringIO())

    assert http_server.hits == ["/wp-content/uploads/a.png"]
    assert Image.objects.count() == 1


@pytest.mark.django_db
def test_without_the_allowance_the_import_keeps_the_image_as_a_link(
    site_tree, write_export, http_server
):
    url = http_server.serve("/wp-content/uploads/a.png", image_bytes())
    path = write_export([wxr_item(1, content=f'<p><img src="{url}"></p>')], base=http_server.url)
    out = io.StringIO()

    call_command("import_wordpress", str(path), stdout=out)

    assert http_server.hits == []
    assert not Image.objects.exists()
    assert "refused: 127.0.0.1 is a local or private address" in out.getvalue()
