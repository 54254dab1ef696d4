"""The guest author's pages: the submission form and the private status page.

Neither is a cached page, so each form carries a normal CSRF token. The status page needs no
password: its signed link came to the author's inbox. A GET only shows; every change is a POST.
"""

import functools
import json
import mimetypes
import posixpath

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.privacy import client_ip
from core.tasks import enqueue_on_commit
from submissions import privacy, services
from submissions.documents import clean_html, resolve_images
from submissions.forms import (
    ALREADY_SENT,
    ReplyForm,
    SubmissionForm,
    started_token,
    use_started,
)

TOO_MANY = (
    "Several submissions came from your connection or address in the last hour. Please try "
    "again later, or email the editor."
)
FILES_AGAIN = "For your safety, files are not kept when the form comes back: choose them again."


def _form_page(request, form, status=200):
    context = {
        "form": form,
        "consent_guidelines": services.CONSENT_GUIDELINES,
        "consent_editing": services.CONSENT_EDITING,
        "wording_version": services.WORDING_VERSION,
        "retention_days": settings.SUBMISSIONS_DECLINED_RETENTION_DAYS,
        "files_again": FILES_AGAIN if form.is_bound and request.FILES else "",
    }
    return render(request, "submissions/submit.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method == "GET":
        return _form_page(request, SubmissionForm(initial={"started": started_token()}))
    form = SubmissionForm(request.POST, request.FILES)
    if not form.is_valid():
        if form.too_quick:
            form.data = form.data.copy()
            form.data["started"] = started_token()
        return _form_page(request, form, status=400)
    ip_hash = services.hash_ip(client_ip(request))
    if not services.submissions_allowed(ip_hash, form.cleaned_data["email"]):
        form.add_error(None, TOO_MANY)
        return _form_page(request, form, status=429)
    if not use_started(form.cleaned_data["started"]):
        form.add_error(None, ALREADY_SENT)
        form.data = form.data.copy()
        form.data["started"] = started_token()
        return _form_page(request, form, status=400)
    submission = services.submit(
        author=form.author(),
        post=form.post(),
        body=form.body(),
        topics=form.cleaned_data["topics"],
        photo=form.cleaned_data["photo"],
        ip_hash=ip_hash,
    )
    messages.success(request, "received")
    return redirect(services.status_path(submission))


def _by_status_link(view):
    """The view gets the submission the author's status link names; a link that no longer
    works gets the expired-link page."""

    @functools.wraps(view)
    def wrapper(request, token, **kwargs):
        submission = services.submission_for_token(token)
        if submission is None:
            return _link_expired(request)
        return view(request, submission, token, **kwargs)

    return wrapper


def _link_expired(request):
    return render(request, "submissions/link_expired.html", status=404)


def _body_html(submission, token):
    images = {
        image.key: reverse("submissions:image", args=[token, image.pk])
        for image in submission.images.filter(version=None)
    }
    # Stored HTML is already clean; cleaning again on the way out costs little.
    return mark_safe(resolve_images(clean_html(submission.body_html), images))


def _live_post_url(submission):
    """The published post's address, once it is live (not while it is a draft)."""
    post = submission.post if submission.post_id else None
    return post.url if post is not None and post.live else ""


def _status_page(request, submission, token, reply_form=None, status=200):
    context = {
        "submission": submission,
        "token": token,
        "events": services.history_for_author(submission),
        "topics": list(submission.topics.all()),
        "body_html": _body_html(submission, token),
        "reply_form": reply_form or ReplyForm(),
        "just_received": any(m.message == "received" for m in messages.get_messages(request)),
        "post_url": _live_post_url(submission),
        "can_preview": services.can_preview(submission),
    }
    return render(request, "submissions/status.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@_by_status_link
def status(request, submission, token):
    if request.method == "GET":
        return _status_page(request, submission, token)
    if not submission.awaiting_author:
        return redirect(request.path)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _status_page(request, submission, token, reply_form=form, status=400)
    if not services.replies_allowed(submission):
        form.add_error(None, "You sent several replies in the last hour. Please try later.")
        return _status_page(request, submission, token, reply_form=form, status=429)
    try:
        services.reply(submission, message=form.cleaned_data["message"], body=form.body())
    except services.NotYourTurn:
        return redirect(request.path)
    return redirect(request.path + "#history")


@never_cache
@require_GET
@_by_status_link
def preview(request, submission, token):
    """The post as the editors last saved it, for the author to check before publication (they
    agreed to editing on the condition of seeing the edited version)."""
    if not services.can_preview(submission):
        raise Http404("Nothing to preview")
    draft = submission.post.specific.get_latest_revision_as_object()
    # As Wagtail's own preview does: templates then know it is a preview, not the live page.
    request.is_preview = True
    request.preview_mode = draft.default_preview_mode
    response = draft.serve_preview(request, draft.default_preview_mode)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_GET
def image(request, token, pk):
    submission = services.submission_for_token(token)
    row = submission and submission.images.filter(pk=pk).first()
    if not row:
        raise Http404("No such image")
    kind = mimetypes.guess_type(row.file.name)[0] or "application/octet-stream"
    response = FileResponse(row.file.open("rb"), content_type=kind)
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _when(value):
    return value.isoformat() if value else None


def _file_name(field):
    return posixpath.basename(field.name) if field else None


def _export(submission):
    """Everything we hold about the author and their post, as plain data; files by name only.

    Internal editors' notes are left out: they are the editors' work, not the author's data.
    """
    consent_current = submission.consent_wording_version == services.WORDING_VERSION
    return {
        "exported_at": _when(timezone.now()),
        "submission": {
            "number": submission.pk,
            "status": submission.status,
            "status_label": submission.get_status_display(),
            "received_at": _when(submission.created_at),
            "updated_at": _when(submission.updated_at),
            "declined_at": _when(submission.declined_at),
            "version": submission.version,
        },
        "author": {
            "name": submission.name,
            "email": submission.email,
            "affiliation": submission.affiliation,
            "role": submission.role,
            "bio": submission.bio,
            "photo_file": _file_name(submission.photo),
        },
        "post": {
            "title": submission.title,
            "standfirst": submission.standfirst,
            "body_source": submission.body_source,
            "body_text": submission.body_text,
            "body_html": submission.body_html,
            "word_document_file": _file_name(submission.original),
            "image_files": [
                image.name or _file_name(image.file)
                for image in submission.images.filter(version=None)
            ],
            "references": submission.references,
            "conflicts_of_interest": submission.conflicts_of_interest,
            "funding": submission.funding,
            "topics": [topic.name for topic in submission.topics.all()],
            "earlier_versions": [
                {
                    "number": version.number,
                    "body_source": version.body_source,
                    "body_text": version.body_text,
                    "word_document_file": _file_name(version.original),
                    "image_files": [
                        image.name or _file_name(image.file) for image in version.images.all()
                    ],
                    "replaced_at": _when(version.created_at),
                }
                for version in submission.versions.prefetch_related("images")
            ],
        },
        "consent": {
            "wording_version": submission.consent_wording_version,
            "given_at": _when(submission.created_at),
            "guidelines": submission.consent_guidelines,
            "guidelines_wording": services.CONSENT_GUIDELINES if consent_current else None,
            "editing": submission.consent_editing,
            "editing_wording": services.CONSENT_EDITING if consent_current else None,
            "email_when_published": submission.notify_on_publish,
            "emailed_when_published_at": _when(submission.notified_published_at),
        },
        "history": [
            {
                "at": _when(event.created_at),
                "by": "you" if event.by_author else "the editor",
                "status_from": event.status_from or None,
                "status_to": event.status_to or None,
                "message": event.message,
            }
            for event in services.history_for_author(submission)
        ],
    }


@never_cache
@require_GET
@_by_status_link
def data(request, submission, token):
    """The author's copy of what we hold, as a JSON download; the same link as the status page."""
    body = json.dumps(_export(submission), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cancer-blog-submission-{submission.pk}.json"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@_by_status_link
def withdraw(request, submission, token):
    """A GET asks to confirm; the POST erases."""
    if request.method == "POST":
        was_open = submission.open
        if privacy.erase(submission, withdrawn=was_open) and was_open:
            enqueue_on_commit("submissions.tasks.notify_editor_withdrawn", submission.pk)
        return redirect("submissions:withdrawn")
    return render(request, "submissions/withdraw.html", {"submission": submission, "token": token})


@require_GET
def withdrawn(request):
    return render(request, "submissions/withdrawn.html")
