"""A database outage answers 503 "try again", never a 500 "we broke".

When PostgreSQL restarts or fails over, requests in flight raise ``OperationalError`` or
``InterfaceError``. That is a temporary condition the client can retry, so it gets 503
with ``Retry-After``: a plain page (rendered without the database, no context
processors) or JSON for API callers such as the vote endpoint. Anything else still goes to
the ordinary 500 page.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def wants_json(request):
    accept = request.headers.get("Accept", "")
    return (
        "application/json" in accept
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or request.content_type == "application/json"
    )


def service_unavailable(request):
    if wants_json(request):
        response = JsonResponse(
            {"error": _("The site is briefly unavailable. Please try again in a few seconds.")},
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Turn database errors raised by a view (or its template) into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return service_unavailable(request)
        return None


def server_error(request):
    """``handler500``: database errors raised outside a view (middleware) are 503 too."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    return defaults.server_error(request)
