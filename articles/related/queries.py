"""The page-time query: the stories to show under one story. The only part of the related
engine that web processes import (no numpy)."""

import functools
from datetime import datetime

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from ..compiled import CompiledQuery, columns, fields, split_row
from ..models import Article, Photo, RelatedArticle, RelatedExclusion, RelatedPin
from .conf import config


def related_for(article, count=None):
    """The stories to show under ``article``, pins first: one query, whatever the archive size.

    Returns an empty list when fewer than ``MIN_SHOWN`` stories qualify, so the page hides the
    block rather than pad it with weak matches (editors' pins count as qualifying). The stories
    carry what a card shows (headline, slug, excerpt, lead photo); other fields load on demand.
    """
    conf = config()
    count = min(count or conf["COUNT"], conf["MAX_COUNT"])
    query = _page_query(count * 2, conf["MIN_SCORE"])  # room to drop repeated headlines
    stories = []
    for row in query.rows(article_id=article.pk, now=timezone.now()):
        story, story.lead_photo = split_row(row, _CARD_PARTS)
        story.pin_position = row[-1]
        stories.append(story)
    stories = _distinct_headlines(article, stories)[:count]
    return stories if len(stories) >= conf["MIN_SHOWN"] else []


# What a related-story card shows: a few columns of the story, and its lead photo (with its
# width and height: ``ImageField`` reads them whenever a photo is loaded).
_CARD_PARTS = [
    ("", Article, fields(Article, only={"id", "headline", "slug", "excerpt", "lead_photo_id"})),
    ("lead_photo", Photo, fields(Photo, only={"id", "image", "width", "height", "renditions"})),
]


@functools.lru_cache(maxsize=32)
def _page_query(limit, min_score):
    """The page-time query for one list length and minimum score, compiled once."""
    build = functools.partial(_related_queryset, limit=limit, min_score=min_score)
    return CompiledQuery(build, article_id=int, now=datetime)


def _related_queryset(article_id, now, limit, min_score):
    """Pins and the stored list, best first, as ``values_list`` rows of ``_CARD_PARTS``."""
    pins = RelatedPin.objects.filter(article_id=article_id)
    stored = RelatedArticle.objects.filter(article_id=article_id, score__gte=min_score)
    excluded = RelatedExclusion.objects.filter(article_id=article_id).values("related_id")
    return (
        Article.objects.published(now)
        # One IN over a UNION, not two INs joined by OR: PostgreSQL turns the OR into a scan
        # of every story, the UNION into a few index lookups.
        .filter(
            pk__in=pins.order_by()
            .values("related_id")
            .union(stored.order_by().values("related_id"))
        )
        .exclude(pk=article_id)
        .exclude(pk__in=excluded)
        .annotate(
            pin_position=Subquery(pins.filter(related_id=OuterRef("pk")).values("position")[:1]),
            related_score=Subquery(stored.filter(related_id=OuterRef("pk")).values("score")[:1]),
        )
        .order_by(
            F("pin_position").asc(nulls_last=True),
            F("related_score").desc(nulls_last=True),
            "-publish_at",
            "-pk",
        )
        .values_list(*columns(_CARD_PARTS), "pin_position")[:limit]
    )


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
