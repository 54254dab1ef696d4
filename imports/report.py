"""What an import did, for the person who ran it: counts, what was skipped and why, and what
needs a hand, every object with its WordPress id. `as_dict()` is the `--report FILE.json`
document (its shape is described in imports/management/commands/import_wordpress.py), which
`write_json()` writes without holding it in memory; `as_text()` and `text_lines()` are the
summary printed at the end.

A 25,000-post blog gives tens of thousands of entries: the entries needing a hand wait in a
temporary file, one JSON line each, and skipped ids in compact arrays, not on the heap as
Python objects.
"""

import json
import tempfile
import textwrap
from array import array
from collections import Counter, defaultdict

from django.conf import settings
from django.urls import reverse

OUTCOMES = ("created", "updated", "unchanged", "skipped")
TEXT_WIDTH = 96
_HANDS_KEY = '"needs_a_hand": []'


def admin_edit_url(page):
    return settings.WAGTAILADMIN_BASE_URL + reverse("wagtailadmin_pages:edit", args=[page.pk])


class SkippedIds:
    """The WordPress ids of one group of skipped objects, in the order met: numbers in an
    array of 8 bytes each, the odd id that is not a number (a login, a slug) in a list."""

    def __init__(self):
        self.numbers = array("q")
        self.others = []

    def append(self, wp_id):
        if isinstance(wp_id, int) and -(2**63) <= wp_id < 2**63:
            self.numbers.append(wp_id)
        else:
            self.others.append(wp_id)

    def as_list(self):
        return [*self.numbers, *self.others]

    def __len__(self):
        return len(self.numbers) + len(self.others)


def compact_ids(ids):
    """ "3, 7-9, 12": runs of consecutive numbers as ranges, in the order given."""
    parts, start, previous = [], None, None
    for wp_id in ids:
        if isinstance(wp_id, int) and previous is not None and wp_id == previous + 1:
            previous = wp_id
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = wp_id if isinstance(wp_id, int) else None
        if start is None:
            parts.append(str(wp_id))
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}-{previous}")
    return ", ".join(parts)


class Report:
    def __init__(self, *, file_name, dry_run):
        self.file_name = file_name
        self.dry_run = dry_run
        self.source = ""
        self.started_at = None
        self.seconds = 0.0
        self.counts = defaultdict(Counter)  # kind -> outcome -> number
        self.skipped = {}  # (kind, reason) -> {"count": n, "ids": SkippedIds}
        self._hands = None  # a temporary file of JSON lines, once something needs a hand
        self.hand_count = 0
        self.notes = []
        self.images = {"created": 0, "reused": 0, "not_imported": [], "unused_attachments": 0}
        self.file_links = []  # non-image attachments linked from content, kept as links
        self.run_id = None  # the ImportRun that keeps it, once committed

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    def skip(self, kind, wp_id, reason):
        self.count(kind, "skipped")
        group = self.skipped.setdefault((kind, reason), {"count": 0, "ids": SkippedIds()})
        group["count"] += 1
        if wp_id is not None:
            group["ids"].append(wp_id)

    def hand(self, kind, wp_id, title, reason, page=None):
        """Something a person should look at, with the page's admin address when there is one."""
        if self._hands is None:
            self._hands = tempfile.TemporaryFile("w+", encoding="utf-8")
        entry = {
            "type": kind,
            "wp_id": wp_id,
            "title": title,
            "reason": reason,
            "admin_url": admin_edit_url(page) if page is not None and page.pk else "",
        }
        self._hands.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.hand_count += 1

    def hand_lines(self):
        """The entries needing a hand, one JSON text each, in the order they were found."""
        if self._hands is None:
            return
        self._hands.flush()
        self._hands.seek(0)
        for line in self._hands:
            yield line.rstrip("\n")
        self._hands.seek(0, 2)  # later entries go after these

    def hands(self):
        for line in self.hand_lines():
            yield json.loads(line)

    @property
    def needs_a_hand(self):
        return list(self.hands())

    def note(self, text):
        if text not in self.notes:
            self.notes.append(text)

    @property
    def posts_per_second(self):
        done = sum(self.counts["post"][outcome] for outcome in OUTCOMES[:3])
        return round(done / self.seconds, 1) if self.seconds else 0.0

    def as_dict(self, *, hands=True):
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
                {
                    "type": kind,
                    "reason": reason,
                    "count": group["count"],
                    "ids": group["ids"].as_list(),
                }
                for (kind, reason), group in sorted(self.skipped.items())
            ],
            "needs_a_hand": self.needs_a_hand if hands else [],
            "images": self.images,
            "file_links": self.file_links,
            "notes": self.notes,
        }

    def write_json(self, out, *, indent=None, ascii_only=False):
        """The JSON document of as_dict() into the text stream `out`, the entries needing a
        hand copied from their temporary file one at a time; `ascii_only` escapes every other
        character as JSON allows (\\u00e9)."""
        text = json.dumps(self.as_dict(hands=False), indent=indent, ensure_ascii=ascii_only)
        head, tail = text.split(_HANDS_KEY, 1)  # the key at the top level: written once
        # The entries one level deeper than the key, as json.dumps would put them.
        inner = "\n" + " " * (2 * indent) if indent else ""
        outer = "\n" + " " * indent if indent and self.hand_count else ""
        out.write(head + '"needs_a_hand": [')
        for number, line in enumerate(self.hand_lines()):
            if ascii_only:
                line = json.dumps(json.loads(line))
            out.write(("," if number else "") + inner + line)
        out.write(outer + "]" + tail)

    def json_text(self):
        """The JSON document as one string (compact), for the database."""
        with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
            self.write_json(spool)
            spool.seek(0)
            return spool.read()

    def as_text(self):
        return "\n".join(self.text_lines()) + "\n"

    def text_lines(self):
        data = self.as_dict(hands=False)
        yield (
            ("Dry run: nothing was saved. " if self.dry_run else "")
            + f"Imported {self.file_name} from {self.source or 'an unnamed blog'} "
            f"in {data['seconds']} s ({data['posts_per_second']} posts/s)."
        )
        yield ""
        yield f"{'':14}" + "".join(f"{outcome:>11}" for outcome in OUTCOMES)
        for kind, counts in data["counts"].items():
            yield f"{kind:14}" + "".join(f"{counts[o]:>11}" for o in OUTCOMES)
        images = data["images"]
        yield ""
        yield (
            f"Images: {images['created']} imported, {images['reused']} reused, "
            f"{len(images['not_imported'])} not imported; attachments not used by any post: "
            f"{images['unused_attachments']}, not imported."
        )
        if data["skipped"]:
            yield ""
            yield "Skipped (WordPress ids; 7-9 is 7, 8 and 9):"
            for group in data["skipped"]:
                yield f"  {group['count']:>6} {group['type']}: {group['reason']}"
                if group["ids"]:
                    yield from textwrap.wrap(
                        compact_ids(group["ids"]),
                        TEXT_WIDTH,
                        initial_indent=" " * 9 + "ids: ",
                        subsequent_indent=" " * 14,
                        break_on_hyphens=False,
                    )
        if self.hand_count or images["not_imported"] or data["file_links"]:
            yield ""
            yield "Needs a hand:"
            for entry in self.hands():
                where = f"\n      {entry['admin_url']}" if entry["admin_url"] else ""
                yield (
                    f"  - {entry['type']} {entry['wp_id']} “{entry['title']}”: "
                    f"{entry['reason']}{where}"
                )
            for image in images["not_imported"]:
                yield f"  - image {image['url']}: {image['reason']}; kept as a link"
            for url in data["file_links"]:
                yield f"  - file {url}: linked at its old address, not copied"
        if data["notes"]:
            yield ""
            yield "Notes:"
            yield from (f"  - {note}" for note in data["notes"])
