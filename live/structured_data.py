"""The live story's schema.org data: a ``LiveBlogPosting`` (a kind of NewsArticle for
search engines) with its ``liveBlogUpdate`` entries and coverage times, contributed to the
story's JSON-LD through ``articles.structured_data.register_news_article_data``."""

from django.conf import settings
from django.utils import timezone

from articles.sanitize import html_to_text
from articles.structured_data import absolute_url

from . import pages
from .page_helpers import permalink


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def live_blog_data(article):
    coverage = pages.coverage_of(article)
    if coverage is None:
        return {}
    entries = pages.first_page(coverage)
    return {
        "@type": "LiveBlogPosting",
        "coverageStartTime": _iso(coverage.started_at),
        "coverageEndTime": _iso(coverage.ended_at),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": entry.summary[:110],
                "articleBody": html_to_text(entry.body),
                "datePublished": _iso(entry.posted_at),
                "dateModified": _iso(entry.updated_at or entry.posted_at),
                "url": absolute_url(permalink(article, entry)),
                **(
                    {"author": [{"@type": "Person", "name": a.name} for a in entry.authors.all()]}
                    if entry.authors.all()
                    else {}
                ),
            }
            for entry in entries[: settings.LIVE_PAGE_SIZE]
        ],
    }
