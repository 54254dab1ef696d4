"""How django-axes sees a sign-in: which address it counts, and what a locked-out person sees.

Axes stores the client address of each failed attempt in a GenericIPAddressField. We give it a
keyed hash of the address (core/privacy.py) written as an IPv6 address in the unique-local range
fd00::/8, so the database and the logs never hold a real address, and attempts from one address
still count together. Axes deletes attempts older than LOGIN_LOCKOUT_MINUTES as it goes.
"""

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.template.response import TemplateResponse
from wagtail.admin.views.account import get_user_login_form, password_reset_enabled

from core.privacy import client_ip, hash_ip
from core.requestlog import scrub_path


def pseudonymous_ip(request):
    digest = hash_ip(client_ip(request), "login")
    return str(ipaddress.IPv6Address(bytes.fromhex("fd" + digest[:30])))


def lockout_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, saying to wait; the same for known and unknown usernames."""
    messages.error(
        request,
        f"Too many failed attempts to sign in. For your safety, signing in is paused: wait "
        f"{lockout_minutes()} minutes, then try again.",
    )
    context = {
        "form": get_user_login_form()(request),
        "show_password_reset": password_reset_enabled(),
        "username_field": "Username",
    }
    response = TemplateResponse(request, "wagtailadmin/login.html", context, status=429)
    return response.render()


def client_str(username, ip_address, user_agent, path_info, request):
    """How axes names a client in its log lines: only the path, with secrets as `:token`.

    An invitation signs its person in on the link's own URL (users/views.py); axes would
    otherwise log that path whole."""
    match = getattr(request, "resolver_match", None)
    return f'{{path_info: "{scrub_path(path_info or "", match.kwargs if match else None)}"}}'
