"""What an import did, for the person who ran it: counts, what was skipped and why, and what
needs a hand. `as_dict()` is the `--report FILE.json` document (its shape is described in
imports/management/commands/import_wordpress.py); `as_text()` is the summary printed at the end.
"""

from collections import Counter, defaultdict

from django.conf import settings
from django.urls import reverse

OUTCOMES = ("created", "updated", "unchanged", "skipped")
# Ids kept per group of skipped records: enough to find examples, not a 500 MB list.
MAX_IDS = 50


def admin_edit_url(page):
    return settings.WAGTAILADMIN_BASE_URL + reverse("wagtailadmin_pages:edit", args=[page.pk])


class Report:
    def __init__(self, *, file_name, dry_run):
        self.file_name = file_name
        self.dry_run = dry_run
        self.source = ""
        self.started_at = None
        self.seconds = 0.0
        self.counts = defaultdict(Counter)  # kind -> outcome -> number
        self.skipped = {}  # (kind, reason) -> {"count": n, "ids": [...]}
        self.needs_a_hand = []
        self.notes = []
        self.images = {"created": 0, "reused": 0, "not_imported": [], "unused_attachments": 0}
        self.file_links = []  # non-image attachments linked from content, kept as links

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    def skip(self, kind, wp_id, reason):
        self.count(kind, "skipped")
        group = self.skipped.setdefault((kind, reason), {"count": 0, "ids": []})
        group["count"] += 1
        if wp_id is not None and len(group["ids"]) < MAX_IDS:
            group["ids"].append(wp_id)

    def hand(self, kind, wp_id, title, reason, page=None):
        """Something a person should look at, with the page's admin address when there is one."""
        self.needs_a_hand.append(
            {
                "type": kind,
                "wp_id": wp_id,
                "title": title,
                "reason": reason,
                "admin_url": admin_edit_url(page) if page is not None and page.pk else "",
            }
        )

    def note(self, text):
        if text not in self.notes:
            self.notes.append(text)

    @property
    def posts_per_second(self):
        done = sum(self.counts["post"][outcome] for outcome in OUTCOMES[:3])
        return round(done / self.seconds, 1) if self.seconds else 0.0

    def as_dict(self):
        return {
            "file": self.file_name,
            "source": self.source,
            "dry_run": self.dry_run,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "seconds": round(self.seconds, 2),
            "posts_per_second": self.posts_per_second,
            "counts": {
                kind: {outcome: counts[outcome] for outcome in OUTCOMES}
                for kind, counts in sorted(self.counts.items())
            },
            "skipped": [
                {"type": kind, "reason": reason, **group}
                for (kind, reason), group in sorted(self.skipped.items())
            ],
            "needs_a_hand": self.needs_a_hand,
            "images": self.images,
            "file_links": self.file_links,
            "notes": self.notes,
        }

    def as_text(self):
        data = self.as_dict()
        lines = [
            ("Dry run: nothing was saved. " if self.dry_run else "")
            + f"Imported {self.file_name} from {self.source or 'an unnamed blog'} "
            f"in {data['seconds']} s ({data['posts_per_second']} posts/s).",
            "",
            f"{'':14}" + "".join(f"{outcome:>11}" for outcome in OUTCOMES),
        ]
        for kind, counts in data["counts"].items():
            lines.append(f"{kind:14}" + "".join(f"{counts[o]:>11}" for o in OUTCOMES))
        images = data["images"]
        lines += [
            "",
            f"Images: {images['created']} imported, {images['reused']} reused, "
            f"{len(images['not_imported'])} not imported; attachments not used by any post: "
            f"{images['unused_attachments']}, not imported.",
        ]
        if data["skipped"]:
            lines += ["", "Skipped:"]
            lines += [
                f"  {group['count']:>6} {group['type']}: {group['reason']}"
                for group in data["skipped"]
            ]
        if data["needs_a_hand"] or images["not_imported"] or data["file_links"]:
            lines += ["", "Needs a hand:"]
            for entry in data["needs_a_hand"]:
                where = f"\n      {entry['admin_url']}" if entry["admin_url"] else ""
                lines.append(
                    f"  - {entry['type']} {entry['wp_id']} “{entry['title']}”: "
                    f"{entry['reason']}{where}"
                )
            for image in images["not_imported"]:
                lines.append(f"  - image {image['url']}: {image['reason']}; kept as a link")
            for url in data["file_links"]:
                lines.append(f"  - file {url}: linked at its old address, not copied")
        if data["notes"]:
            lines += ["", "Notes:"] + [f"  - {note}" for note in data["notes"]]
        return "\n".join(lines) + "\n"
