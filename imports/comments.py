"""WordPress comments, pingbacks and trackbacks of one post or page into the comments app.

Imported comments are history, not new conversation: they are stored directly, in bulk,
without the checks, confirmation emails, moderation alerts or reply notifications that
`comments.services.submit_comment` starts for a comment written here.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from comments import checks
from comments.models import Comment, Commenter
from core import pagecache
from core.signals import front_cache_enabled, purge_front_cache
from imports import rows
from imports.content import plain_text
from imports.content.text import _tidy

MAX_BODY = 50_000
NAME_MAX = Comment._meta.get_field("author_name").max_length
URL_MAX = Comment._meta.get_field("source_url").max_length
EMAIL_MAX = Commenter._meta.get_field("email").max_length
ANONYMOUS = "Anonymous"  # what WordPress shows for a comment without a name

KINDS = {
    "": Comment.Kind.COMMENT,
    "comment": Comment.Kind.COMMENT,
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
}
# Trash is a deletion waiting to be emptied: the comment keeps its place in the thread for the
# replies to it, as one removed here does, and its text is not kept. "post-trashed" comments
# went to the trash with their post; WordPress does not export what they were before.
STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
    "post-trashed": Comment.Status.REMOVED,
}
_MARKUP = re.compile(r"[<&\[\]\r]")
DELETED_HERE = "deleted here since the last import"
UPDATED_FIELDS = ["author_name", "body", "status", "approved_at", "kind", "source_url"]
NEW_FIELDS = [
    "post_id",
    "parent_id",
    "commenter_id",
    "author_name",
    "body",
    "status",
    "kind",
    "source_url",
    "content_hash",
    "created_at",
    "approved_at",
]


@dataclass
class CommentsResult:
    """What one post's import did; `ids` covers every comment imported now or before."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)  # (wp_id, reason)
    ids: dict = field(default_factory=dict)  # wp_id -> Comment pk
    notes: list = field(default_factory=list)  # sentences for the import report


@dataclass
class Wanted:
    """What one WordPress comment becomes here, before it is stored."""

    record: object
    kind: str
    status: str
    author_name: str
    body: str
    email: str  # valid and lower-cased, or ""
    source_url: str
    created_at: object
    parent_wp_id: int | None = None

    @property
    def approved_at(self):
        return self.created_at if self.status == Comment.Status.APPROVED else None


def import_comments(post, comments, *, known, skip_pingbacks=False):
    """Create or update the post's comments from WordPress records; see CommentsResult.

    `known` maps WordPress comment ids to our Comment pks from an earlier run: those are
    updated where WordPress changed them, and never re-created once deleted here.
    """
    (result,) = import_comments_of_posts(
        [(post, comments)], known=known, skip_pingbacks=skip_pingbacks
    )
    if result.created or result.updated:
        # Bulk writes send no post_save: tell the page and comment-thread caches ourselves,
        # once the rows are there for the next reader to see.
        post_id = post.pk
        transaction.on_commit(lambda: _invalidate(post_id))
    return result


def import_comments_of_posts(batch, *, known, skip_pingbacks=False):
    """`import_comments` for several posts at once, in a number of queries that does not
    grow with the posts or their comments; one CommentsResult per (post, comments) pair.

    Tells no cache: the caller does, once, after the commit (see imports.tasks).
    """
    results, wanted_by_post = [], []
    for _, comments in batch:
        result = CommentsResult()
        wanted = _select(comments, skip_pingbacks, result)
        results.append(result)
        wanted_by_post.append(wanted)
    with transaction.atomic():
        existing = _existing(wanted_by_post, known, results)
        new_by_post = []
        for (post, comments), wanted, result in zip(batch, wanted_by_post, results, strict=True):
            _attach_to_kept_ancestors(comments, wanted, post, result)
            _update(wanted, existing, known, result)
            new_by_post.append([one for wp_id, one in wanted.items() if wp_id not in known])
        _create(batch, new_by_post, results)
    return results


def _invalidate(post_id):
    from wagtail.models import Page

    pagecache.invalidate()
    if front_cache_enabled():
        purge_front_cache(pages=list(Page.objects.filter(pk=post_id).specific()))


def _existing(wanted_by_post, known, results):
    """Our comments from an earlier run, by pk; one deleted here since is not made again."""
    pks = [known[wp_id] for wanted in wanted_by_post for wp_id in wanted if wp_id in known]
    existing = Comment.objects.in_bulk(pks) if pks else {}
    for wanted, result in zip(wanted_by_post, results, strict=True):
        for wp_id in [wp_id for wp_id in wanted if wp_id in known]:
            if known[wp_id] not in existing:
                del wanted[wp_id]
                result.skipped.append((wp_id, DELETED_HERE))
    return existing


def _select(comments, skip_pingbacks, result):
    """The records to import, by WordPress id, in the export's order; the others skipped."""
    wanted, seen = {}, set()
    for record in comments:
        kind = KINDS.get((record.type or "").strip().lower())
        if record.id in seen:
            result.skipped.append((record.id, "listed twice in the export"))
        elif kind is None:
            result.skipped.append(
                (record.id, f"a “{record.type[:40]}” comment, a WordPress plugin's own type")
            )
        elif kind != Comment.Kind.COMMENT and skip_pingbacks:
            result.skipped.append((record.id, f"a {kind}, skipped as asked"))
        else:
            one = _wanted(record, kind, result)
            if one is not None:
                wanted[record.id] = one
        seen.add(record.id)
    if any(w.record.user_id for w in wanted.values()):
        result.notes.append(
            "Comments written by WordPress users (staff) are imported as readers' comments "
            "under their names: WordPress accounts are not linked to staff accounts here."
        )
    return wanted


def _wanted(record, kind, result):
    status = STATUSES.get((record.approved or "").strip().lower(), Comment.Status.PENDING)
    body = _body(record, result)
    if not body and kind == Comment.Kind.COMMENT and status != Comment.Status.REMOVED:
        result.skipped.append((record.id, "no text"))
        return None
    # WordPress keeps names (a ping's is the linking page's title) as HTML: "&amp;", "&raquo;".
    name = " ".join(_clean(record.author or "", paragraphs=False).split())
    name = name[:NAME_MAX].strip() or ANONYMOUS
    if status == Comment.Status.REMOVED:
        name, body = "", ""
    mention = kind != Comment.Kind.COMMENT
    return Wanted(
        record=record,
        kind=kind,
        status=status,
        author_name=name,
        body=body,
        email="" if mention else _email(record.author_email),
        source_url=_source_url(record, result) if mention else "",
        created_at=record.date or timezone.now(),
    )


def _body(record, result):
    body = _clean(record.content or "", paragraphs=True).strip()
    if len(body) > MAX_BODY:
        result.notes.append(
            f"WordPress comment {record.id} was longer than {MAX_BODY:,} characters and was cut."
        )
        body = body[: MAX_BODY - 1] + "…"
    return body


def _clean(text, *, paragraphs):
    """What `checks.clean_text(plain_text(...))` makes of a comment's text or name. Most
    comments are plain typed text: for those, the same result without parsing any HTML (the
    import spends most of its time here otherwise)."""
    if _plain_typed(text):
        if paragraphs:
            blocks = re.split(r"\n\s*\n", text)
            text = "\n\n".join(block.strip() for block in blocks if block)
        return checks.clean_text(_tidy(text))
    return checks.clean_text(plain_text(_paragraphs(text) if paragraphs else text))


def _plain_typed(text):
    """No markup, entity, shortcode or character that cleaning or parsing would change."""
    return (
        not _MARKUP.search(text)
        and text.replace("\n", "").replace("\t", "").isprintable()
        and unicodedata.is_normalized("NFC", text)
    )


def _paragraphs(content):
    """WordPress stores comments as typed and adds paragraphs only when it shows them."""
    blocks = [block for block in re.split(r"\n\s*\n", content.replace("\r\n", "\n")) if block]
    return "".join(f"<p>{block.strip().replace(chr(10), '<br>')}</p>" for block in blocks)


def _email(address):
    address = (address or "").strip().lower()
    if not address or len(address) > EMAIL_MAX:
        return ""
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def _source_url(record, result):
    """The linking page of a ping: kept only if it is an http(s) address that fits."""
    url = html.unescape((record.author_url or "").strip())
    if re.fullmatch(r"(?i)https?://[^/?#\s]\S*", url) and len(url) <= URL_MAX:
        return url
    if url:
        result.notes.append(
            f"WordPress comment {record.id} (a ping) links to an address that is not a web "
            "page or is too long; it is shown without the link."
        )
    return ""


def _attach_to_kept_ancestors(comments, wanted, post, result):
    """Give each comment the nearest ancestor that is imported; a skipped or missing parent
    is passed over (and the report says so) rather than losing the reply."""
    parents = {record.id: record.parent_id for record in comments}
    for one in wanted.values():
        parent, seen = one.record.parent_id, set()
        while parent is not None and parent not in wanted and parent not in seen:
            seen.add(parent)
            parent = parents.get(parent)
        one.parent_wp_id = None if parent in seen else parent
    _break_circles(wanted)
    for wp_id, one in wanted.items():
        parent = one.parent_wp_id
        if parent != one.record.parent_id:
            where = f"a reply to comment {parent}" if parent else "a top-level comment"
            result.notes.append(
                f"WordPress comment {wp_id} on “{post.title}” replied to comment "
                f"{one.record.parent_id}, which was not imported; it is kept as {where}."
            )


def _break_circles(wanted):
    """A hand-edited export can make comments each other's ancestors: such a comment would
    never show, so the first one met in a circle becomes top-level."""
    for wp_id, one in wanted.items():
        seen, parent = {wp_id}, one.parent_wp_id
        while parent is not None and parent not in seen:
            seen.add(parent)
            parent = wanted[parent].parent_wp_id
        if parent is not None:
            one.parent_wp_id = None


def _update(wanted, existing, known, result):
    """Bring comments of an earlier run up to date; a moderator's decision here stands."""
    changed = []
    for wp_id, one in wanted.items():
        if wp_id not in known:
            continue
        comment = existing[known[wp_id]]
        result.ids[wp_id] = comment.pk
        if comment.status == Comment.Status.REMOVED:
            result.unchanged += 1  # taken down here (or trashed before): never brought back
            continue
        before = [getattr(comment, name) for name in UPDATED_FIELDS]
        comment.author_name, comment.body = one.author_name, one.body
        comment.kind, comment.source_url = one.kind, one.source_url
        if comment.moderated_by_id is None:
            comment.status = one.status
        if comment.status == Comment.Status.APPROVED and comment.approved_at is None:
            comment.approved_at = comment.created_at
        if [getattr(comment, name) for name in UPDATED_FIELDS] == before:
            result.unchanged += 1
            continue
        comment.content_hash = checks.content_hash(one.email, one.body)
        changed.append(comment)
    if changed:
        Comment.objects.bulk_update(changed, [*UPDATED_FIELDS, "content_hash"], batch_size=500)
    result.updated += len(changed)


def _create(batch, new_by_post, results):
    """Insert the new comments of every post, a generation of replies at a time, so each
    comment is written once with its parent's primary key already known."""
    commenters = _commenters([one for new in new_by_post for one in new])
    pending = [
        (post, one, result)
        for (post, _), new, result in zip(batch, new_by_post, results, strict=True)
        for one in new
    ]
    while pending:
        ready, waiting = [], []
        for entry in pending:
            _, one, result = entry
            parent = one.parent_wp_id
            (ready if parent is None or parent in result.ids else waiting).append(entry)
        if not ready:  # cannot happen once circles are broken; never loop on bad data
            ready, waiting = waiting, []
            for _, one, _ in ready:
                one.parent_wp_id = None
        pks = rows.insert_values(
            Comment,
            NEW_FIELDS,
            (
                (
                    post.pk,
                    None if one.parent_wp_id is None else result.ids[one.parent_wp_id],
                    commenters.get(one.email),
                    one.author_name,
                    one.body,
                    one.status,
                    one.kind,
                    one.source_url,
                    checks.content_hash(one.email, one.body),
                    one.created_at,
                    one.approved_at,
                )
                for post, one, result in ready
            ),
        )
        for (_, one, result), pk in zip(ready, pks, strict=True):
            result.ids[one.record.id] = pk
            result.created += 1
        pending = waiting


def _commenters(new):
    """Commenters' pks by email, made where missing; never confirmed: nobody proved the address."""
    names = {}
    for one in new:
        if one.email:
            names.setdefault(one.email, one.author_name or ANONYMOUS)
    if not names:
        return {}
    found = dict(Commenter.objects.filter(email__in=names).values_list("email", "pk"))
    missing = [Commenter(email=email, name=name) for email, name in names.items()]
    missing = [commenter for commenter in missing if commenter.email not in found]
    if missing:
        Commenter.objects.bulk_create(missing, ignore_conflicts=True)
        found = dict(Commenter.objects.filter(email__in=names).values_list("email", "pk"))
    return found
