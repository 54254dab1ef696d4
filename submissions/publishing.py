"""From an accepted submission to a published guest post.

`accept` turns a submission into a draft PostPage an editor finishes in Wagtail;
`post_published` (called on Wagtail's page_published) moves the submission to scheduled or
published and tells the author once.
"""

import hashlib
import io
import uuid

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import PageLogEntry, Site

from blog.blocks import PLACEHOLDER_ALT
from blog.body import html_to_blocks, parse_references
from blog.models import BlogIndexPage, Contributor, PostContributor, PostPage
from blog.models.pages import PostKind
from blog.models.snippets import ContributorKind
from blog.services import unique_slug
from core.tasks import enqueue_on_commit
from submissions.models import Conversion, Submission

Status = Submission.Status
ACCEPTABLE = (Status.RECEIVED, Status.IN_REVIEW, Status.CHANGES_REQUESTED)
# Publication is a fact: it moves any live submission on, but never one the editors declined
# or the author withdrew, and never twice.
NOT_MOVED_BY_PUBLISHING = (Status.PUBLISHED, Status.DECLINED, Status.WITHDRAWN)
MISSING_ALT = PLACEHOLDER_ALT
ALT_MAX = 250


class CannotAccept(Exception):
    """The submission cannot become a post now; ``message`` says why, for the editor."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Accepting ------------------------------------------------------------------------------


@transaction.atomic
def accept(submission, *, by, message=""):
    """Make a draft guest post from the submission, mark it accepted and tell the author.

    Raises CannotAccept (and changes nothing) unless the submission is received, in review or
    awaiting changes, not erased, and has a body.
    """
    locked = Submission.objects.select_for_update().filter(pk=submission.pk).first()
    _check_acceptable(locked)
    blog_index = _blog_index()

    post = PostPage(
        title=locked.title,
        slug=_unique_page_slug(blog_index, locked.title),
        kind=PostKind.GUEST,
        standfirst=locked.standfirst,
        references=parse_references(locked.references),
        conflicts_of_interest=locked.conflicts_of_interest,
        funding=locked.funding,
        live=False,
        first_published_at=None,
    )
    post.body = html_to_blocks(locked.body_html, _ImageImporter(locked, by))
    if not len(post.body):
        raise CannotAccept("There is no text to make a post from. Ask the author for a revision.")
    post.topics = list(locked.topics.all())
    post.post_contributors.add(PostContributor(contributor=_contributor(locked, by), sort_order=0))
    blog_index.add_child(instance=post)
    log(instance=post, action="wagtail.create", user=by)
    post.save_revision(user=by, log_action=True)

    locked.post = post
    locked.save(update_fields=["post", "updated_at"])
    event = locked.set_status(Status.ACCEPTED, by=by, message=message)
    event_pk = event.pk
    enqueue_on_commit("submissions.tasks.notify_author", event_pk)
    submission.refresh_from_db()
    return post


def _check_acceptable(locked):
    if locked is None:
        raise CannotAccept("This submission no longer exists.")
    if locked.erased_at:
        raise CannotAccept("The author's data has been erased, so this cannot be accepted.")
    if locked.post_id:
        raise CannotAccept("This submission has already been accepted: its draft post exists.")
    if locked.status not in ACCEPTABLE:
        raise CannotAccept(
            f"This submission is {locked.get_status_display().lower()}: only a submission "
            "that is received, in review or awaiting changes can be accepted."
        )
    if locked.conversion == Conversion.PENDING:
        raise CannotAccept(
            "The author's Word document is still being converted. Try again in a minute."
        )
    if not locked.body_html.strip():
        raise CannotAccept("There is no text to make a post from. Ask the author for a revision.")


def _blog_index():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    index = site and BlogIndexPage.objects.descendant_of(site.root_page).first()
    if index is None:
        raise CannotAccept("The site has no blog index to put the post under.")
    return index


def _unique_page_slug(parent, title):
    base = slugify(title)[:70].strip("-") or "guest-post"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    return unique_slug(base, taken)


def _contributor(submission, by):
    """The author as a contributor: found by email (keeping what editors wrote), else made."""
    found = Contributor.objects.filter(email__iexact=submission.email).order_by("pk").first()
    if found is not None:
        changed = [
            name
            for name in ("role", "affiliation", "bio")
            if not getattr(found, name) and getattr(submission, name)
        ]
        for name in changed:
            setattr(found, name, getattr(submission, name))
        if found.photo_id is None and submission.photo:
            found.photo = _photo_image(submission, by)
            changed.append("photo")
        if changed:
            found.save(update_fields=changed)
        return found
    base = slugify(submission.name)[:140].strip("-") or "guest-author"
    taken = set(Contributor.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return Contributor.objects.create(
        name=submission.name,
        slug=unique_slug(base, taken),
        kind=ContributorKind.GUEST,
        role=submission.role,
        affiliation=submission.affiliation,
        bio=submission.bio,
        email=submission.email,
        photo=_photo_image(submission, by) if submission.photo else None,
    )


def _wagtail_image(data, *, title, extension, by, description=""):
    image = get_image_model()(
        title=title[:255],
        description=description[:255],
        # A random name: the file is public media before the post is.
        file=ImageFile(io.BytesIO(data), name=f"guest-{uuid.uuid4().hex[:16]}.{extension}"),
        file_size=len(data),
        file_hash=hashlib.sha1(data).hexdigest(),  # the digest Wagtail itself stores
        uploaded_by_user=by,
    )
    image.save()
    return image


def _photo_image(submission, by):
    with submission.photo.open("rb") as handle:
        data = handle.read()
    return _wagtail_image(data, title=f"Photo of {submission.name}", extension="jpg", by=by)


class _ImageImporter:
    """The current version's images, each imported into Wagtail once, on first use."""

    def __init__(self, submission, by):
        self.submission, self.by = submission, by
        self.rows = {row.key: row for row in submission.images.filter(version=None)}
        self.imported = {}

    def block(self, key, alt=""):
        """An image block value for the image `key`, or None if there is no such image."""
        row = self.rows.get(key)
        if row is None:
            return None
        alt = " ".join((alt or row.alt or "").split())[:ALT_MAX]
        if key not in self.imported:
            with row.file.open("rb") as handle:
                data = handle.read()
            self.imported[key] = _wagtail_image(
                data,
                title=alt or f"Image from {self.submission.title}",
                description=alt,
                extension=row.file.name.rsplit(".", 1)[-1].lower(),
                by=self.by,
            )
        return {"image": self.imported[key], "alt": alt or MISSING_ALT, "caption": "", "credit": ""}

    def unused(self):
        return [key for key in self.rows if key not in self.imported]


# --- Publication ----------------------------------------------------------------------------


def post_published(page, revision=None):
    """On every publication of a post: the first that makes it live marks its submission
    published and tells the author; one that schedules it marks it scheduled. Returns the
    events written (none for later publications)."""
    if page.live:
        target = Status.PUBLISHED
    elif revision is not None and revision.approved_go_live_at:
        target = Status.SCHEDULED
    else:
        return []
    candidates = Submission.objects.filter(post_id=page.pk, erased_at=None).exclude(
        status__in=(*NOT_MOVED_BY_PUBLISHING, target)
    )
    pks = list(candidates.values_list("pk", flat=True))  # most posts came from no submission
    if not pks:
        return []
    events = []
    with transaction.atomic():
        for locked in candidates.filter(pk__in=pks).select_for_update():
            event = locked.set_status(target, by=_publisher(page, revision))
            events.append(event)
            if target == Status.PUBLISHED:
                enqueue_on_commit("submissions.tasks.notify_author", event.pk)
    return events


def _publisher(page, revision):
    """Who published: whoever scheduled this revision, else whoever saved it; None if unknown."""
    if revision is None:
        return None
    entry = (
        PageLogEntry.objects.filter(
            page_id=page.pk,
            revision=revision,
            action="wagtail.publish.schedule",
            user__isnull=False,
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.user if entry else revision.user
