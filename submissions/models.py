"""Guest post submissions: what an author sent, its versions, images and history."""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils import timezone

from submissions.storage import get_private_storage, image_path, original_path, photo_path


class SubmissionQuerySet(models.QuerySet):
    def not_erased(self):
        return self.filter(erased_at=None)

    def declined_before(self, cutoff):
        """Declined submissions whose personal data is still held and due to go."""
        return self.not_erased().filter(status=Submission.Status.DECLINED, declined_at__lt=cutoff)


class BodySource(models.TextChoices):
    TYPED = "typed", "Typed in the form"
    DOCX = "docx", "Word document"


class Conversion(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    PENDING = "pending", "Waiting to be converted"
    DONE = "done", "Converted"
    FAILED = "failed", "Could not be converted"


class Submission(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        ACCEPTED = "accepted", "Accepted"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn by the author"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)

    # The author
    name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254)
    affiliation = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=150, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    photo = models.ImageField(upload_to=photo_path, blank=True, max_length=200)

    # The post
    title = models.CharField(max_length=150)
    standfirst = models.TextField(max_length=400)
    body_source = models.CharField(max_length=10, choices=BodySource.choices)
    body_text = models.TextField(blank=True, help_text="As typed; never shown as HTML.")
    original = models.FileField(
        upload_to=original_path, storage=get_private_storage, blank=True, max_length=200
    )
    body_html = models.TextField(blank=True, help_text="Clean HTML made from the text or file.")
    conversion = models.CharField(
        max_length=12, choices=Conversion.choices, default=Conversion.NOT_NEEDED
    )
    conversion_messages = models.JSONField(default=list, blank=True)
    # When a worker took up the pending conversion: the admin says "queued" before, "running"
    # after. Set again by a second worker; cleared by a new document.
    conversion_started_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    topics = models.ManyToManyField("blog.Topic", blank=True, related_name="submissions")
    references = models.TextField(max_length=5000, blank=True)
    conflicts_of_interest = models.TextField(max_length=2000)
    funding = models.TextField(max_length=2000)

    # Consent, as agreed on the form
    consent_guidelines = models.BooleanField(default=False)
    consent_editing = models.BooleanField(default=False)
    consent_wording_version = models.CharField(max_length=20, blank=True)
    notify_on_publish = models.BooleanField(default=False)
    notified_published_at = models.DateTimeField(null=True, blank=True)

    # The draft post an editor made from it on accepting
    post = models.ForeignKey(
        "blog.PostPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )

    # For limits and erasure: keyed hashes, never the address or IP in the clear
    ip_hash = models.CharField(max_length=64, blank=True)
    email_hash = models.CharField(max_length=64, blank=True, db_index=True)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "declined_at"])]

    def __str__(self):
        return self.title or f"Submission {self.pk} (erased)"

    @admin.display(description="Title")
    def display_title(self):
        return str(self)

    @property
    def awaiting_author(self):
        return self.status == self.Status.CHANGES_REQUESTED

    @property
    def open(self):
        """Still in the editors' hands: the author may withdraw it."""
        return self.erased_at is None and self.status not in (
            self.Status.PUBLISHED,
            self.Status.WITHDRAWN,
        )

    def set_status(self, status, *, by=None, message="", internal=False):
        """Move to `status` and record it; a message goes to the author unless internal."""
        previous = self.status
        self.status = status
        fields = ["status", "updated_at"]
        if status == self.Status.DECLINED:
            self.declined_at = timezone.now()
            fields.append("declined_at")
        self.save(update_fields=fields)
        return self.events.create(
            actor=by,
            by_author=False,
            status_from=previous,
            status_to=status,
            message=message,
            internal=internal,
        )


class SubmissionVersion(models.Model):
    """A body the author replaced with a revision; the current one lives on the submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    body_source = models.CharField(max_length=10, choices=BodySource.choices)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    original = models.FileField(
        upload_to=original_path, storage=get_private_storage, blank=True, max_length=200
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="one_submission_version_per_number"
            )
        ]

    def __str__(self):
        return f"Version {self.number}"


class SubmissionImage(models.Model):
    """An image taken out of a Word document, re-encoded; `version` is None while current."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="images")
    version = models.ForeignKey(
        SubmissionVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="images"
    )
    key = models.CharField(max_length=40, help_text="How the converted HTML refers to it.")
    file = models.FileField(upload_to=image_path, storage=get_private_storage, max_length=200)
    name = models.CharField(max_length=200, blank=True)
    alt = models.CharField(max_length=500, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["submission", "pk"]

    def __str__(self):
        return self.name or self.key


class SubmissionEvent(models.Model):
    """One line of a submission's history: a status change, a message, or both."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_author = models.BooleanField(default=False)
    status_from = models.CharField(max_length=20, choices=Submission.Status.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=Submission.Status.choices, blank=True)
    message = models.TextField(blank=True, max_length=10000)
    internal = models.BooleanField(default=False, help_text="Seen by editors only.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.status_from or '-'} → {self.status_to or '-'}"
