"""One log line per request, first in MIDDLEWARE so it times everything after it.

The line (JSON in production, see LOGGING) carries the method, the path, the status, the time
taken, the bytes sent, the number of database queries, a request id (also sent back as
`X-Request-ID`, so a reader's report can be matched with the line) and the remote address as a
keyed hash only. The query string is never logged (search terms can reveal a reader's illness)
and secret tokens in paths (a subscriber's preferences link, a guest author's status page)
are replaced by `:token`.
"""

import functools
import logging
import re
import time
import uuid

from django.db import connection
from django.urls import Resolver404, resolve

from core.privacy import client_ip, hash_ip

logger = logging.getLogger("cancerblog.request")

# An id from the load balancer is kept when it looks like one; anything else is replaced.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# URL keyword arguments that carry a secret.
SECRET_KWARGS = re.compile(r"token|uidb64|signature|secret|key", re.IGNORECASE)
# Segments that look like a secret even where the URL did not resolve: signed values
# ("payload:stamp:signature"), long hex, or long mixed-case base64. Lowercase slugs stay.
SECRET_SEGMENT = re.compile(
    r"[^/]*:[^/]*"
    r"|[0-9a-fA-F]{20,}"
    r"|(?=[^/]*[A-Z])(?=[^/]*[0-9a-z])[A-Za-z0-9_=-]{20,}"
)

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def scrub_path(path, kwargs=None):
    """The path with secrets replaced by `:token` and control characters by `?`."""
    path = CONTROL.sub("?", path)
    secrets = {str(value) for name, value in (kwargs or {}).items() if SECRET_KWARGS.search(name)}
    return "/".join(
        ":token" if segment in secrets or SECRET_SEGMENT.fullmatch(segment) else segment
        for segment in path.split("/")
    )


def _url_kwargs(request):
    match = getattr(request, "resolver_match", None)
    if match is None:  # answered before the view (a redirect, a cached page) or not found
        return _resolved_kwargs(request.path_info)
    return match.kwargs


@functools.lru_cache(maxsize=1024)
def _resolved_kwargs(path_info):
    """Resolving a URL again for every cached page served costs as much as serving it: the
    URL patterns do not change while the process runs, so each path is resolved once."""
    try:
        return resolve(path_info).kwargs
    except Resolver404:
        return {}


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        counter = QueryCounter()
        try:
            with connection.execute_wrapper(counter):
                response = self.get_response(request)
        except BaseException:
            # Django turns exceptions into 500 responses before they get here; this is for
            # the rare one that escapes (a client gone mid-request), logged then re-raised.
            self.log(request, None, started, counter)
            raise
        response["X-Request-ID"] = request.request_id
        self.log(request, response, started, counter)
        return response

    def log(self, request, response, started, counter):
        if not logger.isEnabledFor(logging.INFO):
            return
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        status = response.status_code if response is not None else 500
        size = None
        if response is not None and not response.streaming:
            size = len(response.content)
        path = scrub_path(request.path, _url_kwargs(request))
        fields = {
            "request_id": request.request_id,
            "method": request.method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "bytes": size,
            "db_queries": counter.count,
            "remote": hash_ip(client_ip(request), "log")[:16],
        }
        logger.info(
            "%s %s %s %sms",
            request.method,
            path,
            status,
            duration_ms,
            extra=fields,
        )
