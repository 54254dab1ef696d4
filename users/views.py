"""The second step of signing in to the admin (set up an authenticator, or enter its code), and
the invitations that let new staff choose a password and enrol in one go."""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from users import invitations, twofactor
from users.forms import AcceptInvitationForm, CodeForm

admin_login_required = login_required(login_url="wagtailadmin_login")
MAX_ID = 2**63 - 1


def next_url(request):
    """Where to go afterwards: `next` when it stays on this site, else the dashboard."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def require_admin_user(request):
    if not twofactor.can_use_admin(request.user):
        raise PermissionDenied


def complete_second_factor(request, device):
    """Mark the session verified by `device`, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)
    twofactor.note_device(request, True)


def authenticator_context(device):
    """The QR code and the key of a device being set up."""
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return {
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": mark_safe(  # noqa: S308  segno's own SVG, no user input in it but the URL
            qr.svg_inline(
                scale=5, dark="#000", light="#fff", title="QR code for your authenticator"
            )
        ),
    }


def show_recovery_codes(request, codes, continue_url):
    return render(
        request,
        "users/two_factor_recovery_codes.html",
        {"codes": codes, "continue_url": continue_url},
    )


@never_cache
@sensitive_post_parameters("code")
@admin_login_required
def setup(request):
    require_admin_user(request)
    user = request.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        if not user.is_verified():
            return redirect(f"{reverse('users:two_factor_verify')}?{request.GET.urlencode()}")
        return render(request, "users/two_factor_status.html", {"next": next_url(request)})

    if not twofactor.may_enrol_by_password(user):
        return render(request, "users/two_factor_ask_for_invitation.html", status=403)
    device = twofactor.pending_totp_device(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        # The person setting up already sees the secret: no point making them wait after a typo.
        device.throttle_reset(commit=False)
        if device.verify_token(form.cleaned_data["code"]):
            codes = twofactor.confirm_totp_device(device)
            complete_second_factor(request, device)
            return show_recovery_codes(request, codes, next_url(request))
        form.add_error(
            None,
            "That code is not right. Enter the code your app shows now; if it still fails, "
            "check that the time on your phone is set automatically.",
        )
    return render(
        request,
        "users/two_factor_setup.html",
        {
            "form": form,
            "next": next_url(request),
            "required": settings.ADMIN_2FA_REQUIRED,
            **authenticator_context(device),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@admin_login_required
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    totp_devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not totp_devices:
        twofactor.note_device(request, False)  # reset by a superuser since signing in
        return redirect(f"{reverse('users:two_factor_setup')}?{request.GET.urlencode()}")

    form = CodeForm(request.POST or None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        is_totp = code.isdigit() and len(code) == 6  # recovery codes have 8 characters
        devices = totp_devices if is_totp else list(StaticDevice.objects.devices_for_user(user))
        for device in devices:
            if django_otp.verify_token(user, device.persistent_id, code):
                complete_second_factor(request, device)
                return redirect(next_url(request))
        # A wrong code counts as a failed sign-in: after LOGIN_FAILURE_LIMIT of them the
        # username is locked out from this address, and this session ends.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return redirect("wagtailadmin_login")
        if not all(device.verify_is_allowed()[0] for device in devices):
            message = "Too many wrong codes in a row: wait a minute, then enter the new code."
        else:
            message = "That code is not right, or was already used. Enter the code shown now."
        form.add_error(None, message)
    return render(
        request, "users/two_factor_verify.html", {"form": form, "next": next_url(request)}
    )


@never_cache
@require_POST
@admin_login_required
def recovery_codes(request):
    require_admin_user(request)
    if not request.user.is_verified():
        raise PermissionDenied
    codes = twofactor.new_recovery_codes(request.user)
    return show_recovery_codes(request, codes, reverse("wagtailadmin_home"))


def person_or_404(user_id):
    if user_id > MAX_ID:  # the database would refuse the number
        raise Http404
    return get_object_or_404(get_user_model(), pk=user_id)


def require_superuser(request):
    if not request.user.is_superuser:
        raise PermissionDenied


@never_cache
@admin_login_required
def reset(request, user_id):
    """A superuser resets someone's two-factor (a lost phone) and sends them a new invitation."""
    require_superuser(request)
    person = person_or_404(user_id)
    if request.method == "POST":
        if not person.email:
            messages.error(
                request,
                f"{person.get_username()} has no email address: add one first, so the new "
                "invitation reaches them.",
            )
        else:
            invitations.reset_and_invite(person, by=request.user)
            messages.success(
                request,
                f"Two-factor authentication reset for {person.get_username()}: a new invitation "
                f"went to {person.email}. Their old authenticator and links no longer work.",
            )
        return redirect("wagtailusers_users:index")
    return render(request, "users/two_factor_reset.html", {"person": person})


@never_cache
@admin_login_required
def revoke(request, user_id):
    """A superuser makes someone's invitation links stop working."""
    require_superuser(request)
    person = person_or_404(user_id)
    if request.method == "POST":
        revoked = invitations.revoke_invitations(person, by=request.user)
        if revoked:
            messages.success(request, f"The invitation of {person.get_username()} no longer works.")
        else:
            messages.info(request, f"{person.get_username()} had no invitation that still works.")
        return redirect("wagtailusers_users:index")
    return render(request, "users/invitation_revoke.html", {"person": person})


@never_cache
@sensitive_post_parameters("password1", "password2", "code")
def accept_invitation(request, token):
    """From the emailed link: choose a password and enrol an authenticator, then sign in."""
    invitation = invitations.find_invitation(token)
    if invitation is None:
        return render(request, "users/invitation_invalid.html", status=404)
    person = invitation.user
    device = twofactor.pending_totp_device(person)
    form = AcceptInvitationForm(request.POST or None, user=person, device=device)
    if form.is_valid():
        codes = invitations.accept_invitation(invitation, form.cleaned_data["password1"], device)
        if codes is None:  # used or revoked by another request meanwhile
            return render(request, "users/invitation_invalid.html", status=404)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        complete_second_factor(request, device)
        return show_recovery_codes(request, codes, reverse("wagtailadmin_home"))
    return render(
        request,
        "users/invitation_accept.html",
        {"form": form, "person": person, **authenticator_context(device)},
    )
