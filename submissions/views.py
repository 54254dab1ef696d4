"""The guest author's pages: the submission form and the private status page.

Neither is a cached page, so each form carries a normal CSRF token. The status page needs no
password: its signed link came to the author's inbox. A GET only shows; every change is a POST.
"""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.privacy import client_ip
from submissions import privacy, services
from submissions.documents import clean_html, resolve_images
from submissions.forms import ReplyForm, SubmissionForm, started_token

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


def _link_expired(request):
    return render(request, "submissions/link_expired.html", status=404)


def _body_html(submission, token):
    images = {
        image.key: reverse("submissions:image", args=[token, image.pk])
        for image in submission.images.filter(version=None)
    }
    # Stored HTML is already clean; cleaning again on the way out costs little.
    return mark_safe(resolve_images(clean_html(submission.body_html), images))


def _status_page(request, submission, token, reply_form=None, status=200):
    context = {
        "submission": submission,
        "token": token,
        "events": services.history_for_author(submission),
        "topics": list(submission.topics.all()),
        "body_html": _body_html(submission, token),
        "reply_form": reply_form or ReplyForm(),
        "just_received": any(m.message == "received" for m in messages.get_messages(request)),
    }
    return render(request, "submissions/status.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def status(request, token):
    submission = services.submission_for_token(token)
    if submission is None:
        return _link_expired(request)
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


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """A GET asks to confirm; the POST erases."""
    submission = services.submission_for_token(token)
    if submission is None:
        return _link_expired(request)
    if request.method == "POST":
        privacy.erase(submission, withdrawn=submission.open)
        return redirect("submissions:withdrawn")
    return render(request, "submissions/withdraw.html", {"submission": submission, "token": token})


@require_GET
def withdrawn(request):
    return render(request, "submissions/withdrawn.html")
