import sys

from django.core.management.base import BaseCommand, CommandError

from backups import services


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database (DATABASE_URL) and "
        "empty MEDIA_ROOT and PRIVATE_MEDIA_ROOT. Every file is checked first; a damaged or "
        "incomplete archive changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive to read; '-' reads standard input.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive (checksums, manifest, fit with this code).",
        )
        parser.add_argument(
            "--replace-database",
            action="store_true",
            help="Restore even though the database has tables: they are dropped, in the same "
            "transaction as the load.",
        )
        parser.add_argument(
            "--replace-media",
            action="store_true",
            help="Restore even though the media folders hold files: they are moved aside to "
            "<folder>.before-restore-<time> first.",
        )

    def handle(self, *args, archive, check, replace_database, replace_media, **options):
        if archive == "-" and sys.stdin.isatty():
            raise CommandError("Standard input is a terminal: pipe the archive in.")
        try:
            if archive == "-":
                summary = self._restore(sys.stdin.buffer, check, replace_database, replace_media)
            else:
                try:
                    stream = open(archive, "rb")  # noqa: SIM115 - closed just below
                except OSError as error:
                    raise CommandError(f"Cannot read {archive}: {error.strerror}.") from None
                with stream:
                    summary = self._restore(stream, check, replace_database, replace_media)
        except services.BackupError as error:
            raise CommandError(str(error)) from None
        what = (
            f"the {summary['vendor']} database and {summary['media']} public and "
            f"{summary['private']} private media files of {summary['site']}, backed up at "
            f"{summary['created_at']}"
        )
        if check:
            self.stdout.write(self.style.SUCCESS(f"The archive is whole: {what}."))
            return
        self.stdout.write(self.style.SUCCESS(f"Restored {what}."))
        for folder in summary["moved_aside"]:
            self.stdout.write(f"The files that were there before are in {folder}.")
        if summary["migrations_to_apply"]:
            self.stdout.write(
                f"This code has {summary['migrations_to_apply']} migration(s) the backup had not "
                "applied: run `manage.py migrate` before starting the site."
            )
        self.stdout.write(
            self.style.WARNING(
                f"Anyone who erased their data after {summary['created_at']} is back in the "
                "restored data: re-apply those erasures before the site goes live (README, "
                "Backups)."
            )
        )

    def _restore(self, stream, check, replace_database, replace_media):
        return services.restore(
            stream,
            replace_database=replace_database,
            replace_media=replace_media,
            check_only=check,
        )
