"""The backup archive: one tar stream (gzip-compressed when asked) holding the database dump,
the public and private media, and last a manifest with every member's size and SHA-256.

The manifest comes last so the archive can be written in one pass to a pipe (and from there
to `age` or `gpg`); a reader that reaches the end without it knows the archive is cut short.
Reading never extracts anything the manifest does not vouch for, and refuses links, devices,
absolute names and names that climb out of their folder.
"""

import gzip
import hashlib
import io
import json
import lzma
import tarfile
import zlib
from pathlib import Path, PurePosixPath

FORMAT = "cancerblog-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database"
# Archive folder -> what it holds; each maps onto one directory when restored.
FOLDERS = ("media", "private")
CHUNK = 1024 * 1024
_DAMAGE = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, lzma.LZMAError)


class ArchiveError(Exception):
    """The archive cannot be trusted: damaged, cut short, tampered with or not ours."""


class _Hashing:
    """A file object that hashes what is read through it and counts the bytes."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def compressed_name(name):
    return str(name).endswith((".gz", ".tgz"))


class Writer:
    """with Writer(stream, compress=True) as archive: archive.add_file(...); ...
    archive.finish(manifest)"""

    def __init__(self, stream, *, compress):
        self.tar = tarfile.open(fileobj=stream, mode="w|gz" if compress else "w|")
        self.files = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.tar.close()

    def add_file(self, name, path):
        """Add the file at `path` as `name`; False if it vanished before it could be read."""
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed below, after tar has read it
        except FileNotFoundError:
            return False
        with raw:
            info = tarfile.TarInfo(name)
            stat = Path(path).stat()
            # Media files are written once; a file still growing is read up to this size.
            info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
            hashing = _Hashing(raw)
            self.tar.addfile(info, hashing)
        self.files[name] = {"size": hashing.size, "sha256": hashing.sha256.hexdigest()}
        return True

    def add_tree(self, folder, root):
        """Every regular file under `root`, as folder/<relative path>; returns how many."""
        root = Path(root)
        if not root.is_dir():
            return 0
        added = 0
        for path in sorted(root.rglob("*")):
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            added += self.add_file(f"{folder}/{relative}", path)
        return added

    def finish(self, manifest):
        manifest = {**manifest, "files": self.files}
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(data), 0o600
        self.tar.addfile(info, io.BytesIO(data))
        return manifest


def _member_path(name):
    """The member's safe relative path, or ArchiveError."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ArchiveError(f"The archive holds an unsafe name: {name!r}.")
    if path.parts[0] not in (DATABASE, *FOLDERS) or len(path.parts) < 2:
        raise ArchiveError(f"The archive holds something a backup does not: {name!r}.")
    return path


def _read_manifest(tar, member):
    if member.size > 64 * 1024 * 1024:
        raise ArchiveError("The manifest is implausibly large.")
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveError(f"The manifest is not readable JSON ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("This is not a Cancer Blog backup (no manifest of ours).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"This backup has format version {manifest.get('format_version')!r}; this version "
            f"of the site reads version {FORMAT_VERSION}."
        )
    if not isinstance(manifest.get("files"), dict):
        raise ArchiveError("The manifest lists no files.")
    return manifest


def _copy_out(tar, member, destination):
    source = tar.extractfile(member)
    hashing = _Hashing(source)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with open(destination, "xb") as out:
        while chunk := hashing.read(CHUNK):
            out.write(chunk)
    if hashing.size != member.size:
        raise ArchiveError(f"{member.name} is cut short.")
    return {"size": hashing.size, "sha256": hashing.sha256.hexdigest()}


def read_into(stream, staging):
    """Unpack the archive from `stream` under the directory `staging` and check every file
    against the manifest; returns the manifest. Raises ArchiveError, leaving in `staging`
    whatever was unpacked (the caller removes it): nothing outside it is touched."""
    staging = Path(staging)
    found, manifest = {}, None
    try:
        with tarfile.open(fileobj=stream, mode="r|*") as tar:
            for member in tar:
                if manifest is not None:
                    raise ArchiveError("The archive goes on after its manifest.")
                if member.name == MANIFEST and member.isfile():
                    manifest = _read_manifest(tar, member)
                    continue
                if member.isdir():
                    _member_path(member.name)
                    continue
                if not member.isfile():
                    raise ArchiveError(f"The archive holds a link or device: {member.name!r}.")
                path = _member_path(member.name)
                if member.name in found:
                    raise ArchiveError(f"The archive holds {member.name!r} twice.")
                found[member.name] = _copy_out(tar, member, staging.joinpath(*path.parts))
    except _DAMAGE as error:
        raise ArchiveError(f"The archive is damaged or incomplete ({error}).") from None
    if manifest is None:
        raise ArchiveError("The archive is incomplete: it ends before its manifest.")
    _check(manifest["files"], found)
    return manifest


def _check(listed, found):
    missing = sorted(set(listed) - set(found))
    if missing:
        raise ArchiveError(f"The archive lacks {len(missing)} listed file(s), e.g. {missing[0]}.")
    extra = sorted(set(found) - set(listed))
    if extra:
        raise ArchiveError(f"The archive holds {len(extra)} unlisted file(s), e.g. {extra[0]}.")
    for name, got in found.items():
        want = listed[name]
        if not isinstance(want, dict) or want.get("sha256") != got["sha256"]:
            raise ArchiveError(f"{name} does not match its checksum: the archive is damaged.")
        if want.get("size") != got["size"]:
            raise ArchiveError(f"{name} does not have its listed size: the archive is damaged.")
