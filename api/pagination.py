"""Cursor pagination: a partner walking the list never sees a story twice or misses one
when stories are published meanwhile (page numbers shift; a cursor does not)."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class ApiCursor(CursorPagination):
    page_size_query_param = "limit"
    max_page_size = 100

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        return super().get_page_size(request)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            # DRF answers 404; a cursor that is not one of ours is bad input.
            raise ValidationError(
                {"cursor": _("This cursor is not valid: follow the next and previous links.")}
            ) from None


class StoryCursor(ApiCursor):
    # Newest first, as every list of the site; the id breaks ties of the same second.
    ordering = ("-publish_at", "-pk")


class SlugCursor(ApiCursor):
    ordering = "slug"


class IdCursor(ApiCursor):
    ordering = "pk"
