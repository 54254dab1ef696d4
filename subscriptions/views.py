"""The subscribe box and the pages its links lead to.

The box sits on cached pages that are the same for every reader, so it carries no CSRF token:
its POST only shows the consent page, which stores nothing. That page has its own token, and
only its POST records consent and sends the confirmation email.
"""

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comments.checks import client_ip, hash_ip
from subscriptions import services
from subscriptions.forms import ConsentForm, EmailForm
from subscriptions.models import Subscriber

TOO_MANY = "Many sign-ups came from your connection in the last hour. Please try again later."


def _consent_context(form):
    return {
        "form": form,
        "wording": services.CONSENT_WORDING,
        "wording_version": services.WORDING_VERSION,
    }


@csrf_exempt  # posted from cached pages without a token; it only shows the consent page
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = EmailForm(request.POST or None)
    if request.method != "POST":
        return render(request, "subscriptions/subscribe.html", {"form": form})
    if not form.is_valid():
        return render(request, "subscriptions/subscribe.html", {"form": form}, status=400)
    unbound = ConsentForm(initial=form.cleaned_data)  # shows the cleaned address
    return render(request, "subscriptions/consent.html", _consent_context(unbound))


@never_cache
@require_POST
def consent(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return render(request, "subscriptions/consent.html", _consent_context(form), status=400)
    ip_hash = hash_ip(client_ip(request))
    if not services.requests_allowed(ip_hash):
        form.add_error(None, TOO_MANY)
        return render(request, "subscriptions/consent.html", _consent_context(form), status=429)
    data = form.cleaned_data
    services.request_subscription(
        data["email"],
        ip_hash=ip_hash,
        source_path=data["source"],
        wording_version=data["wording_version"],
    )
    return redirect("subscriptions:sent")


@require_GET
def sent(request):
    return render(request, "subscriptions/sent.html", {"days": services.CONFIRM_MAX_AGE // 86400})


def _link_expired(request):
    return render(request, "subscriptions/link_expired.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Email scanners open links: a GET only shows a button; the POST confirms."""
    subscriber = services.subscriber_for_token("confirm", token, services.CONFIRM_MAX_AGE)
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return _link_expired(request)
    if request.method == "POST":
        services.confirm_subscription(subscriber, ip_hash=hash_ip(client_ip(request)))
        return redirect("subscriptions:confirm", token)
    confirmed = subscriber.status == Subscriber.Status.CONFIRMED
    return render(request, "subscriptions/confirm.html", {"confirmed": confirmed})


@csrf_exempt  # the signed token is the authority; RFC 8058 one-click posts carry no CSRF token
@never_cache
def stop(request, token):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    subscriber = services.subscriber_for_token("stop", token, max_age=None)
    if subscriber is None:
        return _link_expired(request)
    if request.method == "POST" or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        services.unsubscribe(subscriber, ip_hash=hash_ip(client_ip(request)))
        return render(request, "subscriptions/stopped.html")
    return render(request, "subscriptions/stop.html")
