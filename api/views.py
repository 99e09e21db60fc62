"""The API's views: each picks a published queryset, a serializer and a response.

Read-only (GET and HEAD). Caching, ETags, 304s and the CDN's headers come from the project's
page cache and ``ConditionalGetMiddleware``, as for the pages (``api.cached_answers``);
who may read and how often from ``api.access``.
"""

from django.http import Http404
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from articles import languages
from articles.search import clean_query

from . import ninjs, queries
from .addresses import page_url
from .pagination import IdCursor, SlugCursor, StoryCursor
from .serializers import (
    AuthorSerializer,
    RetractedSerializer,
    SectionSerializer,
    StoryDetailSerializer,
    StorySerializer,
    TagSerializer,
)

LANGUAGE = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    enum=["en-ca", "fr-ca"],
    description="Only content in this language (en and fr are accepted too).",
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "ninjs"],
    description="json (the default) or ninjs: IPTC ninjs 2.0 objects.",
)


class ApiView(generics.GenericAPIView):
    """What every API view shares: read-only, JSON, one representation per address."""

    http_method_names = ["get", "head", "options"]
    renderer_classes = [JSONRenderer]

    @property
    def default_response_headers(self):
        headers = super().default_response_headers
        # The format comes from the address (api.negotiation): nothing varies on Accept.
        headers.pop("Vary", None)
        return headers

    def language(self):
        return queries.language_param(self.request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # The content's language, not the interface's (the site's middleware would say en-ca).
        try:
            language = self.language()
        except ValidationError:
            language = None
        codes = [language] if language else languages.CODES
        response["Content-Language"] = ", ".join(languages.tag(code) for code in codes)
        return response

    def wants_ninjs(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == ninjs.NinjsRenderer.format


class StoryView(ApiView):
    renderer_classes = [JSONRenderer, ninjs.NinjsRenderer]
    full = False

    def represent(self, stories):
        if self.wants_ninjs():
            return [ninjs.story(story, full=self.full) for story in stories]
        serializer = StoryDetailSerializer if self.full else StorySerializer
        return serializer(stories, many=True, context=self.get_serializer_context()).data


@extend_schema_view(
    get=extend_schema(
        summary="Published stories, newest first",
        parameters=[
            LANGUAGE,
            FORMAT,
            OpenApiParameter("section", OpenApiTypes.STR, description="A section's slug."),
            OpenApiParameter("tag", OpenApiTypes.STR, description="A tag's slug."),
            OpenApiParameter("author", OpenApiTypes.STR, description="An author's slug."),
        ],
    )
)
class StoryList(StoryView, generics.ListAPIView):
    serializer_class = StorySerializer
    pagination_class = StoryCursor

    def get_queryset(self):
        params = self.request.query_params
        return queries.stories(
            language=self.language(),
            section=params.get("section"),
            tag=params.get("tag"),
            author=params.get("author"),
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.represent(page))


class StoryDetailBase(StoryView, generics.RetrieveAPIView):
    serializer_class = StoryDetailSerializer
    full = True

    def lookup(self):
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs):
        lookup = self.lookup()
        story = queries.published_story(**lookup)
        if story is None:
            retracted = queries.retracted_story(**lookup)
            if retracted is None:
                raise Http404(_("No published story has this address."))
            return retraction(retracted)
        response = Response(self.represent([story])[0])
        response["Last-Modified"] = http_date(story.updated_at.timestamp())
        return response


def retraction(story):
    """410 Gone, as the story's page: the headline, when and why; never the text."""
    data = {
        "id": story.pk,
        "status": "retracted",
        "headline": story.headline,
        "url": page_url(story),
        "published_at": story.publish_at,
        "retracted_at": story.retracted_at,
        "retraction_note": story.retraction_note,
    }
    return Response(RetractedSerializer(data).data, status=status.HTTP_410_GONE)


@extend_schema_view(
    get=extend_schema(
        summary="One published story, by its id",
        parameters=[FORMAT],
        responses={200: StoryDetailSerializer, 404: None, 410: RetractedSerializer},
    )
)
class StoryDetail(StoryDetailBase):
    def lookup(self):
        return {"pk": self.kwargs["pk"]}


@extend_schema_view(
    get=extend_schema(
        summary="One published story, by its address's slug",
        parameters=[
            OpenApiParameter(
                "language",
                OpenApiTypes.STR,
                enum=["en-ca", "fr-ca"],
                description="The story's language (slugs are per language); en-ca by default.",
            ),
            FORMAT,
        ],
        responses={200: StoryDetailSerializer, 404: None, 410: RetractedSerializer},
    )
)
class StoryBySlug(StoryDetailBase):
    def lookup(self):
        return {"language": self.language() or languages.DEFAULT, "slug": self.kwargs["slug"]}


@extend_schema_view(get=extend_schema(summary="Sections readers may open", parameters=[LANGUAGE]))
class SectionList(ApiView, generics.ListAPIView):
    serializer_class = SectionSerializer
    pagination_class = IdCursor

    def get_queryset(self):
        return queries.sections(self.language())


@extend_schema_view(get=extend_schema(summary="Tags of published stories", parameters=[LANGUAGE]))
class TagList(ApiView, generics.ListAPIView):
    serializer_class = TagSerializer
    pagination_class = SlugCursor

    def get_queryset(self):
        return queries.tags(self.language())


@extend_schema_view(
    get=extend_schema(summary="Authors of published stories", parameters=[LANGUAGE])
)
class AuthorList(ApiView, generics.ListAPIView):
    serializer_class = AuthorSerializer
    pagination_class = SlugCursor

    def get_queryset(self):
        return queries.authors(self.language())


class SearchPages(PageNumberPagination):
    """Results come best first, by relevance: no column to put a cursor on, so page numbers."""

    def get_page_size(self, request):
        from django.conf import settings

        return settings.API_PAGE_SIZE


@extend_schema_view(
    get=extend_schema(
        summary="Search published stories",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="What to look for."),
            OpenApiParameter(
                "language",
                OpenApiTypes.STR,
                enum=["en-ca", "fr-ca"],
                description="The stories' language, with its own stemming; en-ca by default.",
            ),
            FORMAT,
        ],
    )
)
class Search(StoryList):
    pagination_class = SearchPages

    def get_queryset(self):
        query = clean_query(self.request.query_params.get("q", ""))
        if not query.is_searchable:
            raise ValidationError({"q": _("Say what to look for, for example ?q=wildfire.")})
        return queries.search(query, self.language() or languages.DEFAULT)
