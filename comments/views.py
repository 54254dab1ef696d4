"""Thin views: parse, check, call one service, then redirect or render."""

import hmac

from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Site

from comments import checks, services
from comments.forms import (
    PARENT_GONE,
    CommentForm,
    EditForm,
    ReportForm,
    read_started,
    started_token,
    use_started,
)
from comments.models import Comment

EDIT_COOKIE = "comment_edit_{}"
PROVEN_COOKIE = "commenter"
PROVEN_MAX_AGE = 365 * 24 * 3600


def _rules(request):
    return services.rules_for(Site.find_for_request(request))


def _protected():
    """Stands in for a view without csrf_exempt when asking the CSRF middleware for a verdict."""


def csrf_passes(request):
    return CsrfViewMiddleware(lambda r: None).process_view(request, _protected, (), {}) is None


def _live_post(post_id):
    post = services.commentable_page(post_id)
    if post is None:
        raise Http404("No such post or page")
    return post


@require_GET
@never_cache
def form_token(request):
    """For the script on cached pages: a CSRF token and a fresh start time for the form."""
    return JsonResponse({"csrf": get_token(request), "started": started_token()})


def _proven_cookie(request):
    """A keyed hash of the address this browser has confirmed, or "". Cookies set before held
    the address itself: they still count, and are rewritten on the next comment (_remember)."""
    return request.get_signed_cookie(
        PROVEN_COOKIE, default="", salt="comments.proven", max_age=PROVEN_MAX_AGE
    )


def _proven_email(request, email):
    """`email` if this browser has confirmed that address before, else ""."""
    value = _proven_cookie(request)
    key = checks.email_key(value) if "@" in value else value
    return email if key and hmac.compare_digest(key, checks.email_key(email)) else ""


def _remember(request, response, email):
    """Let this browser prove the address from now on, by an opaque signed cookie."""
    response.set_signed_cookie(
        PROVEN_COOKIE,
        checks.email_key(email),
        salt="comments.proven",
        max_age=PROVEN_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


@csrf_exempt  # checked below: a page served from cache has no token, so we ask again
@never_cache
@require_http_methods(["GET", "POST"])
def post_comment(request, post_id):
    post = _live_post(post_id)
    rules = _rules(request)
    if not services.comments_open(post, rules):
        return render(request, "comments/closed.html", {"post": post}, status=403)
    if request.method == "GET":
        parent_id = request.GET.get("reply_to", "")
        parent = _parent_for(post, parent_id)
        form = CommentForm(
            initial={"parent": parent.pk if parent else None, "started": started_token()},
            max_length=rules.max_length,
        )
        return render(
            request, "comments/write.html", {"post": post, "form": form, "parent": parent}
        )

    form = CommentForm(request.POST, max_length=rules.max_length)
    if not form.is_valid():
        return _write_again(request, post, form, status=400)
    data = form.cleaned_data
    parent = _parent_for(post, data["parent"])
    if data["parent"] and parent is None:
        form.add_error(None, PARENT_GONE)
        return _write_again(request, post, form, status=400)
    if not csrf_passes(request):
        # Nothing is stored: the writer sees their comment again and posts it from a fresh page.
        return _write_again(request, post, form, notice="check", status=200)
    warnings = checks.privacy_warnings(data["body"])
    if warnings and not data["privacy_checked"]:
        return _write_again(request, post, form, privacy=warnings, status=200)

    ip_hash = checks.hash_ip(checks.client_ip(request))
    staff = request.user if request.user.is_authenticated and request.user.is_staff else None
    proven_email = _proven_email(request, data["email"])
    verdict = checks.assess(
        body=data["body"],
        email=data["email"],
        ip_hash=ip_hash,
        honeypot=data["website"],
        started_at=read_started(data["started"]),
        rules=rules,
        proven=bool(proven_email or staff),
        use_stamp=lambda: use_started(data["started"]),
    )
    checks.consult_akismet(
        verdict,
        ip=checks.client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        name=data["name"],
        email=data["email"],
        body=data["body"],
        permalink=post.full_url or "",
    )
    if verdict.refuse:
        if verdict.unconfirmed_duplicate:
            services.resend_confirmation(verdict.unconfirmed_duplicate)
        form.add_error(None, verdict.refuse)
        status = 429 if verdict.rate_limited else 400
        return _write_again(request, post, form, status=status, new_stamp=verdict.stamp_used)

    comment, outcome = services.submit_comment(
        services.Submission(
            post=post,
            name=data["name"],
            email=data["email"],
            body=data["body"],
            parent=parent,
            notify_replies=data["notify_replies"],
            ip_hash=ip_hash,
            proven_email=proven_email,
            staff_user=staff,
        ),
        rules,
        verdict,
    )
    token = services.make_token("status", [comment.pk, outcome])
    response = redirect("comments:status", token)
    response.set_signed_cookie(
        EDIT_COOKIE.format(comment.pk),
        str(comment.pk),
        salt="comments.edit",
        max_age=int(services.EDIT_WINDOW.total_seconds()),
        path=reverse("comments:edit_own", args=[comment.pk]),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    if proven_email and "@" in _proven_cookie(request):
        _remember(request, response, proven_email)  # an old cookie that held the address
    return response


def _parent_for(post, parent_id):
    if not parent_id:
        return None
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError):
        return None
    return Comment.objects.visible().filter(pk=parent_id, post=post).first()


def _write_again(request, post, form, status, notice="", privacy=(), new_stamp=False):
    if privacy:
        form.data = form.data.copy()
        form.data["privacy_checked"] = "on"
    if new_stamp or read_started(form.data.get("started")) is None:
        # Without a valid start time the form could never pass the minimum-time check.
        form.data = form.data.copy()
        form.data["started"] = started_token()
    parent = _parent_for(post, form.data.get("parent"))
    if parent is None and form.data.get("parent"):
        # Said once above the form; posting again starts a new thread instead.
        form.data = form.data.copy()
        form.data["parent"] = ""
    context = {"post": post, "form": form, "parent": parent, "notice": notice, "privacy": privacy}
    return render(request, "comments/write.html", context, status=status)


@require_GET
@never_cache
def status(request, token):
    value = services.read_token("status", token, max_age=24 * 3600)
    comment_id, outcome = value if isinstance(value, list) and len(value) == 2 else (None, None)
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is None:
        return render(request, "comments/link_expired.html", status=404)
    rules = _rules(request)
    return render(
        request,
        "comments/status.html",
        {
            "comment": comment,
            "post": comment.post,
            "outcome": outcome,
            "support_text": rules.support_text if comment.distress else "",
            "can_edit": services.can_still_edit(comment),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Email links are opened by scanners too: a GET only shows a button; the POST confirms."""
    comment_id = services.read_token("confirm", token, max_age=services.CONFIRM_MAX_AGE)
    comment = (
        Comment.objects.select_related("post", "commenter").filter(pk=comment_id).first()
        if comment_id
        else None
    )
    if comment is None:
        return render(request, "comments/link_expired.html", status=404)
    if comment.commenter_id is None:
        return _erased(request, comment.post)
    if request.method == "GET":
        return render(request, "comments/confirm.html", {"comment": comment, "post": comment.post})
    post = comment.post
    comment, outcome = services.confirm_comment(comment.pk, _rules(request))
    if comment is None:  # erased between the two look-ups
        return _erased(request, post)
    response = redirect("comments:status", services.make_token("status", [comment.pk, outcome]))
    if comment.commenter:
        _remember(request, response, comment.commenter.email)
    return response


def _erased(request, post):
    """The writer erased their data after posting: no address is left to confirm."""
    return render(request, "comments/link_expired.html", {"post": post, "erased": True}, status=404)


def _may_edit(request, comment, token=""):
    if (
        token
        and services.read_token("edit", token, max_age=int(services.EDIT_WINDOW.total_seconds()))
        == comment.pk
    ):
        return True
    cookie = request.get_signed_cookie(
        EDIT_COOKIE.format(comment.pk),
        default="",
        salt="comments.edit",
        max_age=int(services.EDIT_WINDOW.total_seconds()),
    )
    return cookie == str(comment.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def edit(request, pk, token=""):
    comment = get_object_or_404(Comment.objects.select_related("post", "commenter"), pk=pk)
    if not _may_edit(request, comment, token) or not services.can_still_edit(comment):
        return render(
            request,
            "comments/edit_closed.html",
            {"comment": comment, "post": comment.post},
            status=403,
        )
    rules = _rules(request)
    privacy = []
    if request.method == "POST":
        if "delete" in request.POST:
            services.remove_comment(comment)
            return render(request, "comments/deleted.html", {"post": comment.post})
        form = EditForm(request.POST, max_length=rules.max_length)
        if form.is_valid():
            body = form.cleaned_data["body"]
            before = checks.privacy_warnings(comment.body)
            privacy = [w for w in checks.privacy_warnings(body) if w not in before]
            if not privacy or form.cleaned_data["privacy_checked"]:
                services.edit_own_comment(comment, body, rules)
                return redirect(
                    "comments:status", services.make_token("status", [comment.pk, "edited"])
                )
            form.data = form.data.copy()
            form.data["privacy_checked"] = "on"
    else:
        form = EditForm(initial={"body": comment.body}, max_length=rules.max_length)
    deadline = comment.created_at + services.EDIT_WINDOW
    context = {
        "comment": comment,
        "post": comment.post,
        "form": form,
        "deadline": deadline,
        "privacy": privacy,
    }
    return render(request, "comments/edit.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def report(request, pk):
    comment = get_object_or_404(Comment.objects.visible().select_related("post"), pk=pk)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            ip_hash = checks.hash_ip(checks.client_ip(request))
            services.report_comment(comment, form.cleaned_data["reason"], ip_hash, _rules(request))
            return render(
                request, "comments/reported.html", {"comment": comment, "post": comment.post}
            )
        status_code = 400
    else:
        form = ReportForm()
        status_code = 200
    return render(
        request,
        "comments/report.html",
        {"comment": comment, "post": comment.post, "form": form},
        status=status_code,
    )


@csrf_exempt  # the signed token is the authority; RFC 8058 one-click posts carry no CSRF token
@never_cache
def stop_replies(request, token):
    comment_id = services.read_token("stop", token, max_age=None)
    comment = (
        Comment.objects.select_related("post").filter(pk=comment_id).first() if comment_id else None
    )
    if comment is None:
        return render(request, "comments/link_expired.html", status=404)
    if request.method == "POST":
        Comment.objects.filter(pk=comment.pk).update(notify_replies=False)
        return render(request, "comments/stopped.html", {"post": comment.post})
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(
        request,
        "comments/stop.html",
        {"comment": comment, "post": comment.post, "now": timezone.now()},
    )
