"""Input no database row can match is "not found", not a server error.

URL parts captured as integers reach the database as they are, and the database refuses those
it cannot store: SQLite raises OverflowError beyond 64 bits, PostgreSQL a DataError. Row ids
start at 1, so an id of 0 names nothing either (some of Wagtail's views take 0 for "none"),
and no name, slug or token holds a NUL character (PostgreSQL refuses to compare one).

Views installed from packages (Wagtail's admin, Django's admin, django-otp) sometimes let a
refused value or a missing row escape as an exception; we cannot fix them at their root, so
for them, and only them, those exceptions answer 404. Our own views must check their input:
the walking test in core/tests/security/test_no_server_errors.py keeps them honest.
"""

import functools
import importlib.util
import sysconfig
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import IntegerField
from django.db.models.lookups import In
from django.http import Http404
from django.utils.functional import cached_property

LARGEST_ID = 2**63 - 1  # a signed 64-bit integer: PostgreSQL's bigint, SQLite's INTEGER


def impossible_id(name, value):
    """True for a URL part that no row can hold: an integer beyond 64 bits, or an id below 1."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    if not -LARGEST_ID - 1 <= value <= LARGEST_ID:
        return True
    return value < 1 and (name == "pk" or name == "id" or name.endswith(("_id", "_pk")))


def id_from(value):
    """The row id a request parameter names, or None: ASCII digits only, from 1 to LARGEST_ID.
    (str.isdigit() also says yes to "²" and other digits int() refuses.)"""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 1 <= number <= LARGEST_ID else None


class IntegerFieldIn(In):
    """`in` on an integer column leaves out the values the column cannot hold, as Django's own
    exact and comparison lookups do, instead of letting the database refuse the whole query
    (SQLite raises OverflowError beyond 64 bits)."""

    def as_sql(self, compiler, connection):
        if self.rhs_is_direct_value():
            try:
                low, high = connection.ops.integer_field_range(
                    self.lhs.output_field.get_internal_type()
                )
            except KeyError:  # an integer type the backend does not know: no range to apply
                return super().as_sql(compiler, connection)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().as_sql(compiler, connection)


def register_lookups():
    IntegerField.register_lookup(IntegerFieldIn)


class ShortSearchMixin:
    """For a Wagtail admin listing: search with the first 200 characters of the query (SQLite
    refuses LIKE patterns of 50,000 bytes and more; nobody types 200 characters to search)."""

    @cached_property
    def search_query(self):
        return super().search_query[:200]


@functools.cache
def _installed_package(top_level):
    """True for a top-level module installed from a package (site-packages), not ours."""
    spec = importlib.util.find_spec(top_level)
    origin = (spec.origin or "") if spec else ""
    if not origin or origin in ("built-in", "frozen"):
        return True
    where = Path(origin).resolve()
    libraries = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    return any(where.is_relative_to(library) for library in libraries)


def _view_module(view):
    view = getattr(view, "view_class", view)
    module = getattr(view, "__module__", None) or type(view).__module__
    return module or ""


def module_is_installed(name):
    """True for a module installed from a package (site-packages), False for this repository's."""
    return _installed_package(name.partition(".")[0])


def view_is_installed(view):
    return module_is_installed(_view_module(view))


def _refused_by_a_field(exception):
    """A ValueError/TypeError raised while a model field converted a value for a query."""
    traceback = exception.__traceback__
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    if traceback is None:
        return False
    frame = traceback.tb_frame
    return frame.f_globals.get("__name__", "").startswith("django.db.models.fields") and (
        frame.f_code.co_name in ("get_prep_value", "to_python", "get_db_prep_value")
    )


class RefuseImpossibleIdsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        named = list(view_kwargs.items()) + [("", value) for value in view_args]
        if any(impossible_id(name, value) for name, value in named):
            raise Http404("No such item.")
        # No name, slug or token holds a NUL, and PostgreSQL refuses to compare one.
        if any(isinstance(value, str) and "\x00" in value for _, value in named):
            raise Http404("No such item.")
        return None

    def process_exception(self, request, exception):
        match = getattr(request, "resolver_match", None)
        if match is None or not view_is_installed(match.func):
            return None
        if isinstance(exception, ObjectDoesNotExist | ValidationError | OverflowError) or (
            isinstance(exception, ValueError | TypeError) and _refused_by_a_field(exception)
        ):
            raise Http404("No such item.") from exception
        return None
