from django.urls import path, register_converter

from . import feeds, views


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

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("story/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<tagslug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("search/", views.search, name="search"),
    path("feeds/latest/rss/", feeds.LatestStoriesFeed(), name="feed-latest-rss"),
    path("feeds/latest/atom/", feeds.LatestStoriesFeed(atom=True), name="feed-latest-atom"),
    path("feeds/section/<slug:slug>/rss/", feeds.SectionFeed(), name="feed-section-rss"),
    path("feeds/section/<slug:slug>/atom/", feeds.SectionFeed(atom=True), name="feed-section-atom"),
    path("feeds/tag/<tagslug:slug>/rss/", feeds.TagFeed(), name="feed-tag-rss"),
    path("feeds/tag/<tagslug:slug>/atom/", feeds.TagFeed(atom=True), name="feed-tag-atom"),
    path("feeds/author/<slug:slug>/rss/", feeds.AuthorFeed(), name="feed-author-rss"),
    path("feeds/author/<slug:slug>/atom/", feeds.AuthorFeed(atom=True), name="feed-author-atom"),
    # Last: About, Contact… at /about/, /contact/ (any other one-word address is a 404).
    path("<slug:slug>/", views.info_page, name="page"),
]
