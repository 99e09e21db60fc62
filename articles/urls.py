"""The readers' addresses, in both languages.

One list, mounted by ``newsroom.urls`` under a language prefix: none for English (the
addresses it always had), ``/fr/`` for French. The words of each route are translated
through the catalogue (``gettext_lazy``), so ``story/<slug>/`` is ``article/<slug>/`` in
French and ``reverse()`` builds the address of the active language
(docs/architecture/languages.md).
"""

from django.urls import path, register_converter
from django.utils.translation import pgettext_lazy

from . import feeds, record_views, views


class TagSlugConverter:
    """A tag's slug: django-taggit keeps accented letters in slugs ("montréal", "québec"),
    which Django's ``slug`` converter (ASCII only) would refuse to build a link to."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TagSlugConverter, "tagslug")


app_name = "articles"

# Each route's words are translated in the catalogue under the context "address" (the French
# words of the French site's addresses); translators keep each <…> as it is.

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        pgettext_lazy("address", "story/<slug:slug>/"),
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path(
        pgettext_lazy("address", "story/<slug:slug>/history/"),
        record_views.history,
        name="history",
    ),
    path(pgettext_lazy("address", "feeds/"), views.feeds_page, name="feeds"),
    path(record_views.CORRECTIONS_ROUTE, record_views.corrections, name="corrections"),
    path(
        pgettext_lazy("address", "feeds/corrections/rss/"),
        feeds.CorrectionsFeed(),
        name="feed-corrections-rss",
    ),
    path(
        pgettext_lazy("address", "feeds/corrections/atom/"),
        feeds.CorrectionsFeed(atom=True),
        name="feed-corrections-atom",
    ),
    path(
        pgettext_lazy("address", "section/<slug:slug>/"),
        views.SectionView.as_view(),
        name="section",
    ),
    path(pgettext_lazy("address", "tag/<tagslug:slug>/"), views.TagView.as_view(), name="tag"),
    path(
        pgettext_lazy("address", "author/<slug:slug>/"), views.AuthorView.as_view(), name="author"
    ),
    path(pgettext_lazy("address", "search/"), views.search, name="search"),
    path(
        pgettext_lazy("address", "feeds/latest/rss/"),
        feeds.LatestStoriesFeed(),
        name="feed-latest-rss",
    ),
    path(
        pgettext_lazy("address", "feeds/latest/atom/"),
        feeds.LatestStoriesFeed(atom=True),
        name="feed-latest-atom",
    ),
    path(
        pgettext_lazy("address", "feeds/section/<slug:slug>/rss/"),
        feeds.SectionFeed(),
        name="feed-section-rss",
    ),
    path(
        pgettext_lazy("address", "feeds/section/<slug:slug>/atom/"),
        feeds.SectionFeed(atom=True),
        name="feed-section-atom",
    ),
    path(
        pgettext_lazy("address", "feeds/tag/<tagslug:slug>/rss/"),
        feeds.TagFeed(),
        name="feed-tag-rss",
    ),
    path(
        pgettext_lazy("address", "feeds/tag/<tagslug:slug>/atom/"),
        feeds.TagFeed(atom=True),
        name="feed-tag-atom",
    ),
    path(
        pgettext_lazy("address", "feeds/author/<slug:slug>/rss/"),
        feeds.AuthorFeed(),
        name="feed-author-rss",
    ),
    path(
        pgettext_lazy("address", "feeds/author/<slug:slug>/atom/"),
        feeds.AuthorFeed(atom=True),
        name="feed-author-atom",
    ),
    # Last: About, Contact… at /about/, /contact/ (any other one-word address is a 404).
    path("<slug:slug>/", views.info_page, name="page"),
]
