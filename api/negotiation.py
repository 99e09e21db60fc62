"""One representation per address: ``?format=`` chooses it, the ``Accept`` header does not.

The page cache and any cache in front keep one copy per address (path and query). Were
``Accept`` to choose between JSON and ninjs, a cached JSON answer would be handed to a client
that asked for ninjs (or every answer would carry ``Vary: Accept``, which CDNs handle poorly).
So ``?format=ninjs`` it is, and an unknown format is a 400 with a sentence.
"""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.negotiation import BaseContentNegotiation


class UnknownFormat(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "unknown_format"


class FormatParameter(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get("format") or renderers[0].format
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        offered = ", ".join(renderer.format for renderer in renderers)
        raise UnknownFormat(
            _("Unknown format “%(format)s”: this address offers %(offered)s (?format=…).")
            % {"format": wanted[:20], "offered": offered}
        )
