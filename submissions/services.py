"""Guest submissions, the author's side: submit, follow by a private link, reply, withdraw."""

import hmac
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from wagtail.models import Site

from core import privacy, tokens
from core.forms import normalise_email
from core.models import SiteSettings
from core.ratelimit import within_hourly_limit
from core.tasks import enqueue_on_commit
from submissions.models import (
    BodySource,
    Conversion,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
)

WORDING_VERSION = "2026-01"
CONSENT_GUIDELINES = (
    "I have read “How to write a blog post for us”. My post is my own work, has not been "
    "published elsewhere, and identifies no patient without their written consent."
)
CONSENT_EDITING = (
    "I agree that the editors may edit my post for clarity, length and house style, and that "
    "a clinician may check its medical statements. I will see the edited version before it is "
    "published."
)
MAX_PER_HOUR_PER_IP = 5
MAX_PER_HOUR_PER_EMAIL = 3
MAX_REPLIES_PER_HOUR = 10


def email_hash(email):
    return privacy.keyed_hash("submissions-email", normalise_email(email))


def hash_ip(ip):
    return privacy.hash_ip(ip, "submissions")


def make_token(submission):
    """The author's private status link: no expiry, void once the address is erased."""
    return tokens.make_token("submissions.status", [submission.pk, submission.email_hash[:32]])


def submission_for_token(token):
    pk, key = tokens.read_pair("submissions.status", token)
    if pk is None:
        return None
    submission = Submission.objects.filter(pk=pk, erased_at=None).first()
    if submission is None or not submission.email_hash:
        return None
    if not hmac.compare_digest(submission.email_hash[:32], key):
        return None
    return submission


def status_path(submission):
    return reverse("submissions:status", args=[make_token(submission)])


def submissions_allowed(ip_hash, email):
    """A handful of submissions an hour from one connection and fewer from one address."""
    by_ip = within_hourly_limit(f"submissions:ip:{ip_hash[:32]}", MAX_PER_HOUR_PER_IP)
    by_email = within_hourly_limit(
        f"submissions:email:{email_hash(email)[:32]}", MAX_PER_HOUR_PER_EMAIL
    )
    return by_ip and by_email


def replies_allowed(submission):
    return within_hourly_limit(f"submissions:reply:{submission.pk}", MAX_REPLIES_PER_HOUR)


def editor_address():
    site = Site.objects.filter(is_default_site=True).first()
    site_settings = SiteSettings.for_site(site) if site else None
    return site_settings.editor_email if site_settings else ""


@dataclass
class Body:
    """A post body as the author gave it: typed text, or the bytes of a checked .docx file."""

    source: str
    text: str = ""
    document: bytes = b""


def _apply_body(submission, body):
    """Put `body` on the submission (unsaved); True if a document now waits for conversion."""
    from submissions.documents import text_to_html

    submission.body_source = body.source
    submission.conversion_messages = []
    if body.source == BodySource.TYPED:
        submission.body_text = body.text
        submission.body_html = text_to_html(body.text)
        submission.original = None
        submission.conversion = Conversion.NOT_NEEDED
        return False
    submission.body_text = ""
    submission.body_html = ""
    submission.conversion = Conversion.PENDING
    submission.conversion_started_at = None
    submission.original.save("original.docx", ContentFile(body.document), save=False)
    return True


def _convert_later(submission):
    pk, version = submission.pk, submission.version
    enqueue_on_commit("submissions.tasks.convert_document", pk, version)


@transaction.atomic
def submit(*, author, post, body, topics=(), photo=None, ip_hash=""):
    """Store a new submission, tell the author and the editor; returns the submission.

    `author` and `post` are dicts of the model's fields, already cleaned; `photo` is re-encoded
    JPEG bytes; `body` a Body whose document has passed documents.check_docx.
    """
    email = normalise_email(author["email"])
    submission = Submission(
        **{**author, "email": email},
        **post,
        status=Submission.Status.RECEIVED,
        consent_wording_version=WORDING_VERSION,
        ip_hash=ip_hash,
        email_hash=email_hash(email),
    )
    if photo:
        submission.photo.save("photo.jpg", ContentFile(photo), save=False)
    needs_conversion = _apply_body(submission, body)
    submission.save()
    submission.topics.set(topics)
    submission.events.create(by_author=True, status_to=Submission.Status.RECEIVED)
    if needs_conversion:
        _convert_later(submission)
    pk = submission.pk
    enqueue_on_commit("submissions.tasks.send_received", pk)
    enqueue_on_commit("submissions.tasks.notify_editor_new", pk)
    return submission


class NotYourTurn(Exception):
    """The editors did not ask for changes, so there is nothing to reply to."""


def _keep_current_version(submission):
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version,
        body_source=submission.body_source,
        body_text=submission.body_text,
        body_html=submission.body_html,
        original=submission.original.name or "",
    )
    submission.images.filter(version=None).update(version=version)
    submission.version += 1


@transaction.atomic
def reply(submission, *, message="", body=None):
    """The author answers a request for changes with a message, a revised body, or both."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.CHANGES_REQUESTED or locked.erased_at:
        raise NotYourTurn
    needs_conversion = False
    if body is not None:
        _keep_current_version(locked)
        needs_conversion = _apply_body(locked, body)
    locked.status = Submission.Status.IN_REVIEW
    locked.save()
    event = locked.events.create(
        by_author=True,
        status_from=Submission.Status.CHANGES_REQUESTED,
        status_to=Submission.Status.IN_REVIEW,
        message=message,
    )
    if needs_conversion:
        _convert_later(locked)
    event_pk = event.pk
    enqueue_on_commit("submissions.tasks.notify_editor_reply", event_pk)
    return locked


PREVIEW_STATUSES = (Submission.Status.ACCEPTED, Submission.Status.SCHEDULED)


def can_preview(submission):
    """Between acceptance and publication the author may see the post as edited."""
    return bool(submission.post_id) and submission.status in PREVIEW_STATUSES


def history_for_author(submission):
    """The events an author sees: status changes and messages, never internal notes."""
    return SubmissionEvent.objects.filter(submission=submission, internal=False).order_by(
        "created_at", "pk"
    )
