"""One log line per request, first in MIDDLEWARE so it times everything after it.

The line (JSON in production, see LOGGING) carries the method, the path, the status, the time
taken, the bytes sent, the number of database queries, a request id (also sent back as
`X-Request-ID`, so a reader's report can be matched with the line) and the remote address as a
keyed hash only. The query string is never logged (search terms can reveal a reader's illness)
and secret tokens in paths (a subscriber's preferences link, a guest author's status page)
are replaced by `:token`.

`ScrubSecrets`, a logging filter on every handler (LOGGING in settings, gunicorn's error log in
deploy/gunicorn.conf.py), holds every other log line to the same promise: Django's "Not Found:
/path", CSRF failures, 500 tracebacks, gunicorn's invalid request lines.
"""

import functools
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import unquote_plus

from django.db import connection
from django.urls import Resolver404, resolve
from pythonjsonlogger.json import JsonFormatter

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
# What a request line says of the method; anything else a client sent is logged as "?".
METHOD = re.compile(r"[A-Z]{1,16}")


class PreScrubbed(str):
    """A log message whose author made it and every field it carries safe already: the
    request line, built from a scrubbed path, a checked method and id and a hashed address.
    ScrubSecrets passes such a record through untouched (issue 14: scrubbing it again cost a
    cached page a tenth of its time)."""


REQUEST_LINE = PreScrubbed("%s %s %s %sms")
# What the request line carries besides its message, in this order.
REQUEST_FIELDS = (
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "bytes",
    "db_queries",
    "remote",
)
# A path in free text (a message, an exception, a traceback), with its scheme and host if any,
# and its query string or fragment: up to the end of the quoted string or line, as a search
# term may hold spaces. A bare path must not follow ":" or "/" (the host of a URL).
PATH_IN_TEXT = re.compile(
    r"(?:(?P<origin>[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s'\"<>?#]*)(?P<path>/[^\s'\"<>?#]*)?"
    r"|(?<![:/])(?P<bare>/[^\s'\"<>?#]*))"
    r"(?P<query>[?#][^'\"\n]*)?"
)


def scrub_path(path, kwargs=None):
    """The path with secrets replaced by `:token` and control characters by `?`."""
    secrets = {str(value) for name, value in (kwargs or {}).items() if SECRET_KWARGS.search(name)}
    return _scrub_segments(path, secrets)


def _scrub_segments(path, tokens):
    path = CONTROL.sub("?", path)
    return "/".join(
        ":token" if segment in tokens or SECRET_SEGMENT.fullmatch(segment) else segment
        for segment in path.split("/")
    )


def scrub_text(text, tokens=(), terms=()):
    """Free text with every path in it scrubbed and its query string dropped; known `tokens`
    (a request's token arguments) and search `terms` are also replaced wherever they appear,
    as in an exception's message."""
    for token in sorted(tokens, key=len, reverse=True):
        if len(token) >= 8:  # shorter ones are no valid token, and would garble the text
            text = text.replace(token, ":token")
    for term in sorted(terms, key=len, reverse=True):
        text = text.replace(term, ":query")

    def scrub(found):
        if found["origin"]:
            return found["origin"] + _scrub_segments(found["path"] or "", tokens)
        return _scrub_segments(found["bare"], tokens)

    return PATH_IN_TEXT.sub(scrub, text)


def _request_secrets(request):
    """This request's token arguments, and its query string values raw and decoded (values
    under 3 characters or all digits are left: replacing them everywhere in a traceback would
    garble it, and they tell nothing about a reader)."""
    try:
        kwargs = _url_kwargs(request)
    except Exception:  # a request too broken to resolve still gets its line logged
        kwargs = {}
    tokens = {str(value) for name, value in kwargs.items() if SECRET_KWARGS.search(name)}
    query = request.META.get("QUERY_STRING", "")
    terms = [query]
    for part in query.split("&")[:100]:
        raw = part.partition("=")[2]
        terms += [raw, unquote_plus(raw)]
    return tokens, {term for term in terms if len(term) >= 3 and not term.isdigit()}


# Attributes every LogRecord has; anything else was passed in `extra`.
RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonLines(JsonFormatter):
    """python-json-logger's formatter (LOGGING's "json"), with a short way for the request line.

    The library looks through every attribute of every record for the fields passed in
    `extra`; the request line's fields are known, so its object is built directly, in the order
    the library would give, and serialized by the library. One line per request made this a
    fifth of a cached page's time (issue 14); core/tests/test_requestlog.py holds the two ways
    to the same output."""

    def format(self, record):
        if type(record.msg) is not PreScrubbed or record.exc_info or record.stack_info:
            return super().format(record)
        rename = self.rename_fields
        data = {
            rename.get("levelname", "levelname"): record.levelname,
            rename.get("name", "name"): record.name,
            rename.get("message", "message"): record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            data[rename.get(name, name)] = getattr(record, name)
        if self.timestamp:
            key = self.timestamp if isinstance(self.timestamp, str) else "timestamp"
            # As the library's encoder writes a datetime, without a call back into Python.
            data[rename.get(key, key)] = datetime.fromtimestamp(record.created, tz=UTC).isoformat()
        return self.serialize_log_record(self.process_log_record(data))


class HideBadRequestLines(logging.Filter):
    """gunicorn's warning for a malformed request quotes what the client sent (the request
    line, or the part of it after a space in a search term): the kind of error is kept, the
    quoted text is not."""

    QUOTED = re.compile(r"'.*'|\".*\"")

    def filter(self, record):
        message = record.getMessage()
        if message.startswith("Invalid request from"):
            record.msg, record.args = self.QUOTED.sub("'…'", message), ()
        return True


class ScrubSecrets(logging.Filter):
    """Rewrites a record before any formatter sees it: its message (arguments merged in), its
    traceback, its stack and its extra fields are scrubbed; a `request` (Django's log_response
    passes one, and JSON logs would print its repr, query string included) becomes its method
    and scrubbed path."""

    def filter(self, record):
        if type(record.msg) is PreScrubbed:
            return True
        request = getattr(record, "request", None)
        is_http = request is not None and hasattr(request, "path_info")
        tokens, terms = _request_secrets(request) if is_http else ((), ())
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, as text
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = scrub_text(str(message), tokens, terms), ()
        if record.exc_info:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_info, record.exc_text = None, scrub_text(text, tokens, terms)
        elif record.exc_text:
            record.exc_text = scrub_text(record.exc_text, tokens, terms)
        if record.stack_info:
            record.stack_info = scrub_text(record.stack_info, tokens, terms)
        for name, value in list(vars(record).items()):
            if name not in RECORD_ATTRIBUTES and isinstance(value, str):
                setattr(record, name, scrub_text(value, tokens, terms))
        if is_http:
            record.request = f"{request.method} {_scrub_segments(request.path, tokens)}"
        elif request is not None:
            record.request = type(request).__name__  # runserver passes its socket
        return True


def _scrubbed_request_path(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return _scrubbed_unresolved(request.path, request.path_info)
    return scrub_path(request.path, match.kwargs)


@functools.lru_cache(maxsize=1024)
def _scrubbed_unresolved(path, path_info):
    """A path answered before the view (a stored page, a redirect) scrubs the same every time."""
    return scrub_path(path, _resolved_kwargs(path_info))


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
        status = response.status_code if response is not None else 500
        size = None
        if response is not None and not response.streaming:
            size = len(response.content)
        self.log_line(request, status, size, started, counter.count)

    def log_line(self, request, status, size, started, queries):
        if not logger.isEnabledFor(logging.INFO):
            return
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = _scrubbed_request_path(request)
        method = request.method if METHOD.fullmatch(request.method or "") else "?"
        fields = {
            "request_id": request.request_id,
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "bytes": size,
            "db_queries": queries,
            "remote": hash_ip(client_ip(request), "log")[:16],
        }
        # Made and handed on directly: Logger.info would also walk the stack for the caller's
        # file and line, which no log line prints.
        record = logger.makeRecord(
            logger.name,
            logging.INFO,
            __file__,
            0,
            REQUEST_LINE,
            (method, path, status, duration_ms),
            None,
            extra=fields,
        )
        logger.handle(record)
