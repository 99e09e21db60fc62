"""The page-time query: the stories to show under one story. The only part of the related
engine that web processes import (no numpy)."""

from django.utils import timezone

from .. import page_sql
from .conf import config


def _shown(count):
    conf = config()
    return min(count or conf["COUNT"], conf["MAX_COUNT"])


def related_query(count=None):
    """``(limit, min_score)`` of the related query for ``count`` stories (``story_page``
    runs it together with the story's own queries)."""
    # Twice the count: room to drop repeated headlines.
    return _shown(count) * 2, config()["MIN_SCORE"]


def related_for(article, count=None):
    """The stories to show under ``article``, pins first: one query, whatever the archive size.

    Returns an empty list when fewer than ``MIN_SHOWN`` stories qualify, so the page hides the
    block rather than pad it with weak matches (editors' pins count as qualifying). The stories
    carry what a card shows (headline, slug, excerpt, lead photo); other fields load on demand.
    The query itself is SQL in ``articles.page_sql`` (the story page's hot path); the story
    page loads it with the story (``page_related_cards``) rather than on its own.
    """
    conf = config()
    count = _shown(count)
    # The story page loaded the default list with the story; any other count is its own query.
    stories = article.page_related_cards if count == conf["COUNT"] else None
    if stories is None:
        # Only stories in the story's own language (the page's).
        limit, min_score = related_query(count)
        stories = page_sql.related_cards(
            article.pk, timezone.now(), limit, min_score, article.language
        )
    stories = _distinct_headlines(article, stories)[:count]
    return stories if len(stories) >= conf["MIN_SHOWN"] else []


def _headline_key(headline):
    return " ".join(headline.casefold().split())


def _distinct_headlines(article, stories):
    """Drop stories whose headline repeats the story's own or one already listed.

    Two stories under the same headline read as the same news to a reader, even when their
    texts differ enough to pass the near-duplicate test. Editors' pins are always kept.
    """
    seen = {_headline_key(article.headline)}
    kept = []
    for story in stories:
        key = _headline_key(story.headline)
        if key in seen and story.pin_position is None:
            continue
        seen.add(key)
        kept.append(story)
    return kept
