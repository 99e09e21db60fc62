"""``/api/v1/``: the public API (mounted in newsroom/urls.py, outside the language prefix:
the language is a filter here, ``?language=fr-ca``, not part of the address)."""

from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"


class SchemaView(SpectacularAPIView):
    # JSON by default (?format=yaml for YAML); never chosen by Accept (api.negotiation).
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]

    @property
    def default_response_headers(self):
        headers = super().default_response_headers
        headers.pop("Vary", None)
        return headers


urlpatterns = [
    path("stories/", views.StoryList.as_view(), name="story-list"),
    path("stories/<int:pk>/", views.StoryDetail.as_view(), name="story-detail"),
    path("stories/by-slug/<slug:slug>/", views.StoryBySlug.as_view(), name="story-by-slug"),
    path("sections/", views.SectionList.as_view(), name="section-list"),
    path("tags/", views.TagList.as_view(), name="tag-list"),
    path("authors/", views.AuthorList.as_view(), name="author-list"),
    path("search/", views.Search.as_view(), name="search"),
    path("schema/", SchemaView.as_view(), name="schema"),
]
