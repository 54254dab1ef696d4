"""The subscribe box and the pages its links lead to.

The box sits on cached pages that are the same for every reader, so it carries no CSRF token:
its POST only shows the consent page, which stores nothing. That page has its own token, and
only its POST records consent and sends the confirmation email.

The preference page needs no password: its signed link came to the subscriber's inbox. It is
personal, so never cached, and each of its forms carries a CSRF token and redirects after use.
"""

import json

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blog.models import Topic
from core.privacy import client_ip
from subscriptions import following, preferences, privacy, services
from subscriptions.forms import (
    ALL_TOPICS,
    CHOSEN_TOPICS,
    AddressForm,
    ConsentAgainForm,
    ConsentForm,
    EmailForm,
    EraseForm,
    PreferencesForm,
)
from subscriptions.models import Subscriber

TOO_MANY = "Many sign-ups came from your connection in the last hour. Please try again later."


def _consent_context(form, follow=None):
    return {
        "form": form,
        "follow": follow,
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
        # A mistyped address keeps the topic or author it was for.
        context = {"form": form, "follow": form.cleaned_data.get("follow")}
        return render(request, "subscriptions/subscribe.html", context, status=400)
    unbound = ConsentForm(initial=form.cleaned_data)  # shows the cleaned address
    context = _consent_context(unbound, form.cleaned_data["follow"])
    return render(request, "subscriptions/consent.html", context)


@never_cache
@require_POST
def consent(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        context = _consent_context(form, form.cleaned_data.get("follow"))
        return render(request, "subscriptions/consent.html", context, status=400)
    data = form.cleaned_data
    ip_hash = services.hash_ip(client_ip(request))
    if not services.requests_allowed(ip_hash):
        form.add_error(None, TOO_MANY)
        context = _consent_context(form, data["follow"])
        return render(request, "subscriptions/consent.html", context, status=429)
    services.request_subscription(
        data["email"],
        ip_hash=ip_hash,
        source_path=data["source"],
        wording_version=data["wording_version"],
        follow=data["follow"],
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
        services.confirm_subscription(subscriber, ip_hash=services.hash_ip(client_ip(request)))
        return redirect("subscriptions:confirm", token)
    confirmed = subscriber.status == Subscriber.Status.CONFIRMED
    context = {
        "confirmed": confirmed,
        "manage_url": preferences.manage_path(subscriber) if confirmed else "",
    }
    return render(request, "subscriptions/confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request, token):
    """The link for one topic or author: a GET shows where things stand and a button (email
    scanners open links), the POST applies it."""
    link = following.read_token(token)
    if link is None or link.subscriber.status not in (
        Subscriber.Status.PENDING,
        Subscriber.Status.CONFIRMED,
    ):
        return _link_expired(request)
    if link.follow is None:
        return render(request, "subscriptions/follow_gone.html", {"kind": link.kind}, status=404)
    subscriber, chosen = link.subscriber, link.follow
    if request.method == "POST":
        following.confirm_follow(subscriber, chosen, ip_hash=_ip_hash(request))
        return redirect("subscriptions:follow", token)
    confirmed = subscriber.status == Subscriber.Status.CONFIRMED
    context = {
        "follow": chosen,
        "confirmed": confirmed,
        "standing": following.standing(subscriber, chosen) if confirmed else "",
        "manage_url": preferences.manage_path(subscriber) if confirmed else "",
    }
    return render(request, "subscriptions/follow.html", context)


@csrf_exempt  # the signed token is the authority; RFC 8058 one-click posts carry no CSRF token
@never_cache
def stop(request, token):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    subscriber = services.subscriber_for_token("stop", token, max_age=None)
    if subscriber is None:
        return _link_expired(request)
    if request.method == "POST" or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        services.unsubscribe(subscriber, ip_hash=services.hash_ip(client_ip(request)))
        return render(request, "subscriptions/stopped.html")
    return render(request, "subscriptions/stop.html")


# The preference page, reached from a signed link in every email


def _ip_hash(request):
    return services.hash_ip(client_ip(request))


def _manage_context(subscriber, token, **forms):
    chosen = [str(pk) for pk in subscriber.topics.values_list("pk", flat=True)]
    authors = preferences.listed_authors(subscriber)
    chosen_authors = [str(author.pk) for author in authors if author.followed]
    initial = {
        "which_topics": ALL_TOPICS if subscriber.everything else CHOSEN_TOPICS,
        "topics": chosen,
        "contributors": chosen_authors,
        "frequency": subscriber.frequency,
    }
    preferences_form = forms.get("preferences") or PreferencesForm(initial=initial)
    return {
        "subscriber": subscriber,
        "token": token,
        # What they followed has all been deleted since: nothing comes to them now.
        "choices_gone": not subscriber.everything and not chosen and not chosen_authors,
        "topics": list(Topic.objects.only("pk", "name")),
        "authors": authors,
        "preferences_form": preferences_form,
        "which_topics": preferences_form["which_topics"].value(),
        "chosen_topics": [str(pk) for pk in preferences_form["topics"].value() or []],
        "chosen_authors": [str(pk) for pk in preferences_form["contributors"].value() or []],
        "frequency": preferences_form["frequency"].value(),
        "frequencies": Subscriber.Frequency.choices,
        "address_form": forms.get("address") or AddressForm(),
        "consent_form": forms.get("consent") or ConsentAgainForm(),
        "wording": services.CONSENT_WORDING,
        "wording_version": services.WORDING_VERSION,
        "address_days": preferences.ADDRESS_MAX_AGE // 86400,
    }


def _manage_page(request, subscriber, token, status=200, **forms):
    context = _manage_context(subscriber, token, **forms)
    return render(request, "subscriptions/manage.html", context, status=status)


def _back(request, token, text, level=messages.SUCCESS):
    messages.add_message(request, level, text)
    return redirect("subscriptions:manage", token)


def _save_preferences(request, subscriber, token):
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, subscriber, token, status=400, preferences=form)
    data = form.cleaned_data
    changed = preferences.update_preferences(
        subscriber,
        topics=data["topics"],
        contributors=data["contributors"],
        frequency=data["frequency"],
        ip_hash=_ip_hash(request),
    )
    return _back(request, token, "Your choices are saved." if changed else "Nothing changed.")


def _pause(request, subscriber, token):
    if preferences.pause(subscriber):
        return _back(request, token, "Emails are paused. Resume them here whenever you like.")
    return _back(request, token, "Emails were already paused.", messages.INFO)


def _resume(request, subscriber, token):
    if preferences.resume(subscriber):
        return _back(request, token, "Emails are on again.")
    return _back(request, token, "Emails were not paused.", messages.INFO)


def _change_address(request, subscriber, token):
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, subscriber, token, status=400, address=form)
    new_email = form.cleaned_data["new_email"]
    outcome = preferences.request_address_change(subscriber, new_email)
    if outcome == preferences.SAME:
        form.add_error("new_email", "That is already the address your alerts go to.")
        return _manage_page(request, subscriber, token, status=400, address=form)
    if outcome == preferences.TOO_MANY:
        form.add_error(
            "new_email",
            "You asked for several address changes in the last hour. Please try again later.",
        )
        return _manage_page(request, subscriber, token, status=429, address=form)
    days = preferences.ADDRESS_MAX_AGE // 86400
    return _back(
        request,
        token,
        f"If {new_email} can receive email, we have sent it a link to confirm the change. "
        f"The link works for {days} days. Until it is used, alerts go to {subscriber.email}.",
    )


def _cancel_address(request, subscriber, token):
    if preferences.cancel_address_change(subscriber):
        return _back(request, token, "The address change is cancelled; its link no longer works.")
    return _back(request, token, "There was no address change waiting.", messages.INFO)


def _leave(request, subscriber, token):
    services.unsubscribe(subscriber, ip_hash=_ip_hash(request))
    return _back(request, token, "You are unsubscribed: we will send no more alerts.")


def _come_back(request, subscriber, token):
    form = ConsentAgainForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, subscriber, token, status=400, consent=form)
    ip_hash = _ip_hash(request)
    if not services.requests_allowed(ip_hash):
        form.add_error(None, TOO_MANY)
        return _manage_page(request, subscriber, token, status=429, consent=form)
    if preferences.resubscribe(subscriber, ip_hash=ip_hash) == preferences.SENT:
        text = (
            f"We have emailed {subscriber.email} a link to confirm. Your alerts start again "
            "once you press the button it leads to."
        )
    else:
        text = (
            f"We sent a link to {subscriber.email} a few minutes ago: please use that one. "
            "Nothing arrived? Look in your spam folder, or try again in ten minutes."
        )
    return _back(request, token, text)


def _download(request, subscriber, token):
    data = json.dumps(privacy.export_data(subscriber), indent=2, ensure_ascii=False)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cancer-blog-email-alerts.json"'
    return response


CONFIRMED_ONLY = {
    "preferences": _save_preferences,
    "pause": _pause,
    "resume": _resume,
    "address": _change_address,
    "cancel_address": _cancel_address,
    "leave": _leave,
}
ANY_STATUS = {"download": _download}
UNSUBSCRIBED_ONLY = {"resubscribe": _come_back}


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscriber = services.subscriber_for_token("manage", token, max_age=None)
    if subscriber is None:
        return _link_expired(request)
    if request.method == "GET":
        return _manage_page(request, subscriber, token)
    action = request.POST.get("action", "")
    status = subscriber.status
    if action in ANY_STATUS:
        return ANY_STATUS[action](request, subscriber, token)
    if action in CONFIRMED_ONLY and status == Subscriber.Status.CONFIRMED:
        return CONFIRMED_ONLY[action](request, subscriber, token)
    if action in UNSUBSCRIBED_ONLY and status == Subscriber.Status.UNSUBSCRIBED:
        return UNSUBSCRIBED_ONLY[action](request, subscriber, token)
    if action in CONFIRMED_ONLY or action in UNSUBSCRIBED_ONLY:
        # A page left open in another tab, from before leaving or coming back.
        return _back(
            request,
            token,
            "That is not possible now: see below. Nothing was changed.",
            messages.ERROR,
        )
    messages.error(request, "That request was not understood. Nothing was changed.")
    return _manage_page(request, subscriber, token, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def erase(request, token):
    """The confirm step before erasing: a GET shows it, a POST with the box ticked erases."""
    subscriber = services.subscriber_for_token("manage", token, max_age=None)
    if subscriber is None:
        return _link_expired(request)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            kept = privacy.erase(subscriber, ip_hash=_ip_hash(request))
            messages.success(request, _erased_note(kept))
            return redirect("subscriptions:erased")
        status = 400
    else:
        status = 200
    context = {"form": form, "token": token, "subscriber": subscriber}
    return render(request, "subscriptions/erase.html", context, status=status)


def _erased_note(kept):
    """What stays after an erasure, in words; none of it names the person."""
    lines, sent = kept["consent_lines"], kept["deliveries"]
    parts = [f"{lines} line{pluralize(lines)} of the consent ledger, naming the address by a hash"]
    if sent:
        parts.append(f"{sent} record{pluralize(sent)} of emails sent, without any link to you")
    if kept["suppressed"]:
        parts.append("a keyed hash of the address on our do-not-send list, as mail to it bounced")
    return "Kept: " + "; ".join(parts) + "."


@never_cache
@require_GET
def erased(request):
    return render(request, "subscriptions/erased.html")


@never_cache
@require_http_methods(["GET", "POST"])
def address(request, token):
    """The link sent to a new address: a GET shows a button (scanners open links), the POST
    makes the change."""
    subscriber, done = preferences.subscriber_for_address_token(token)
    if subscriber is None:
        return _link_expired(request)
    if done:
        return _back(
            request,
            services.make_token("manage", subscriber),
            f"Your alerts already go to {subscriber.email}.",
            messages.INFO,
        )
    if request.method == "GET":
        return render(request, "subscriptions/address.html", {"new_email": subscriber.new_email})
    kept, outcome = preferences.confirm_address_change(subscriber, ip_hash=_ip_hash(request))
    if kept is None:
        return _link_expired(request)
    if outcome == preferences.KEPT_EXISTING:
        text = (
            f"{kept.email} already had a subscription. We kept it, with its own choices, and "
            "erased the subscription of your old address."
        )
    else:
        text = f"Your alerts now go to {kept.email}."
    return _back(request, services.make_token("manage", kept), text)
