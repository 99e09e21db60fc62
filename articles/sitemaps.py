"""Sitemaps for search engines: stories, sections, tags, authors and Google News.

Every location is on the canonical origin (``settings.SITE_URL``, or the request's address
when it is unset: ``newsroom.siteurl``), and every list starts from
``Article.objects.published()``.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max, OuterRef, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from newsroom.siteurl import site_url

from .models import Article, Author, Section
from .structured_data import absolute_url, modified_at

# Google News reads stories published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class CanonicalSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(site_url()).scheme

    def get_domain(self, site=None):
        return urlsplit(site_url()).netloc


class StorySitemap(CanonicalSitemap):
    limit = 10_000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "publish_at", "revised_at")
            .order_by("-publish_at", "-pk")
        )

    def lastmod(self, article):
        return modified_at(article)

    def get_latest_lastmod(self):
        times = Article.objects.published().aggregate(Max("publish_at"), Max("revised_at"))
        return max(filter(None, times.values()), default=None)


def _newest_story_time(**match):
    """Publish time of the newest published story matching ``match`` (with an OuterRef)."""
    newest = Article.objects.published().filter(**match).order_by("-publish_at")
    return Subquery(newest.values("publish_at")[:1])


class SectionSitemap(CanonicalSitemap):
    def items(self):
        # One small indexed look-up per section (there are a dozen), not a join of all stories.
        return (
            Section.objects.annotate(latest=_newest_story_time(section=OuterRef("pk")))
            .filter(latest__isnull=False)
            .order_by("position", "name")
        )

    def lastmod(self, section):
        return section.latest

    def get_latest_lastmod(self):
        return StorySitemap().get_latest_lastmod()


class TagSitemap(CanonicalSitemap):
    limit = 10_000

    def items(self):
        # Filter and Max share one join: the newest *published* story with each tag.
        return (
            Tag.objects.filter(
                articles_taggedarticle_items__content_object__in=Article.objects.published()
            )
            .annotate(latest=Max("articles_taggedarticle_items__content_object__publish_at"))
            .order_by("name")
        )

    def location(self, tag):
        return reverse("articles:tag", args=[tag.slug])

    def lastmod(self, tag):
        return tag.latest

    def get_latest_lastmod(self):
        return StorySitemap().get_latest_lastmod()


class AuthorSitemap(CanonicalSitemap):
    def items(self):
        return (
            Author.objects.annotate(latest=_newest_story_time(bylines__author=OuterRef("pk")))
            .filter(latest__isnull=False)
            .order_by("name")
        )

    def lastmod(self, author):
        return author.latest

    def get_latest_lastmod(self):
        return StorySitemap().get_latest_lastmod()


class NewsSitemap(StorySitemap):
    """Stories of the last two days with Google News' <news:news> details (see the template)."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(publish_at__gte=since)
            .only("slug", "headline", "publish_at", "revised_at")
            .order_by("-publish_at", "-pk")
        )

    def get_latest_lastmod(self):
        times = self.items().aggregate(Max("publish_at"), Max("revised_at"))
        return max(filter(None, times.values()), default=None)

    def get_urls(self, *args, **kwargs):
        publication = {"name": settings.SITE_NAME, "language": settings.SITE_LANGUAGE}
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["publication"] = publication
        return urls


SITEMAPS = {
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}
# Not cached here: the page cache (newsroom/pagecache.py) keeps every sitemap response and
# drops it when a story changes, like the pages, so an unpublished story leaves at once.
sitemap = sitemap_views.sitemap


def index(request):
    """The sitemap index: every page of every sitemap, plus the Google News one."""
    entries = []
    for name, sitemap_class in [*SITEMAPS.items(), *NEWS_SITEMAPS.items()]:
        sitemap = sitemap_class()
        url_name = "sitemap-news" if name in NEWS_SITEMAPS else "sitemap-section"
        kwargs = {} if name in NEWS_SITEMAPS else {"section": name}
        url = absolute_url(reverse(url_name, kwargs=kwargs))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{url}?p={page}", lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def robots_txt(request):
    """Crawl everything public; skip the admin and search results; here are the sitemaps."""
    return TemplateResponse(
        request, "robots.txt", {"site_url": site_url()}, content_type="text/plain"
    )
