"""The readers' live addresses, under the story's own (``story/<slug>/live/…``, French
``article/<slug>/direct/…``), so nginx's micro-cache location for story pages covers them."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "live"

urlpatterns = [
    path(
        pgettext_lazy("address", "story/<slug:slug>/live/updates/"),
        views.updates,
        name="updates",
    ),
    path(pgettext_lazy("address", "story/<slug:slug>/live/"), views.older, name="page"),
    path(
        pgettext_lazy("address", "story/<slug:slug>/live/<int:entry_id>/"),
        views.entry,
        name="entry",
    ),
    path(
        pgettext_lazy("address", "story/<slug:slug>/live/feed/"),
        views.EntriesFeed(),
        name="feed",
    ),
]
