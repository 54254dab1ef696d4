"""The import ledger: which WordPress object became which object here.

Reruns are keyed by it (never by titles or slugs, which editors change), and its digest tells
whether WordPress changed a record since the last import.
"""

from django.conf import settings
from django.db import models


class ImportedObject(models.Model):
    """One WordPress record (post, page, attachment, comment, author, category) and ours."""

    class Type(models.TextChoices):
        POST = "post"
        PAGE = "page"
        ATTACHMENT = "attachment"
        COMMENT = "comment"
        AUTHOR = "author"
        CATEGORY = "category"

    # The blog's own address (base_blog_url), normalised: two WordPress blogs never share a
    # ledger row, even WordPress.com blogs, which all have http://wordpress.com as their site.
    source = models.CharField(max_length=255)
    wp_type = models.CharField(max_length=20, choices=Type.choices)
    # WordPress's numeric id; an author's login, or a category's slug when it has no id.
    wp_id = models.CharField(max_length=200)
    # The primary key of a Page (post, page), wagtailimages Image (attachment), comments
    # Comment (comment), blog Contributor (author) or blog Topic (category).
    object_id = models.PositiveBigIntegerField()
    digest = models.CharField(max_length=64, blank=True)
    # For a post or page: the images it asked for that could not be had (attachment ids, or
    # addresses on the old blog), so that a later run able to fetch them brings them in.
    missing_images = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "wp_type", "wp_id"], name="unique_imported_object"
            )
        ]

    def __str__(self):
        return f"{self.source} {self.wp_type} {self.wp_id} -> {self.object_id}"


class ImportRun(models.Model):
    """One import that was committed (a dry run leaves no row), with its report."""

    source = models.CharField(max_length=255)
    file_name = models.CharField(max_length=500)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class ImportJob(models.Model):
    """An import started from the admin: the uploaded export, the options chosen, and where
    the task worker is with it. Its fine-grained progress lives in a file beside the upload
    (imports.jobs): the import is one transaction, so a row written inside it would be
    invisible to the page asking until the very end."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the task worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed: nothing was imported"

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    # True while queued or running; at most one such row (the constraint below), so a second
    # start is refused even when two arrive at the same moment.
    active = models.BooleanField(default=True)
    file_name = models.CharField(max_length=200)  # as uploaded, for people to read
    stored_name = models.CharField(max_length=100)  # under PRIVATE_MEDIA_ROOT; "" once deleted
    size = models.PositiveBigIntegerField(default=0)
    dry_run = models.BooleanField(default=False)
    download_images = models.BooleanField(default=True)
    skip_pingbacks = models.BooleanField(default=False)
    earlier_import = models.CharField(max_length=8, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    summary = models.TextField(blank=True)  # the report as text, for a dry run's answer
    run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_import_at_a_time"
            )
        ]

    def __str__(self):
        return f"Import of {self.file_name} ({self.status})"
