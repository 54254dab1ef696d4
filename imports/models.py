"""The import ledger: which WordPress object became which object here.

Reruns are keyed by it (never by titles or slugs, which editors change), and its digest tells
whether WordPress changed a record since the last import.
"""

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
