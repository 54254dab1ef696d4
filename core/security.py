"""The admin's own Content Security Policy; the public one is Django's SECURE_CSP."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.csp import CSP, build_policy


def origin_of(url):
    """The host-source of an absolute or scheme-relative URL ("" for a path), for a CSP."""
    parts = urlsplit(url)
    if not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else parts.netloc


class AdminContentSecurityPolicyMiddleware:
    """Give every response under ADMIN_CSP_PATHS the ADMIN_CSP policy instead of SECURE_CSP.

    Wagtail's editor (and Django's admin) rely on inline scripts and styles, which the strict
    public policy forbids. Choosing by path covers every admin view, including those added
    by Wagtail hooks, in one place. Django's ContentSecurityPolicyMiddleware keeps a header
    that an inner layer has already set, so this middleware must come after it.

    An admin response's own header is replaced too: a page preview is the public page, rendered
    through the whole middleware stack under its public path, so it arrives carrying the public
    policy, whose frame-ancestors 'none' would stop the preview panel from showing it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.ADMIN_CSP_PATHS)
        self.policy = build_policy(settings.ADMIN_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        header = str(CSP.HEADER_ENFORCE)
        # A private file the admin serves inside a sandbox keeps its own, stricter policy.
        if request.path_info.startswith(self.prefixes) and "sandbox" not in response.get(
            header, ""
        ):
            response[header] = self.policy
        return response
