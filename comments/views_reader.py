"""Readers' own pages: follow a conversation by email, and see, download or erase their data.

Each page renders its own form with a CSRF token, so the cached post page only links here.
"""

import json

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Site

from comments import checks, privacy, services
from comments import follow as following
from comments.views import PROVEN_COOKIE
from core.forms import EmailAddressForm

TOO_MANY = "You have asked for many links in the last hour. Please try again later."


class EmailForm(EmailAddressForm):
    pass


def _live_post(post_id):
    post = services.commentable_page(post_id)
    if post is None:
        raise Http404("No such post or page")
    return post


def _may_request_links(request):
    return following.link_requests_allowed(checks.hash_ip(checks.client_ip(request)))


def _email_link_form(request, send_link):
    """The "Email address" form that emails a link: (form, status), or a redirect once sent."""
    form = EmailForm(request.POST or None)
    if request.method != "POST":
        return form, 200, None
    if not form.is_valid():
        return form, 400, None
    if not _may_request_links(request):
        form.add_error(None, TOO_MANY)
        return form, 429, None
    return form, 200, send_link(form.cleaned_data["email"])


# Following a conversation


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request, post_id):
    post = _live_post(post_id)
    rules = services.rules_for(Site.find_for_request(request))
    if not services.comments_open(post, rules):
        return render(request, "comments/closed.html", {"post": post}, status=403)

    def send_link(email):
        following.request_follow(post, email)
        return redirect("comments:follow_sent", post.pk)

    form, status, sent = _email_link_form(request, send_link)
    if sent:
        return sent
    return render(request, "comments/follow.html", {"post": post, "form": form}, status=status)


@require_GET
def follow_sent(request, post_id):
    return render(request, "comments/follow_sent.html", {"post": _live_post(post_id)})


def _follow_link_expired(request):
    return render(request, "comments/follow_expired.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    """Email scanners open links: a GET only shows a button; the POST confirms."""
    value = services.read_token("follow", token, max_age=following.CONFIRM_MAX_AGE)
    follow = following.follow_for_token(value) if value else None
    if follow is None:
        return _follow_link_expired(request)
    if request.method == "POST":
        following.confirm_follow(follow)
        return redirect("comments:follow_confirm", token)
    return render(request, "comments/follow_confirm.html", {"follow": follow, "post": follow.post})


@csrf_exempt  # the signed token is the authority; RFC 8058 one-click posts carry no CSRF token
@never_cache
def unfollow(request, token):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    value = services.read_token("unfollow", token, max_age=None)
    if value is None:
        return _follow_link_expired(request)
    follow = following.follow_for_token(value)
    if follow is None:
        # Already stopped: say so again, so a retried one-click request also succeeds.
        return render(request, "comments/follow_stopped.html", {"post": None})
    if request.method == "POST":
        following.stop_following(follow)
        return render(request, "comments/follow_stopped.html", {"post": follow.post})
    return render(request, "comments/follow_stop.html", {"follow": follow, "post": follow.post})


# A reader's data


@never_cache
@require_http_methods(["GET", "POST"])
def my_data(request):
    def send_link(email):
        privacy.request_data_link(email)
        return redirect("comments:my_data_sent")

    form, status, sent = _email_link_form(request, send_link)
    if sent:
        return sent
    rules = services.rules_for(Site.find_for_request(request))
    context = {"form": form, "ip_days": rules.ip_retention_days}
    return render(request, "comments/my_data.html", context, status=status)


@require_GET
def my_data_sent(request):
    return render(
        request, "comments/my_data_sent.html", {"hours": privacy.DATA_LINK_MAX_AGE // 3600}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def my_data_manage(request, token):
    email = privacy.email_for_token(token)
    if not email:
        return render(request, "comments/my_data_expired.html", status=404)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "download":
        data = json.dumps(privacy.export_data(email), indent=2, ensure_ascii=False)
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="cancer-blog-my-data.json"'
        return response
    if request.method == "POST" and action == "erase_confirmed":
        privacy.erase_data(email)
        response = redirect("comments:my_data_erased")
        # This browser may remember the address as proven (see views.confirm): forget it too.
        response.delete_cookie(PROVEN_COOKIE, samesite="Lax")
        return response
    context = {"email": email, "summary": privacy.summary(email), "token": token}
    if request.method == "POST" and action == "erase":
        return render(request, "comments/my_data_erase.html", context)
    return render(request, "comments/my_data_manage.html", context)


@require_GET
def my_data_erased(request):
    return render(request, "comments/my_data_erased.html")
