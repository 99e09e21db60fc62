"""Sitemaps for search engines: stories, sections, tags, authors and Google News.

Every location is on the canonical origin (``settings.SITE_URL``, or the request's address
when it is unset: ``newsroom.siteurl``), and every list starts from
``Article.objects.published()``.

Each language has its own sitemaps, at its own addresses (``/sitemap.xml`` English,
``/fr/sitemap.xml`` French), listing that language's pages; a story or section with a
published counterpart lists it as ``<xhtml:link rel="alternate" hreflang>`` (both ways,
with ``x-default`` on the English page), as its page's ``<head>`` does.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max, OuterRef, Q, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from taggit.models import Tag

from newsroom.siteurl import site_url

from . import languages
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


def _hreflang_links(pages):
    """``[{lang_code, location}, …]`` for a page whose versions are ``{language: page}``:
    every language and ``x-default`` (English), or nothing when the page is alone."""
    if len(pages) < 2:
        return []
    links = [
        {"lang_code": languages.tag(code), "location": absolute_url(pages[code].get_absolute_url())}
        for code in languages.CODES
        if code in pages
    ]
    if languages.DEFAULT in pages:
        default = absolute_url(pages[languages.DEFAULT].get_absolute_url())
        links.append({"lang_code": "x-default", "location": default})
    return links


def _with_alternates(urls, model, visible):
    """Fill each url's ``alternates`` from its item's translation group, in one query for
    the whole sitemap page (``visible``: the counterparts readers may see)."""
    roots = {url["item"].translation_of_id or url["item"].pk for url in urls}
    if not roots:
        return urls
    groups = {}
    for page in visible.filter(Q(pk__in=roots) | Q(translation_of_id__in=roots)):
        groups.setdefault(page.translation_of_id or page.pk, {})[page.language] = page
    for url in urls:
        item = url["item"]
        pages = dict(groups.get(item.translation_of_id or item.pk, {}))
        pages[item.language] = item
        url["alternates"] = _hreflang_links(pages)
    return urls


class StorySitemap(CanonicalSitemap):
    limit = 10_000

    def stories(self):
        return Article.objects.published().in_language(languages.current())

    def items(self):
        return (
            self.stories()
            .only("slug", "language", "translation_of_id", "publish_at", "revised_at")
            .order_by("-publish_at", "-pk")
        )

    def lastmod(self, article):
        return modified_at(article)

    def get_latest_lastmod(self):
        times = self.stories().aggregate(Max("publish_at"), Max("revised_at"))
        return max(filter(None, times.values()), default=None)

    def get_urls(self, *args, **kwargs):
        visible = Article.objects.published().only("slug", "language", "translation_of_id")
        return _with_alternates(super().get_urls(*args, **kwargs), Article, visible)


def _newest_story_time(**match):
    """Publish time of the newest published story matching ``match`` (with an OuterRef)."""
    newest = (
        Article.objects.published()
        .in_language(languages.current())
        .filter(**match)
        .order_by("-publish_at")
    )
    return Subquery(newest.values("publish_at")[:1])


class SectionSitemap(CanonicalSitemap):
    def items(self):
        # One small indexed look-up per section (there are a dozen), not a join of all stories.
        return (
            Section.objects.filter(language=languages.current())
            .annotate(latest=_newest_story_time(section=OuterRef("pk")))
            .filter(latest__isnull=False)
            .order_by("position", "name")
        )

    def lastmod(self, section):
        return section.latest

    def get_urls(self, *args, **kwargs):
        return _with_alternates(
            super().get_urls(*args, **kwargs), Section, Section.objects.public()
        )

    def get_latest_lastmod(self):
        return StorySitemap().get_latest_lastmod()


class TagSitemap(CanonicalSitemap):
    limit = 10_000

    def items(self):
        # Filter and Max share one join: the newest *published* story with each tag.
        return (
            Tag.objects.filter(
                articles_taggedarticle_items__content_object__in=Article.objects.published().in_language(
                    languages.current()
                )
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
            self.stories()
            .filter(publish_at__gte=since)
            .only("slug", "language", "headline", "publish_at", "revised_at")
            .order_by("-publish_at", "-pk")
        )

    def get_latest_lastmod(self):
        times = self.items().aggregate(Max("publish_at"), Max("revised_at"))
        return max(filter(None, times.values()), default=None)

    def get_urls(self, *args, **kwargs):
        urls = CanonicalSitemap.get_urls(self, *args, **kwargs)
        for url in urls:
            # Google News wants ISO 639 codes: "en", "fr" (each story's own language).
            url["publication"] = {"name": settings.SITE_NAME, "language": url["item"].language}
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
    """Crawl everything public; skip the admin and search results; here are the sitemaps.

    The French search and sitemaps are listed once the site publishes in French, so an
    English-only site's robots.txt reads as it always did.
    """
    french = Article.objects.published().in_language(languages.FRENCH).exists()
    context = {"site_url": site_url(), "french": french}
    if french:
        with translation.override(languages.django_code(languages.FRENCH)):
            context["french_search"] = reverse("articles:search")
            context["french_sitemaps"] = [reverse("sitemap-index"), reverse("sitemap-news")]
    return TemplateResponse(request, "robots.txt", context, content_type="text/plain")
