"""WordPress imports started from the admin: the upload becomes an ImportJob, a task runs the
same `importer.run` as `manage.py import_wordpress`, and the admin page follows its progress.

Progress during the import is written to a small JSON file beside the upload, replaced whole
at most once a second. Not the database: the import is one transaction, and on SQLite that
transaction holds the only write lock, so no other connection could write a row meanwhile
(on PostgreSQL it could, but one mechanism for both is simpler). Not the cache: the default
cache is local memory, one per process, and the web server and task worker are separate
processes. The private files directory is what they must share anyway: the worker reads the
upload from it.
"""

import itertools
import json
import logging
import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from core import progress
from core.tasks import enqueue_on_commit
from imports import importer, wxr
from imports.models import ImportJob
from imports.records import WXRError

logger = logging.getLogger(__name__)

FOLDER = "imports"
EARLIER_IMPORT_CHOICES = ("adopt", "separate")
ALREADY_RUNNING = (
    "Another WordPress import is waiting or running: only one runs at a time. Wait for it to "
    "finish (its progress page says when), then start this one."
)


class ImportRefused(Exception):
    """The upload cannot be imported; the message says why, for the person who sent it."""


def folder():
    return Path(settings.PRIVATE_MEDIA_ROOT) / FOLDER


def upload_path(job):
    return folder() / job.stored_name


def progress_path(job_id):
    return folder() / f"{job_id}.progress.json"


# A running import writes its progress file at least every few seconds while it reads and
# imports; one silent for this long lost its task worker (killed, restarted, out of memory).
# Its transaction never committed: nothing was imported, and the next import may start.
SILENT_FOR = timedelta(minutes=30)
WORKER_LOST = (
    "The task worker stopped during this import (nothing was heard from it for 30 minutes); "
    "nothing was imported. Start it again."
)


def running_job():
    """The queued or running import, if any; one whose worker has gone silent is ended."""
    job = ImportJob.objects.filter(active=True).first()
    if job is not None and _worker_lost(job):
        _finish(job, ImportJob.Status.FAILED, error=WORKER_LOST)
        return None
    return job


def _worker_lost(job):
    if job.status != ImportJob.Status.RUNNING or job.started_at is None:
        return False
    try:
        heard = datetime.fromtimestamp(progress_path(job.pk).stat().st_mtime, tz=UTC)
    except OSError:
        heard = job.started_at
    return timezone.now() - max(heard, job.started_at) > SILENT_FOR


# Starting ----------------------------------------------------------------------------------


def check_upload(upload):
    """Refuse at once what is plainly no WordPress export: too large, empty, not .xml, not
    XML, a feed, a DTD (entity bombs), a version we do not read. What only the whole file can
    show (an error on line 80,000) ends the job instead, with nothing imported."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ImportRefused(
            f"The file is {_megabytes(upload.size)}; the largest export accepted here is "
            f"{_megabytes(limit)}. Export the posts a few years at a time (WordPress: Tools > "
            "Export, by date), or ask the operator to run the import on the server."
        )
    if not upload.size:
        raise ImportRefused("The file is empty.")
    if not (upload.name or "").lower().endswith(".xml"):
        raise ImportRefused(
            "Choose the .xml file WordPress makes under Tools > Export (this one is not .xml)."
        )
    upload.seek(0)
    try:
        for _record in wxr.parse(upload.file, comments=False):
            break  # the blog's own head: enough to know what the file is
        else:
            raise WXRError("The file has no <channel>: it is not a WordPress export.")
    except WXRError as error:
        raise ImportRefused(f"This file cannot be imported. {error}") from None
    finally:
        upload.seek(0)


def _megabytes(size):
    return filesizeformat(size).replace("\xa0", " ")


def display_name(name):
    """The uploaded file's name, for people: no folders, no control characters."""
    name = Path(str(name).replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "export.xml")[:200]


def start_import(
    upload, *, by, dry_run=False, download_images=True, skip_pingbacks=False, earlier_import=""
):
    """Keep the upload privately and queue its import; returns the ImportJob. Raises
    ImportRefused, having kept nothing, if the file is no export or an import is running."""
    check_upload(upload)
    if earlier_import not in ("", *EARLIER_IMPORT_CHOICES):
        raise ImportRefused("Choose adopt or separate for the earlier import, or neither.")
    if running_job() is not None:
        raise ImportRefused(ALREADY_RUNNING)
    stored_name = f"{uuid.uuid4().hex}.xml"
    target = folder() / stored_name
    _store(upload, target)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                file_name=display_name(upload.name),
                stored_name=stored_name,
                size=upload.size,
                dry_run=dry_run,
                download_images=download_images,
                skip_pingbacks=skip_pingbacks,
                earlier_import=earlier_import,
                started_by=by,
            )
            enqueue_on_commit("imports.tasks.run_import", job.pk)
    except IntegrityError:  # another start won the race for the one active row
        target.unlink(missing_ok=True)
        raise ImportRefused(ALREADY_RUNNING) from None
    return job


def _store(upload, target):
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    upload.seek(0)
    with target.open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)


# Running -----------------------------------------------------------------------------------


def run_job(job_id):
    """Import a queued job's file, once: a second call (a retry, a second worker) finds it no
    longer queued and does nothing. Returns True when it imported, False when it did not."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if claimed != 1:
        return False
    job = ImportJob.objects.get(pk=job_id)
    tracker = ProgressFile(job.pk)
    tracker.write("reading", 0, job.size, force=True)
    try:
        with importer.quiet_logs():
            report = importer.run(
                upload_path(job),
                dry_run=job.dry_run,
                download_images=job.download_images,
                skip_pingbacks=job.skip_pingbacks,
                earlier_import=job.earlier_import or None,
                progress=tracker.read_bytes,
                steps=tracker.step,
                display_name=job.file_name,
            )
    except WXRError as error:
        _finish(job, ImportJob.Status.FAILED, error=f"Nothing was imported: {error}")
        return False
    except Exception:
        logger.exception("WordPress import %s failed", job.pk)
        _finish(
            job,
            ImportJob.Status.FAILED,
            error="The import stopped on an unexpected error, so nothing was imported. The "
            "task worker's log has the details for the operator.",
        )
        raise
    summary = _summary(report) if job.dry_run else ""  # a real run has its report page
    _finish(job, ImportJob.Status.DONE, summary=summary, run_id=report.run_id)
    return True


SUMMARY_LINES = 300


def _summary(report):
    """The dry run's report as text, its first lines only: a 25,000-post blog's can list
    thousands of entries needing a hand."""
    lines = list(itertools.islice(report.text_lines(), SUMMARY_LINES + 1))
    if len(lines) > SUMMARY_LINES:
        lines[-1] = "… and more: the import itself keeps the whole report."
    return "\n".join(lines)


def cancel_job(job):
    """Withdraw a job the worker has not taken up (no worker running, or a long queue); True if
    it was still waiting. The same claim as run_job's, so only one of the two can win."""
    cancelled = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.FAILED,
        active=False,
        finished_at=timezone.now(),
        stored_name="",
        error="Cancelled before the task worker started it: nothing was imported.",
    )
    if cancelled:
        upload_path(job).unlink(missing_ok=True)
    return cancelled == 1


def _finish(job, status, **fields):
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, active=False, finished_at=timezone.now(), stored_name="", **fields
    )
    upload_path(job).unlink(missing_ok=True)
    progress_path(job.pk).unlink(missing_ok=True)


class ProgressFile:
    """Where the import is, written for the web server to read (see the module's docstring)."""

    every = 1.0  # seconds between two writes, at most

    def __init__(self, job_id):
        self.path = progress_path(job_id)
        self.last = None

    def read_bytes(self, pass_number, done, total):
        if pass_number == 1:  # pass 2's bytes would only repeat what `step` says
            self.write("reading", done, total)

    def step(self, phase, done, total):
        self.write(phase, done, total, force=phase != "importing" or done == total)

    def write(self, phase, done, total, force=False):
        now = time.monotonic()
        if not force and self.last is not None and now - self.last < self.every:
            return
        self.last = now
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
        os.replace(temporary, self.path)


def read_progress(job_id):
    try:
        data = json.loads(progress_path(job_id).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# Telling ----------------------------------------------------------------------------------


def job_status(job):
    """The job's progress in core.progress's shape."""
    Status = ImportJob.Status
    if job.status == Status.QUEUED:
        return progress.status(progress.QUEUED, label="Waiting for the task worker to start it.")
    if job.status == Status.FAILED:
        return progress.status(
            progress.FAILED, label=job.error, message="The import failed: nothing was imported."
        )
    if job.status == Status.DONE:
        if job.dry_run:
            said = "Dry run finished: nothing was saved. What it would have done is below."
        else:
            said = "The import finished. Read the report."
        return progress.status(progress.DONE, done=1, total=1, label="Finished.", message=said)
    now = read_progress(job.pk) or {}
    phase, done, total = now.get("phase"), now.get("done") or 0, now.get("total")
    if phase == "importing":
        label = f"Importing: {done:,} of {total:,} posts and pages."
    elif phase == "finishing":
        label = "Finishing: links between posts, images and redirects from the old addresses."
    else:
        share = progress.percent(done, total)
        label = "Reading the file" + (f": {share}%." if share is not None else ".")
    return progress.status(progress.RUNNING, done=done, total=total, label=label)
