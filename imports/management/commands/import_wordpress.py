"""`manage.py import_wordpress FILE.xml`: bring a WordPress blog across (see imports.importer).

The summary goes to stdout; a progress line on stderr when it is a terminal. Errors (no such
file, not a WordPress export, malformed XML) end with a message and exit code 1, and nothing
is imported.

`--report FILE.json` writes the same summary for programs, an object with:
  file, source (the blog, normalised), dry_run, started_at (ISO 8601), seconds,
  posts_per_second,
  counts: {type: {created, updated, unchanged, skipped}} for post, page, contributor, topic,
      comment, redirect, and skipped WordPress types (nav_menu_item, ...),
  skipped: [{type, reason, count, ids (the WordPress id of every one skipped)}],
  needs_a_hand: [{type, wp_id, title, reason, admin_url ("" when no page was made)}],
  images: {created, reused, not_imported: [{url, reason}], unused_attachments},
  file_links: [old URLs of non-image attachments linked from content, kept as links],
  notes: [sentences about the import as a whole].
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from imports import importer
from imports.records import WXRError


class Command(BaseCommand):
    help = "Import a WordPress export (WXR): posts, pages, comments, images and redirects."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The WordPress export, an .xml file (WXR 1.1 or 1.2).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, then save nothing."
        )
        parser.add_argument("--report", metavar="FILE.json", help="Write a JSON report here.")
        parser.add_argument(
            "--no-images", action="store_true", help="Download no images; keep them as links."
        )
        parser.add_argument(
            "--uploads-dir",
            metavar="DIR",
            help="A local copy of wp-content/uploads to take images from instead of the web.",
        )
        parser.add_argument(
            "--allow-host",
            action="append",
            default=[],
            metavar="HOST",
            help="Download images from HOST even though it is on this machine or a private "
            "network (repeat for several; IMPORT_ALLOWED_HOSTS adds more).",
        )
        parser.add_argument(
            "--skip-pingbacks", action="store_true", help="Leave out pingbacks and trackbacks."
        )
        parser.add_argument(
            "--earlier-import",
            choices=["adopt", "separate"],
            help="Only when asked: whether posts imported by an earlier version under the shared "
            "WordPress site address are this blog's (adopt) or another blog's (separate).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        report_path = options["report"]
        if report_path and not Path(report_path).resolve().parent.is_dir():
            raise CommandError(f"--report {report_path}: its folder does not exist.")
        uploads = options["uploads_dir"]
        if uploads and not Path(uploads).is_dir():
            raise CommandError(f"--uploads-dir {uploads} is not a folder.")
        progress = Progress(self.stderr._out) if self.stderr.isatty() else None
        try:
            with importer.quiet_logs(options["verbosity"]):
                report = importer.run(
                    path,
                    dry_run=options["dry_run"],
                    download_images=not options["no_images"],
                    uploads_dir=uploads,
                    skip_pingbacks=options["skip_pingbacks"],
                    earlier_import=options["earlier_import"],
                    progress=progress,
                    allowed_hosts=options["allow_host"],
                )
        except WXRError as error:
            raise CommandError(f"{path.name} cannot be imported, nothing was: {error}") from None
        finally:
            if progress is not None:
                progress.end()
        for line in report.text_lines():
            self.stdout.write(line)
        if report_path:
            with Path(report_path).open("w", encoding="utf-8") as out:
                report.write_json(out, indent=2)
                out.write("\n")
            self.stdout.write(f"Report written to {report_path}.")


class Progress:
    """A progress bar on a terminal (tqdm): which pass, how far through the file."""

    LABELS = {1: "Reading", 2: "Importing"}

    def __init__(self, stream):
        self.stream = stream
        self.bar = None
        self.pass_number = None

    def __call__(self, pass_number, done, total):
        if pass_number != self.pass_number:
            self.end()
            self.pass_number = pass_number
            self.bar = tqdm(
                desc=self.LABELS[pass_number],
                total=total,
                unit="B",
                unit_scale=True,
                file=self.stream,
                leave=True,
            )
        self.bar.update(done - self.bar.n)

    def end(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
