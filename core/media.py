"""Public media (MEDIA_ROOT) served by the app itself, for a single host without nginx
(SERVE_MEDIA=1), and with DEBUG for `make run`. Behind the shipped nginx, nginx serves /media/
from disk and this view is never reached. Private media (PRIVATE_MEDIA_ROOT) has no URL."""

import os

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

MEDIA_SECONDS = 30 * 24 * 3600  # as the nginx config's `expires 30d`


@require_safe
def serve_media(request, path):
    if not (settings.DEBUG or settings.SERVE_MEDIA):
        raise Http404("No such file.")
    if any(part.startswith(".") for part in path.split("/")):
        raise Http404("No such file.")
    try:
        full_path = safe_join(settings.MEDIA_ROOT, path)
    except (SuspiciousFileOperation, ValueError):
        raise Http404("No such file.") from None
    if not os.path.isfile(full_path):
        raise Http404("No such file.")
    try:
        response = FileResponse(open(full_path, "rb"))  # noqa: SIM115 - FileResponse closes it
    except OSError:
        raise Http404("No such file.") from None
    response["Cache-Control"] = f"public, max-age={MEDIA_SECONDS}"
    # An uploaded SVG or HTML file must never run as a page of this site.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
