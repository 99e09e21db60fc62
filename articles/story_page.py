"""The story page's data: the story and everything its page shows, in three small queries.

Equivalent to ``Article.objects.published().with_related_data()`` plus the rating summary,
for one story, but run as plain SQL (``page_sql``): the story page is the one page rendered
fresh for every story in the archive, and building these querysets cost more than running
them. The story comes back with section, lead photo and rating summary in place, and its
bylines and tags in ``page_bylines`` and ``page_tags`` (read through
``Article.byline_authors()`` and ``Article.tag_list()``).
"""

from . import page_sql
from .models import Article

SUMMARY = Article._meta.get_field("rating_summary")  # from the ratings app


def published_story(slug, now):
    """The published story at ``slug``, ready for its page, or None."""
    found = page_sql.story(slug, now)
    if found is None:
        return None
    story, story.section, story.lead_photo, summary = found
    SUMMARY.set_cached_value(story, summary)  # None when nobody has voted yet
    story.page_bylines = page_sql.bylines(story.pk)
    story.page_tags = page_sql.tags(story.pk)
    return story
