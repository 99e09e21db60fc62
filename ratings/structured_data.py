"""schema.org data about a story's ratings, for the NewsArticle JSON-LD."""

from .models import RatingSummary


def aggregate_rating(article):
    """The story's ``AggregateRating`` as a dict, or None when nobody has voted.

    ``ratingValue`` is the same one-decimal average the page shows, so search engines and
    readers see the same number.
    """
    try:
        summary = article.rating_summary
    except RatingSummary.DoesNotExist:
        return None
    if not summary.vote_count:
        return None
    return {
        "@type": "AggregateRating",
        "ratingValue": float(summary.rounded_average),
        "ratingCount": summary.vote_count,
        "bestRating": 5,
        "worstRating": 1,
    }


def news_article_data(article):
    """Ratings' part of the story's NewsArticle (``articles.structured_data``)."""
    return {"aggregateRating": aggregate_rating(article)}
