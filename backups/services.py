"""Backing the site up into one archive, and restoring it into an empty database and media.

Order matters for consistency between the database and the files: the database is dumped
first (one snapshot), the files are copied after. Every file the dumped rows point at was
already written when the snapshot was taken, so it is in the archive; a file uploaded while
the files are being copied is an orphan no row points at, which is harmless. The other order
could archive rows pointing at files the archive lacks. The only file that can be missing is
one deleted between the two steps (an erasure or a deleted image): its owner asked for that.
"""

import importlib.metadata
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from backups import archive, database
from core.pagecache import bump_generation_safely


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def media_roots():
    """Archive folder -> the directory it comes from and is restored to."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def _check_local_storage():
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend != "django.core.files.storage.FileSystemStorage":
        raise BackupError(
            f"Public media are stored with {backend}, not in MEDIA_ROOT on this machine: back "
            "them up with that storage's own tools."
        )


def _code_version():
    try:
        return importlib.metadata.version("cancerblog")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def make_backup(stream, *, compress):
    """Write a backup archive to the binary `stream`; returns its manifest."""
    _check_local_storage()
    try:
        vendor = database.vendor()
        with tempfile.TemporaryDirectory(prefix="cancerblog-backup-") as work:
            dump_file = Path(work) / "dump"
            migrations = database.applied_migrations()
            version = database.server_version()
            # Just before the snapshot: whatever changed after this moment may be missing.
            taken_at = timezone.now()
            tool = database.dump(dump_file)
            with archive.Writer(stream, compress=compress) as writer:
                writer.add_file(database.DUMP_NAMES[vendor], dump_file)
                for folder, root in media_roots().items():
                    writer.add_tree(folder, root)
                return writer.finish(
                    {
                        "format": archive.FORMAT,
                        "format_version": archive.FORMAT_VERSION,
                        "created_at": taken_at.isoformat(),
                        "site": settings.BASE_URL,
                        "code_version": _code_version(),
                        "database": {
                            "vendor": vendor,
                            "server_version": version,
                            "file": database.DUMP_NAMES[vendor],
                            **tool,
                        },
                        "migrations": migrations,
                    }
                )
    except database.DatabaseError as error:
        raise BackupError(str(error)) from None


def _has_files(root):
    return root.is_dir() and any(path.is_file() for path in root.rglob("*"))


def _check_targets(*, replace_database, replace_media):
    """Refuse, before anything changes, to restore over a database or media in use."""
    try:
        empty = database.is_empty()
    except database.DatabaseError as error:
        raise BackupError(str(error)) from None
    if not empty and not replace_database:
        raise BackupError(
            "The database is not empty: restore into a new, empty database (createdb, then "
            "point DATABASE_URL at it), or pass --replace-database to drop its tables."
        )
    for folder, root in media_roots().items():
        if _has_files(root) and not replace_media:
            name = "PRIVATE_MEDIA_ROOT" if folder == "private" else "MEDIA_ROOT"
            raise BackupError(
                f"{name} ({root}) already holds files: restore into an empty folder, or pass "
                "--replace-media to move the present files aside first."
            )


def _check_fits(manifest):
    """The archive's database suits the configured one and this version of the code."""
    about = manifest.get("database")
    vendor = database.vendor()
    if not isinstance(about, dict) or about.get("vendor") not in database.DUMP_NAMES:
        raise BackupError("The manifest does not say which database the backup holds.")
    if about["vendor"] != vendor:
        raise BackupError(
            f"The backup holds a {about['vendor']} database but DATABASE_URL points at "
            f"{vendor}: restore it into a {about['vendor']} database."
        )
    if about.get("file") != database.DUMP_NAMES[vendor] or about["file"] not in manifest["files"]:
        raise BackupError("The archive does not hold the database dump its manifest names.")
    migrations = manifest.get("migrations")
    if not isinstance(migrations, list) or not all(
        isinstance(m, list) and len(m) == 2 and all(isinstance(p, str) for p in m)
        for m in migrations
    ):
        raise BackupError("The manifest's list of migrations is not readable.")
    unknown = database.unknown_migrations(migrations)
    if unknown:
        raise BackupError(
            f"The backup comes from a newer version of the site: its database has "
            f"{len(unknown)} migration(s) this code lacks (e.g. {unknown[0]}). Install the "
            "version the backup was made with, restore, then upgrade."
        )


def _put_media(staging, *, stamp):
    """Move the unpacked media into place; returns where present files were moved aside."""
    aside = []
    for folder, root in media_roots().items():
        if _has_files(root):
            moved = root.with_name(f"{root.name}.before-restore-{stamp}")
            moved.mkdir(parents=True)
            for child in list(root.iterdir()):
                shutil.move(child, moved / child.name)
            aside.append(moved)
        root.mkdir(parents=True, exist_ok=True)
        unpacked = staging / folder
        if unpacked.is_dir():
            for child in list(unpacked.iterdir()):
                shutil.move(child, root / child.name)
    return aside


def restore(stream, *, replace_database=False, replace_media=False, check_only=False):
    """Check the archive read from `stream` and, unless `check_only`, restore it. Nothing
    changes unless every file in the archive matches its checksum and the database and media
    folders are empty (or the caller said to replace them). Returns a summary."""
    _check_local_storage()
    if not check_only:
        _check_targets(replace_database=replace_database, replace_media=replace_media)
    with tempfile.TemporaryDirectory(prefix="cancerblog-restore-") as work:
        staging = Path(work)
        try:
            manifest = archive.read_into(stream, staging)
        except archive.ArchiveError as error:
            raise BackupError(f"{error} Nothing was restored.") from None
        except OSError as error:  # e.g. no room left in TMPDIR
            raise BackupError(
                f"Could not unpack the archive in {work}: {error.strerror}. Nothing was restored."
            ) from None
        try:
            _check_fits(manifest)
        except database.DatabaseError as error:
            raise BackupError(str(error)) from None
        summary = _summary(manifest)
        if check_only:
            return summary
        _check_targets(replace_database=replace_database, replace_media=replace_media)
        try:
            database.load(
                staging / manifest["database"]["file"],
                replace=replace_database,
                dump_tool_major=_int(manifest["database"].get("dump_tool_major")),
            )
        except database.DatabaseError as error:
            raise BackupError(f"{error} The database was left as it was.") from None
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        summary["moved_aside"] = [str(path) for path in _put_media(staging, stamp=stamp)]
    # Pages cached from the database that was there before must not be served again.
    bump_generation_safely()
    return summary


def _int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _summary(manifest):
    files = manifest["files"]
    return {
        "created_at": manifest.get("created_at", "?"),
        "site": manifest.get("site", "?"),
        "vendor": manifest["database"]["vendor"],
        "migrations_to_apply": database.newer_migrations(manifest["migrations"]),
        "media": sum(1 for name in files if name.startswith("media/")),
        "private": sum(1 for name in files if name.startswith("private/")),
        "bytes": sum(entry["size"] for entry in files.values()),
    }
