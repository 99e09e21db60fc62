"""The story page's data: the story and everything its page shows, in one round trip.

Equivalent to ``Article.objects.published().with_related_data()`` plus the rating summary,
for one story, but run as plain SQL (``page_sql``): the story page is the one page rendered
fresh for every story in the archive, and building these querysets cost more than running
them. The story comes back with section, lead photo and rating summary in place, and its
bylines, tags and related cards in ``page_bylines``, ``page_tags`` and
``page_related_cards`` (read through ``Article.byline_authors()``, ``Article.tag_list()`` and
``related_for()``).
"""

from . import page_sql
from .models import Article
from .related.queries import related_query

SUMMARY = Article._meta.get_field("rating_summary")  # from the ratings app


def published_story(slug, now, language=None):
    """The published story at ``slug`` in ``language`` (the page's by default), ready for
    its page, or None."""
    limit, min_score = related_query()
    found = page_sql.story_page(slug, now, limit, min_score, language)
    if found is None:
        return None
    story, story.section, story.lead_photo, summary, *lists = found
    SUMMARY.set_cached_value(story, summary)  # None when nobody has voted yet
    story.page_bylines, story.page_tags, story.page_related_cards = lists
    return story


def warm_up():
    """Run the story page's queries once on the newest story (a new worker's first request
    then finds its connection open and its statements known); ``newsroom.warm_up``."""
    from django.utils import timezone

    from .related.queries import related_for

    slug = Article.objects.published().latest_first().values_list("slug", flat=True).first()
    story = published_story(slug, timezone.now()) if slug else None
    if story is not None:
        related_for(story)
