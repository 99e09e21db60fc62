"""Reading numbers and text out of requests without letting bad input reach the database.

PostgreSQL refuses a NUL character in text and an integer past its column's range, and
SQLite refuses integers past 2^63: both end as a 500 unless the value is checked first.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

# The largest id a BigAutoField holds (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1
# The largest value of a PostgreSQL integer column (IntegerField, PositiveIntegerField).
MAX_INT = 2**31 - 1


def positive_int(value, maximum=MAX_ID):
    """``value`` (a query parameter, a form or JSON value) as an int in 1..maximum, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 20:
            return None
        number = int(text)
    return number if 1 <= number <= maximum else None


def without_nul(text):
    """``text`` without NUL characters, which no database column here can hold."""
    return text.replace("\x00", "")


class RejectNulMiddleware:
    """A 400 with a sentence for any query string holding a NUL character.

    No address of the site has one, and passed on it fails deep inside PostgreSQL (admin
    filters and searches, tag suggestions…): refusing it here covers every view at once.
    Form fields are checked by Django's own forms (``ProhibitNullCharactersValidator``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("The address contains a null character, which is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class OutOfRangeFiltersMixin:
    """For a ModelAdmin: a filter value too big for a date or an integer (``?year=10^20``,
    a date in year 9999 moved to UTC) sends the list back to its unfiltered page, the way
    Django already treats a filter it cannot read, instead of a 500.

    Django turns a filter's ValueError into ``IncorrectLookupParameters`` but lets an
    OverflowError through (its date hierarchy and date filters build datetimes from them).
    """

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error
