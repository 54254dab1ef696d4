"""Benchmark of the WordPress import: a generated export, parsed alone and then imported.

Run through `make bench BENCH=import`. It owns the database named in DATABASE_URL (dropped and
created again; the name must contain "bench"). Options (BENCH_IMPORT_ARGS in make):
--posts N (default 2000), --comments N per post (default 20), --file EXPORT.xml to use an
existing export instead of generating one, --parse-only to leave the database alone.

Two measurements, each in a process of its own so its peak RSS is its own:
- parse: `imports.wxr.parse` over the whole file, counting records (items/s, MB/s);
- import: `manage.py import_wordpress FILE --report R.json --no-images` on an empty, migrated
  database (posts/s and comments/s from the report's counts and the command's wall time).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.alerts import recreate_database  # noqa: E402

PARSE_ONLY = """
import json, sys, time
from imports.records import Item
from imports.wxr import parse
started = time.monotonic()
items = comments = 0
for record in parse(sys.argv[1]):
    if isinstance(record, Item):
        items += 1
        comments += len(record.comments)
print(json.dumps({"items": items, "comments": comments, "seconds": time.monotonic() - started}))
"""


def run_measured(command, env=None):
    """Run `command`; (stdout, seconds, peak RSS in MB of that process)."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{command[1:3]} failed with exit code {process.returncode}:\n{stdout[-3000:]}")
    return stdout, seconds, usage.ru_maxrss / 1024


def generate(path, posts, comments):
    from imports.tests.wxr_factory import write_large_export

    print(f"… writing an export of {posts:,} posts x {comments} comments", flush=True)
    started = time.monotonic()
    export = write_large_export(path, posts=posts, comments_per_post=comments)
    print(
        f"  {export.bytes / 1e6:,.1f} MB, {export.posts:,} posts, {export.attachments:,} "
        f"attachments, {export.comments:,} comments in {time.monotonic() - started:.1f} s",
        flush=True,
    )


def measure_parse(path):
    print("… parsing alone", flush=True)
    stdout, _, rss = run_measured([sys.executable, "-c", PARSE_ONLY, str(path)])
    result = json.loads(stdout)
    return {**result, "rss": rss}


def measure_import(path, workdir):
    env = {
        **os.environ,
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "LOG_LEVEL": "WARNING",
    }
    recreate_database(env["DATABASE_URL"])
    print("… migrating a fresh database", flush=True)
    run_measured([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    print("… importing (manage.py import_wordpress --no-images)", flush=True)
    report_path = workdir / "report.json"
    command = [sys.executable, "manage.py", "import_wordpress", str(path)]
    command += ["--report", str(report_path), "--no-images"]
    _, seconds, rss = run_measured(command, env)
    report = json.loads(report_path.read_text())
    counts = report["counts"]
    return {
        "seconds": seconds,
        "rss": rss,
        "posts": counts.get("post", {}).get("created", 0),
        "comments": counts.get("comment", {}).get("created", 0),
        "reported_posts_per_second": report.get("posts_per_second"),
        "reported_seconds": report.get("seconds"),
    }


def print_summary(path, parsed, imported):
    megabytes = path.stat().st_size / 1e6
    print()
    print(f"WordPress import: {path.name}, {megabytes:,.1f} MB")
    head = f"{'':8} {'seconds':>8} {'posts/s':>8} {'comments/s':>10} {'items/s':>8} "
    head += f"{'MB/s':>6} {'peak RSS MB':>11}"
    print(head)
    print("-" * len(head))
    print(
        f"{'parse':8} {parsed['seconds']:>8.1f} {'':>8} "
        f"{parsed['comments'] / parsed['seconds']:>10,.0f} "
        f"{parsed['items'] / parsed['seconds']:>8,.0f} {megabytes / parsed['seconds']:>6.1f} "
        f"{parsed['rss']:>11.0f}"
    )
    if imported:
        seconds = imported["seconds"]
        print(
            f"{'import':8} {seconds:>8.1f} {imported['posts'] / seconds:>8,.1f} "
            f"{imported['comments'] / seconds:>10,.0f} {'':>8} {megabytes / seconds:>6.1f} "
            f"{imported['rss']:>11.0f}"
        )
        print(
            f"Imported {imported['posts']:,} posts and {imported['comments']:,} comments; the "
            f"command's own report: {imported['reported_posts_per_second']} posts/s over "
            f"{imported['reported_seconds']} s (the table's time includes starting Django)."
        )
    print(
        f"parse: imports.wxr.parse alone over the file ({parsed['items']:,} items, "
        f"{parsed['comments']:,} comments); peak RSS is each process's own (VmHWM)."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=20, help="comments per post")
    parser.add_argument("--file", type=Path, help="an existing export to use instead")
    parser.add_argument("--parse-only", action="store_true", help="leave the database alone")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cancerblog.settings")
    os.chdir(ROOT)
    if not options.parse_only and not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL (make bench does), or pass --parse-only.")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as name:
        workdir = Path(name)
        path = options.file or workdir / "export.xml"
        if options.file is None:
            generate(path, options.posts, options.comments)
        parsed = measure_parse(path)
        imported = None if options.parse_only else measure_import(path, workdir)
        print_summary(path, parsed, imported)


if __name__ == "__main__":
    main()
