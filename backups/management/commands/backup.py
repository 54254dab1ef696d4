import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups import services
from backups.archive import compressed_name


class Command(BaseCommand):
    help = (
        "Back up the database, MEDIA_ROOT and PRIVATE_MEDIA_ROOT into one archive. It holds "
        "personal data: encrypt it (see the README, Backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            help="The archive to write: NAME.tar, or NAME.tar.gz to compress it; '-' writes it "
            "gzip-compressed to standard output, to pipe into age or gpg.",
        )

    def handle(self, *args, output, **options):
        if output == "-" and sys.stdout.isatty():
            raise CommandError("Standard output is a terminal: pipe the backup into age or gpg.")
        if output == "-":
            # Standard output carries the archive: what people read goes to standard error.
            self.stdout = self.stderr
            manifest = self._write(sys.stdout.buffer, compress=True)
            sys.stdout.buffer.flush()
        else:
            manifest = self._write_file(Path(output))
        files = manifest["files"]
        media = sum(1 for name in files if name.startswith("media/"))
        private = sum(1 for name in files if name.startswith("private/"))
        size = sum(entry["size"] for entry in files.values())
        self.stdout.write(
            f"Backed up the {manifest['database']['vendor']} database, {media} public and "
            f"{private} private media files ({size / 1e6:.1f} MB before compression)"
            + ("" if output == "-" else f" to {output}")
            + ". It holds personal data: encrypt it and keep it off this machine."
        )

    def _write(self, stream, *, compress):
        try:
            return services.make_backup(stream, compress=compress)
        except services.BackupError as error:
            raise CommandError(str(error)) from None

    def _write_file(self, path):
        if path.exists():
            raise CommandError(f"{path} already exists: choose a new name (e.g. with the date).")
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent} to write the backup in.")
        # Written under another name and renamed when complete: a backup cut short by a crash
        # or a full disk never carries the name of a good one.
        partial = path.with_name(f"{path.name}.partial")
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as error:
            raise CommandError(f"Cannot write {partial}: {error.strerror}.") from None
        try:
            with os.fdopen(descriptor, "wb") as stream:
                manifest = self._write(stream, compress=compressed_name(path))
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return manifest
