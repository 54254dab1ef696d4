"""Images for imported posts: the `media` object the content converter asks for images.

An image is imported only when a post uses it. It comes from a local copy of
`wp-content/uploads` when the operator has one (fast, no network), else over HTTP(S) from the
old site, with a timeout, a size limit and few redirects, and must be a real JPEG, PNG, GIF or
WebP. Each WordPress attachment becomes one Wagtail image, reused on reruns (the ledger) and
when two attachments hold the same bytes (the file hash).

An export is a file anyone could have written: its image addresses could point at this
machine's own services (`http://127.0.0.1:6379/`), the internal network or a cloud metadata
endpoint. Downloads go only to public addresses, checked after DNS resolution and then
connected to as checked (a second lookup could answer differently), redirects included, unless
the operator allows the host (IMPORT_ALLOWED_HOSTS, `--allow-host`).
"""

import functools
import hashlib
import http.client
import io
import ipaddress
import posixpath
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from imports.models import ImportedObject
from imports.records import ImageRef

TIMEOUT_SECONDS = 10
# After this many downloads in a row that got no answer at all (timeout, refused, unknown
# host), the old site is taken to be gone: the rest are not tried, or an export of thousands
# of images from a dead site would wait TIMEOUT_SECONDS for each.
UNANSWERED_IN_A_ROW = 3
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 3
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")
UPLOADS_MARKER = "/wp-content/uploads/"
# WordPress's resized copies: name-300x200.jpg, and since 5.3 name-scaled.jpg, of name.jpg.
RESIZED = re.compile(r"-(?:\d+x\d+|scaled)(?=\.[A-Za-z0-9]+$)")


@dataclass
class Attachment:
    """What pass 1 keeps of a WordPress attachment."""

    id: int
    url: str
    title: str
    alt: str
    caption: str
    parent_id: int | None
    link: str
    menu_order: int = 0

    @property
    def is_image(self):
        return urlsplit(self.url).path.lower().endswith(IMAGE_EXTENSIONS)


class FetchError(Exception):
    """Why an image could not be had, in words for the report."""


class NoAnswer(FetchError):
    """The server did not answer at all (as opposed to answering with an error)."""


def _wordpress_com_files_host(host):
    """Where a WordPress.com blog's uploads live: blog.wordpress.com -> blog.files.wordpress.com."""
    name = host.removesuffix(".wordpress.com")
    return f"{name}.files.wordpress.com" if name != host and "." not in name else None


def _url_key(url):
    """Host-free, decoded path of an upload URL: http/https and www. variants match."""
    return unquote(urlsplit(url.strip()).path)


class ImportMedia:
    """Find, fetch and store images for one import run; remembers every answer it gave."""

    def __init__(
        self,
        attachments,
        *,
        source,
        site_url="",
        download=True,
        uploads_dir=None,
        dry_run=False,
        allowed_hosts=(),
    ):
        self.attachments = attachments
        self.allowed_hosts = hosts_allowed(allowed_hosts)
        self.source = source
        self.site_host = urlsplit(site_url).hostname or ""
        self.download = download and not dry_run
        self.dry_run = dry_run
        self.uploads_dir = Path(uploads_dir).resolve() if uploads_dir else None
        self.by_url = {}
        self.attached = {}  # parent post id -> its attachments
        for attachment in attachments.values():
            if attachment.url:
                self.by_url.setdefault(_url_key(attachment.url), attachment.id)
            if attachment.parent_id:
                self.attached.setdefault(attachment.parent_id, []).append(attachment)
        self.answers = {}  # attachment id or URL -> ImageRef | None
        self.failures = {}  # URL -> reason, for the report
        self.used = set()  # attachment ids that posts use
        self.missing = set()  # what posts asked for and could not have, since take_missing()
        self.stored_files = []  # file names written in this run, to delete on a rollback
        self.created = 0
        self.reused = 0
        self.unanswered = 0  # downloads in a row that got no answer
        self.ledger_images = {}  # attachment id -> image of an earlier run, for items read ahead

    # The converter's interface ---------------------------------------------------------------

    def image(self, url=None, *, attachment_id=None):
        """The Wagtail image for an attachment id or an image URL, or None (reason kept)."""
        attachment = self.find(url, attachment_id)
        key = attachment.id if attachment else (url or "").strip()
        if not key:
            return None
        if attachment:
            self.used.add(attachment.id)
        if key not in self.answers:
            self.answers[key] = self._resolve(attachment, url)
        if self.answers[key] is None and (attachment or self._is_own(key)):
            self.missing.add(key)
        return self.answers[key]

    def take_missing(self):
        """The attachment ids and old-blog addresses asked for since the last call that could
        not be had: worth asking again in a run that can fetch (see can_fetch)."""
        missing, self.missing = self.missing, set()
        return sorted(missing, key=str)

    @property
    def can_fetch(self):
        """Whether this run gets images at all (not --no-images, or from an uploads folder)."""
        return self.download or self.uploads_dir is not None

    def find(self, url=None, attachment_id=None):
        """The attachment by id, else by its URL or the URL of one of its resized copies."""
        if attachment_id is not None:
            return self.attachments.get(attachment_id)
        if not url:
            return None
        key = _url_key(url)
        found = self.by_url.get(key)
        if found is None:
            found = self.by_url.get(RESIZED.sub("", key))
        return self.attachments.get(found)

    def attached_images(self, post_id):
        """Ids of the images attached to a post (their parent), in WordPress's gallery order:
        menu order, then id."""
        found = self.attached.get(post_id, [])
        return [a.id for a in sorted(found, key=lambda a: (a.menu_order, a.id)) if a.is_image]

    # Getting the image -----------------------------------------------------------------------

    def _resolve(self, attachment, url):
        fetch_url = attachment.url if attachment else url.strip()
        try:
            if attachment is None and not self._is_own(fetch_url):
                raise FetchError("an image on another site, not copied")
            if attachment is not None:
                existing = self._from_ledger(attachment.id)
                if existing is not None:
                    self.reused += 1
                    return self._ref(existing, attachment)
            data = self._get_bytes(fetch_url)
            extension = _check_image(data)
            image = self._store(data, extension, attachment, fetch_url)
        except FetchError as error:
            self.failures[fetch_url] = str(error)
            return None
        if attachment is not None:
            ImportedObject.objects.update_or_create(
                source=self.source,
                wp_type=ImportedObject.Type.ATTACHMENT,
                wp_id=str(attachment.id),
                defaults={"object_id": image.pk},
            )
        return self._ref(image, attachment)

    def _is_own(self, url):
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        site = self.site_host.removeprefix("www.")
        return bool(site) and host in (site, _wordpress_com_files_host(site))

    def read_ahead(self, attachment_ids):
        """The images earlier runs imported for these attachments, in two queries; what was
        read for the previous items is forgotten, so memory does not grow with the export."""
        ids = {str(i) for i in attachment_ids if i is not None and i not in self.answers}
        rows = (
            dict(
                ImportedObject.objects.filter(
                    source=self.source, wp_type=ImportedObject.Type.ATTACHMENT, wp_id__in=ids
                ).values_list("wp_id", "object_id")
            )
            if ids
            else {}
        )
        images = get_image_model().objects.in_bulk(rows.values()) if rows else {}
        self.ledger_images = {int(i): images.get(rows.get(i)) for i in ids}

    def _from_ledger(self, attachment_id):
        if attachment_id in self.ledger_images:
            return self.ledger_images[attachment_id]
        row = ImportedObject.objects.filter(
            source=self.source, wp_type=ImportedObject.Type.ATTACHMENT, wp_id=str(attachment_id)
        ).first()
        if row is None:
            return None
        return get_image_model().objects.filter(pk=row.object_id).first()

    def _ref(self, image, attachment):
        if attachment is None:
            return ImageRef(image=image, alt="", caption="")
        return ImageRef(image=image, alt=attachment.alt, caption=attachment.caption)

    def _get_bytes(self, url):
        if self.uploads_dir is not None:
            return self._read_upload(url)
        if self.dry_run:
            raise FetchError("not downloaded in a dry run")
        if not self.download:
            raise FetchError("images not downloaded (--no-images)")
        if self.unanswered >= UNANSWERED_IN_A_ROW:
            raise FetchError(
                f"not tried: the old site did not answer {UNANSWERED_IN_A_ROW} times in a row"
            )
        try:
            data = download(url, allowed_hosts=self.allowed_hosts)
        except NoAnswer:
            self.unanswered += 1
            raise
        self.unanswered = 0
        return data

    def _read_upload(self, url):
        parts = urlsplit(url)
        path = unquote(parts.path)
        if UPLOADS_MARKER in path:
            path = path.split(UPLOADS_MARKER, 1)[1]
        elif not (parts.hostname or "").endswith(".files.wordpress.com"):
            raise FetchError("not under wp-content/uploads, so not in the uploads folder")
        # WordPress.com keeps uploads at <blog>.files.wordpress.com/<year>/<month>/<name>, the
        # same <year>/<month> layout as wp-content/uploads.
        relative = posixpath.normpath(path).lstrip("/")
        target = (self.uploads_dir / relative).resolve()
        if not target.is_relative_to(self.uploads_dir):
            raise FetchError("a path outside the uploads folder")
        if not target.is_file():
            raise FetchError("not found in the uploads folder")
        if target.stat().st_size > MAX_BYTES:
            raise FetchError("larger than 20 MB")
        return target.read_bytes()

    def _store(self, data, extension, attachment, url):
        Image = get_image_model()
        file_hash = hashlib.sha1(data).hexdigest()
        same = Image.objects.filter(file_hash=file_hash).first()
        if same is not None:
            self.reused += 1
            return same
        stem = Path(unquote(urlsplit(url).path)).stem[:80] or "image"
        title = (attachment.title if attachment else "") or stem
        image = Image(
            title=title[:255],
            description=(attachment.alt if attachment else "")[:255],
            file=ImageFile(io.BytesIO(data), name=f"{stem}.{extension}"),
            file_hash=file_hash,
        )
        image.save()
        self.stored_files.append(image.file.name)
        self.created += 1
        return image

    def delete_stored_files(self):
        """Remove the files written in this run: called when its transaction is rolled back."""
        Image = get_image_model()
        storage = Image._meta.get_field("file").storage
        for name in self.stored_files:
            storage.delete(name)
        self.stored_files = []


class Refused(FetchError):
    """The address is this machine's or a private network's, and its host is not allowed."""


def _normal_host(host):
    return host.strip().strip("[]").rstrip(".").lower()


def hosts_allowed(extra=()):
    """IMPORT_ALLOWED_HOSTS plus `extra` (the command's --allow-host), in one spelling."""
    return frozenset(_normal_host(host) for host in [*settings.IMPORT_ALLOWED_HOSTS, *extra])


def _is_public(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope ("fe80::1%eth0")
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def public_addresses(host, port, allowed=frozenset()):
    """The addresses to connect to for host:port: every address it resolves to must be public
    (one private answer among public ones is refused too), unless the host is allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise NoAnswer(f"could not be downloaded ({error})") from None
    addresses = list(dict.fromkeys(info[4][:2] for info in found))
    if _normal_host(host) not in allowed:
        for address, _ in addresses:
            if not _is_public(address):
                raise Refused(
                    f"refused: {host} is a local or private address ({address}); "
                    "allow it with IMPORT_ALLOWED_HOSTS"
                )
    return addresses


def _connect_checked(allowed, address, timeout=None, source_address=None, **kwargs):
    """socket.create_connection for http.client, to the addresses just checked, never to a
    fresh lookup of the name."""
    host, port = address
    error = None
    for checked in public_addresses(host, port, allowed):
        try:
            return socket.create_connection(checked, timeout, source_address, **kwargs)
        except OSError as failure:
            error = failure
    raise error or OSError(f"no address for {host}")


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_connect_checked, allowed)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    # TLS is still checked against the host name: only the TCP connection uses the address.
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_connect_checked, allowed)


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, allowed):
        super().__init__()
        self.allowed = allowed

    def http_open(self, req):
        return self.do_open(functools.partial(_CheckedHTTPConnection, allowed=self.allowed), req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, allowed):
        super().__init__()
        self.allowed = allowed

    def https_open(self, req):
        connection = functools.partial(_CheckedHTTPSConnection, allowed=self.allowed)
        return self.do_open(connection, req, context=self._context)


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError("redirected away from http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@functools.lru_cache(maxsize=8)
def _opener(allowed):
    # No ProxyHandler: a proxy from the environment would be connected to unchecked, and it
    # would reach what the check keeps out.
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        _CheckedHTTPHandler(allowed),
        _CheckedHTTPSHandler(allowed),
        _LimitedRedirects,
    )


def download(url, allowed_hosts=None):
    """The bytes at an http(s) URL on a public address (or an allowed host), at most 20 MB,
    or FetchError saying why not."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError("not an http(s) address")
    if allowed_hosts is None:
        allowed_hosts = hosts_allowed()
    allowed = frozenset(_normal_host(host) for host in allowed_hosts)
    request = urllib.request.Request(url, headers={"User-Agent": "cancerblog-import/1"})
    try:
        with _opener(allowed).open(request, timeout=TIMEOUT_SECONDS) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > MAX_BYTES:
                raise FetchError("larger than 20 MB")
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"the server answered {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise NoAnswer(f"could not be downloaded ({reason})") from None
    if len(data) > MAX_BYTES:
        raise FetchError("larger than 20 MB")
    return data


def _check_image(data):
    """The file extension for image bytes Pillow accepts as one of our formats."""
    try:
        with PILImage.open(io.BytesIO(data)) as picture:
            kind = picture.format
            picture.verify()
    except Exception:  # Pillow raises many kinds for bytes that are not an image
        raise FetchError("not an image") from None
    if kind not in FORMATS:
        raise FetchError(f"an image format we do not take ({kind})")
    return FORMATS[kind]
