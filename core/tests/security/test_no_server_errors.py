"""No input makes the site answer 5xx, and refused input stores nothing.

Two walks, both discovered at run time so a new view or a new form is covered without editing
this file:
- every URL pattern of the project (Wagtail's admin, Django's admin and our apps) is requested
  with hostile values in each part it captures, by GET and by POST, anonymously and as a
  superuser;
- every form on our pages (found by crawling our public pages and our admin pages, as a reader
  and as a superuser) is sent back with hostile values in every field, and a refusal must
  leave every table as it was.

Each request runs in a savepoint that is rolled back, so the walks leave the world unchanged.
Not walked, and why: forms of views installed from packages (Wagtail's page editor, Django's
admin), whose URLs the first walk still requests with hostile parts; file inputs, which
submissions/tests/test_documents.py and test_path_traversal.py fill with hostile files.
"""

import itertools
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, SlugConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.regex_helper import normalize
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Site

from comments import privacy as comment_privacy
from comments import services as comment_services
from comments.follow import follow_token_value
from comments.forms import started_token as comment_started_token
from comments.models import Comment, Commenter, ConversationFollow
from comments.tests.commenting import published
from core.badinput import module_is_installed, view_is_installed
from submissions.forms import started_token as submission_started_token
from submissions.tests import submitting
from subscriptions import services as subscription_services
from subscriptions.models import Subscriber

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = "9999999999999999999999999"
JUST_BEYOND = str(2**63)  # one more than the largest signed 64-bit integer

# What each kind of captured URL part receives. Values must match the part's own pattern to
# reach its view (an integer part only matches digits); the walk drops those that do not.
URL_VALUES = {
    "int": [BEYOND_64_BITS, "0"],
    "slug": [BEYOND_64_BITS, "-", "s" * 3000],
    "str": [
        BEYOND_64_BITS,
        "0",
        "-1",
        "%00",
        "%ED%A0%80",  # a lone surrogate as UTF-8 bytes: no UTF-8 at all
        "%E2%80%AE%F0%9F%92%A5%3Cb%3E",  # right-to-left override, emoji, markup
        "x" * 3000,
        "%C2%B2",  # a superscript two: str.isdigit() says yes, int() says no
    ],
}
URL_VALUES["path"] = URL_VALUES["str"] + ["..%2F..%2Fetc%2Fpasswd", "a/../../b", "a//b"]
URL_VALUES["regex"] = sorted(set(URL_VALUES["int"] + URL_VALUES["str"] + ["a/b"]))
# Views installed from packages (Wagtail's and Django's admin) get the values that found their
# mistakes: numbers they cannot store, and text where they expect a number.
FEWER_URL_VALUES = {
    kind: [BEYOND_64_BITS, "0"] if kind == "int" else [BEYOND_64_BITS, "0", "%00", "%C2%B2"]
    for kind in URL_VALUES
}

# What each form field receives (sent as raw bytes, so a lone surrogate arrives as such).
FIELD_VALUES = [
    BEYOND_64_BITS,
    JUST_BEYOND,
    "-1",
    "0",
    "\ud800",
    "nul\x00byte",
    "x" * 100_000,
    '<script>alert("x")</script>',
    "\u00b2",
    "",
]
# Sent into one field at a time, the others keeping a plausible value.
ONE_FIELD_VALUES = [BEYOND_64_BITS, "nul\x00 \ud800", "\u00b2"]

# The world the walks run in: one of each thing a URL or a form can name.


@dataclass
class World:
    superuser: object
    post: object
    known: dict = field(default_factory=dict)  # captured part name -> a real value
    pages: list = field(default_factory=list)  # tokened and object pages, starting the crawl


@pytest.fixture
def world(make_post, django_user_model, topic, django_capture_on_commit_callbacks):
    # Site settings are made on first use: make them now, so no refusal seems to store them.
    site = Site.objects.get(is_default_site=True)
    for model in apps.get_models():
        if issubclass(model, BaseSiteSetting):
            model.for_site(site)
        elif issubclass(model, BaseGenericSetting):
            model.load()
    superuser = django_user_model.objects.create_superuser(
        "fuzz-admin", "fuzz-admin@example.org", "pw-123456"
    )
    post = make_post()
    approved = published(post)
    pending = published(post, status=Comment.Status.PENDING, body="Waiting for a moderator.")
    commenter = Commenter.objects.create(email="writer@example.org", name="Writer")
    unconfirmed = published(
        post, status=Comment.Status.UNCONFIRMED, commenter=commenter, body="Not yet confirmed."
    )
    follow = ConversationFollow.objects.create(post=post, email="follower@example.org")
    follow_value = follow_token_value(follow)
    subscriber = Subscriber.objects.create(
        email="subscriber@example.org",
        status=Subscriber.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    subscriber.topics.set([topic])
    submission, submission_path = submitting.submitted(
        Client(), django_capture_on_commit_callbacks, topics=[topic.pk]
    )
    submission_token = submission_path.split("/")[2]
    submitting.request_changes(submission)  # so its status page offers the reply form
    sub_manage = subscription_services.make_token("manage", subscriber)
    data_token = comment_privacy.data_token(
        comment_privacy.COMMENTER, commenter.pk, commenter.email
    )
    pages = [
        "/",
        post.url,
        f"/comments/post/{post.pk}/?reply_to={approved.pk}",
        f"/comments/confirm/{comment_services.make_token('confirm', unconfirmed.pk)}/",
        f"/comments/status/{comment_services.make_token('status', [approved.pk, 'published'])}/",
        f"/comments/{approved.pk}/edit/{comment_services.make_token('edit', approved.pk)}/",
        f"/comments/{approved.pk}/report/",
        f"/comments/follow/{post.pk}/",
        f"/comments/my-data/{data_token}/",
        f"/comments/stop/{comment_services.make_token('stop', approved.pk)}/",
        f"/comments/follow/confirm/{comment_services.make_token('follow', follow_value)}/",
        f"/comments/follow/stop/{comment_services.make_token('unfollow', follow_value)}/",
        f"/subscribe/manage/{sub_manage}/",
        f"/subscribe/manage/{sub_manage}/erase/",
        f"/subscribe/stop/{subscription_services.make_token('stop', subscriber)}/",
        f"/subscribe/confirm/{subscription_services.make_token('confirm', subscriber)}/",
        submission_path,
        f"{submission_path}withdraw/",
        f"{submission_path}preview/",
        f"{submission_path}data/",
        f"/admin/comments/{pending.pk}/",
        f"/admin/comments/{approved.pk}/",
        f"/admin/guest-posts/inspect/{submission.pk}/",
    ]
    known = {
        "post_id": post.pk,
        "page_id": post.pk,
        "parent_page_id": post.get_parent().pk,
        "token": submission_token,
    }
    return World(superuser=superuser, post=post, known=known, pages=pages)


# Shared plumbing: one request at a time, each undone afterwards.


class _Undo(Exception):
    pass


@dataclass
class Answer:
    status: int
    content: bytes
    content_type: str
    location: str
    stored: list  # the tables whose number of rows changed
    error: str


def _tables():
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if not module_is_installed(model.__module__) or model._meta.app_label == "wagtailcore"
        }
    )


def database_counts():
    """How many rows each of our apps' tables and Wagtail's core tables hold, in one query."""
    tables = _tables()
    sql = "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


class Visitor:
    """A browser that may be signed in as the superuser; every request it makes is rolled back,
    so the walks do not change the world they walk."""

    def __init__(self, user=None):
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
        self.cookies = SimpleCookie(self.client.cookies.output(header="", sep=";"))
        self.name = "superuser" if user else "anonymous"

    def request(self, method, url, body=b"", count=False):
        if count:
            cache.clear()  # no rate limit stands between a hostile form and its view
        self.client.cookies = SimpleCookie()
        self.client.cookies.load(self.cookies.output(header="", sep=";"))
        before = database_counts() if count else None
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(url)
                else:
                    response = self.client.generic(
                        "POST", url, body, content_type="application/x-www-form-urlencoded"
                    )
                status, error = response.status_code, ""
                if status >= 500:
                    exc_info = getattr(response, "exc_info", None)
                    error = repr(exc_info[1])[:300] if exc_info else ""
                try:
                    content = b"".join(response) if response.streaming else response.content
                except Exception as exception:  # a streamed body that fails half-way
                    status, content, error = 500, b"", f"while streaming: {exception!r}"[:300]
                stored = []
                if count and status < 500:
                    after = database_counts()
                    stored = [table for table in after if after[table] != before[table]]
                raise _Undo(
                    Answer(
                        status,
                        content,
                        response.get("Content-Type", ""),
                        response.get("Location", ""),
                        stored,
                        error,
                    )
                )
        except _Undo as undo:
            return undo.args[0]


@pytest.fixture
def visitors(world):
    return [Visitor(), Visitor(world.superuser)]


def encode(pairs):
    """A form body as a browser would send it, keeping lone surrogates as their UTF-8 bytes."""
    return "&".join(
        f"{quote(name, safe='')}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
        for name, value in pairs
    ).encode()


# Walk 1: every URL pattern.

PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _kind(converter):
    if isinstance(converter, IntConverter):
        return "int"
    if isinstance(converter, SlugConverter):
        return "slug"
    if isinstance(converter, PathConverter):
        return "path"
    return "str"


def _segment_forms(pattern):
    """Each way to write one pattern segment: (format string, [(name, kind)])."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern).replace("%", "%%")
        params = []

        def to_format(match):
            params.append((match["name"], _kind(pattern.converters[match["name"]])))
            return f"%({match['name']})s"

        return [(PLACEHOLDER.sub(to_format, route).lstrip("^").rstrip("$"), params)]
    assert isinstance(pattern, RegexPattern)
    return [
        (fmt, [(name, "regex") for name in names])
        for fmt, names in normalize(pattern.regex.pattern)
    ]


def url_patterns(patterns=None, prefix=()):
    """Every URL pattern reachable from the root URLconf: (its chain of segments, its view)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, prefix + (entry.pattern,))
        elif isinstance(entry, URLPattern):
            yield prefix + (entry.pattern,), entry.callback


def _reaches(url, route):
    try:
        match = resolve(urlsplit(url).path.replace("%00", "\x00"))
    except (Resolver404, ValueError):
        return False
    return match.route == route


def hostile_urls(segments, known, values_for):
    """URLs that reach the pattern with a hostile value in one captured part, the other parts
    keeping a real value where the world has one."""
    route = _route_of(segments)
    urls = []
    for forms in itertools.product(*(_segment_forms(segment) for segment in segments)):
        fmt = "/" + "".join(form[0] for form in forms)
        params = [param for form in forms for param in form[1]]
        if not params:
            continue
        for position, (_, kind) in enumerate(params):
            for value in values_for[kind]:
                values = {}
                for other, (other_name, other_kind) in enumerate(params):
                    if other == position:
                        values[other_name] = value
                    else:
                        values[other_name] = str(
                            known.get(other_name, "1" if other_kind == "int" else "x")
                        )
                url = fmt % values
                if url not in urls and _reaches(url, route):
                    urls.append(url)
    return urls


def _route_of(segments):
    return "".join(str(segment) for segment in segments)


STAFF_PREFIXES = ("/admin/", "/django-admin/")


def test_no_url_pattern_answers_a_server_error(world, visitors):
    anonymous, superuser = visitors
    failures, walked = [], 0
    for segments, view in url_patterns():
        installed = view_is_installed(view)
        urls = hostile_urls(segments, world.known, FEWER_URL_VALUES if installed else URL_VALUES)
        for url in urls:
            first = url == urls[0]
            # Anonymous visitors of staff pages are sent to sign in before any view runs, and
            # views installed from packages read their URL parts the same way for GET and POST:
            # the first URL of each is enough to prove that.
            people = [superuser] if url.startswith(STAFF_PREFIXES) and not first else visitors
            methods = ("GET",) if installed and not first else ("GET", "POST")
            for visitor, method in itertools.product(people, methods):
                answer = visitor.request(method, url)
                walked += 1
                if answer.status >= 500:
                    failures.append(f"{method} {url[:120]} ({visitor.name}): {answer.error}")
    assert walked > 1000
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures)


# Walk 2: every form on our pages.

# Forms whose first check is a time trap get a start time from a minute ago, so hostile values
# reach the checks behind it (keyed by the URL name the form posts to).
BASELINES = {
    "comments:post": lambda: {
        "started": comment_started_token(timezone.now() - timezone.timedelta(minutes=1))
    },
    "submissions:submit": lambda: {
        "started": submission_started_token(timezone.now() - timezone.timedelta(minutes=5))
    },
}
PLAUSIBLE = {
    "email": "fuzz-reader@example.org",
    "url": "https://example.org/",
    "number": "1",
    "date": "2026-01-15",
    "datetime-local": "2026-01-15T10:00",
    "tel": "+32 2 555 01 00",
}
EXPECTED_FORMS = {
    "comments:post",
    "comments:confirm",
    "comments:edit",
    "comments:report",
    "comments:follow",
    "comments:my_data",
    "comments:my_data_manage",
    "subscriptions:subscribe",
    "subscriptions:manage",
    "subscriptions:erase",
    "submissions:submit",
    "submissions:status",
    "comments:stop_replies",
    "comments:follow_confirm",
    "comments:unfollow",
    "submissions:withdraw",
    "comments_admin:queue",
    "comments_admin:comment",
    "comments_admin:moderate",
    "comments_admin:blocks",
    "guest_posts:inspect",
    "search",
}
REFUSED_MARKS = (b'aria-invalid="true"', b"errorlist", b"error-message")


def _resolve(url):
    try:
        return resolve(urlsplit(url).path)
    except (Resolver404, ValueError):
        return None


def ours(match):
    """Views in this repository, and the public pages Wagtail serves from our page models."""
    return match.url_name == "wagtail_serve" or not view_is_installed(match.func)


@dataclass
class Form:
    method: str
    action: str
    view_name: str
    fields: list  # (name, plausible value) in page order; a name repeats for multi-choice
    where: str

    @property
    def names(self):
        return list(dict.fromkeys(name for name, _ in self.fields))

    def key(self):
        return (self.method, _resolve(self.action).route, tuple(sorted(self.names)))


def _plausible(element):
    kind = (element.get("type") or "text").lower()
    if kind in PLAUSIBLE:
        return PLAUSIBLE[kind]
    if "email" in (element.get("name") or ""):
        return PLAUSIBLE["email"]
    return "Plausible words for this field."


def forms_in(url, html):
    """The forms of a page as a browser would fill them in, plus its links' query strings."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.find_all("form"):
        method = (element.get("method") or "get").upper()
        action = urljoin(url, element.get("action") or url)
        fields = []
        for control in element.find_all(["input", "textarea", "select", "button"]):
            name = control.get("name")
            kind = (control.get("type") or "").lower()
            if not name or kind in ("file", "reset", "image") or control.has_attr("disabled"):
                continue
            if control.name == "textarea":
                fields.append((name, control.get_text() or _plausible(control)))
            elif control.name == "select":
                options = [o.get("value", o.get_text()) for o in control.find_all("option")]
                chosen = [
                    o.get("value", o.get_text())
                    for o in control.find_all("option")
                    if o.has_attr("selected")
                ] or [v for v in options if v][:1]
                fields.extend((name, value) for value in chosen or [""])
            elif control.name == "button" or kind == "submit":
                if name not in {field_name for field_name, _ in fields}:
                    fields.append((name, control.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if kind == "radio" and name in {field_name for field_name, _ in fields}:
                    continue
                fields.append((name, control.get("value", "on")))
            else:
                fields.append((name, control.get("value") or _plausible(control)))
        found.append((method, action, fields))
    for link in soup.find_all("a", href=True):
        target = urljoin(url, link["href"])
        if urlsplit(target).query and not urlsplit(target).netloc.replace("testserver", ""):
            query = parse_qsl(urlsplit(target).query, keep_blank_values=True)
            found.append(("GET", target.split("?")[0], query))
    forms = []
    for method, action, fields in found:
        parts = urlsplit(action)
        if parts.netloc not in ("", "testserver") or (method == "GET" and not fields):
            continue
        match = _resolve(parts.path)
        if match is None or not ours(match):
            continue
        forms.append(Form(method, parts.path, match.view_name, fields, url))
    return forms


def links_in(url, html):
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.find_all("a", href=True):
        target = urljoin(url, link["href"])
        parts = urlsplit(target)
        if parts.scheme in ("http", "https", "") and parts.netloc in ("", "testserver"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(visitor, start, failures, limit=80):
    """Our pages a visitor reaches from `start`, at most two per URL pattern."""
    queue, visited, per_route, pages = list(start), set(), {}, []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        match = _resolve(url)
        if url in visited or match is None or not ours(match):
            continue
        visited.add(url)
        if per_route.get(match.route, 0) >= 2:
            continue
        per_route[match.route] = per_route.get(match.route, 0) + 1
        answer = visitor.request("GET", url)
        if answer.status >= 500:
            failures.append(f"GET {url[:120]} ({visitor.name}): {answer.error}")
        if answer.status != 200 or "html" not in answer.content_type:
            continue
        html = answer.content.decode(errors="replace")
        pages.append((url, html))
        queue.extend(links_in(url, html))
    return pages


def refused(answer):
    return 400 <= answer.status < 500 or (
        answer.status == 200 and any(mark in answer.content for mark in REFUSED_MARKS)
    )


def hostile_bodies(form):
    """(description, [(name, value)]) for each hostile way to fill the form in."""
    baseline = list(form.fields)
    overrides = BASELINES.get(form.view_name, lambda: {})()
    baseline = [(name, overrides.get(name, value)) for name, value in baseline]
    if not form.names:  # a one-button form: what arrives is all the view reads
        yield "nothing", []
        yield "an unexpected field", [("unexpected", BEYOND_64_BITS), ("unexpected", "\ud800")]
    for value in FIELD_VALUES if form.names else ():
        yield f"every field {value[:20]!r}", [(name, value) for name in form.names]
    for name in form.names:
        if name.startswith("csrf"):
            continue
        others = [(n, v) for n, v in baseline if n != name]
        for value in ONE_FIELD_VALUES:
            yield f"{name}={value[:20]!r}", [*others, (name, value)]
        yield f"{name} twice", [*others, (name, BEYOND_64_BITS), (name, "\ud800")]


def parameterless_urls():
    for segments, _ in url_patterns():
        for forms in itertools.product(*(_segment_forms(segment) for segment in segments)):
            if not any(form[1] for form in forms):
                yield "/" + "".join(form[0] for form in forms).replace("%%", "%")


def test_no_form_answers_a_server_error_or_stores_what_it_refuses(world, visitors):
    failures, stored, tried, covered = [], [], set(), set()
    start = [*world.pages, *parameterless_urls()]
    sent = 0
    for visitor in visitors:
        for url, html in crawl(visitor, start, failures):
            for form in forms_in(url, html):
                if form.key() in tried:
                    continue
                tried.add(form.key())
                covered.add(form.view_name)
                for description, pairs in hostile_bodies(form):
                    body = encode(pairs)
                    if form.method == "GET":
                        answer = visitor.request(
                            "GET", f"{form.action}?{body.decode()}", count=True
                        )
                    else:
                        answer = visitor.request("POST", form.action, body, count=True)
                    sent += 1
                    where = f"{form.method} {form.action[:80]} {description} ({visitor.name})"
                    if answer.status >= 500:
                        failures.append(f"{where}: {answer.error}")
                    elif answer.stored and refused(answer):
                        stored.append(
                            f"{where}: answered {answer.status} but changed {answer.stored}"
                        )
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures)
    assert not stored, "\n".join(stored)
    # The crawl found the forms readers and moderators use most, so it finds new ones too.
    assert EXPECTED_FORMS <= covered, EXPECTED_FORMS - covered
    assert sent > 300
