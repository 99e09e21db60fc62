"""The story page's data: the story and everything its page shows, in three small queries.

Equivalent to ``Article.objects.published().with_related_data()`` plus the rating summary,
for one story, but run as compiled queries (see ``compiled``): the story page is the one
page rendered fresh for every story in the archive, and building these querysets cost more
than running them. The story comes back as Django would load it: section, lead photo and
rating summary in place, ``bylines`` and ``tags`` prefetched.
"""

from datetime import datetime

from django.db import DEFAULT_DB_ALIAS
from taggit.models import Tag

from .compiled import columns, compiled, fields, split_row
from .models import Article, Author, Byline, Photo, Section, TaggedArticle

SUMMARY = Article._meta.get_field("rating_summary")  # from the ratings app


# The joined rows of a story: (relation, model, columns), the story itself first.
STORY_PARTS = [
    ("", Article, fields(Article, leave_out={"search_vector"})),
    ("section", Section, fields(Section)),
    ("lead_photo", Photo, fields(Photo)),
    (SUMMARY.name, SUMMARY.related_model, fields(SUMMARY.related_model)),
]
BYLINE_PARTS = [("", Byline, fields(Byline)), ("author", Author, fields(Author))]
TAG_FIELDS = fields(Tag)


@compiled(slug=str, now=datetime)
def _story(slug, now):
    return Article.objects.published(now).filter(slug=slug).values_list(*columns(STORY_PARTS))


@compiled(article_id=int)
def _bylines(article_id):
    return Byline.objects.filter(article_id=article_id).values_list(*columns(BYLINE_PARTS))


@compiled(article_id=int)
def _tags(article_id):
    related = f"{TaggedArticle.tag_relname()}__content_object_id"
    return Tag.objects.filter(**{related: article_id}).values_list(*TAG_FIELDS)


def _prefetched(instance, name, objects):
    """Store ``objects`` as ``instance.<name>.all()``, as ``prefetch_related`` would."""
    queryset = getattr(instance, name).get_queryset()  # lazy: nothing is run
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def published_story(slug, now):
    """The published story at ``slug``, ready for its page, or None."""
    rows = _story.rows(slug=slug, now=now)
    if not rows:
        return None
    story, section, photo, summary = split_row(rows[0], STORY_PARTS)
    story.section = section
    story.lead_photo = photo
    SUMMARY.set_cached_value(story, summary)  # None when nobody has voted yet
    bylines = []
    for row in _bylines.rows(article_id=story.pk):
        byline, byline.author = split_row(row, BYLINE_PARTS)
        bylines.append(byline)
    _prefetched(story, "bylines", bylines)
    tags = _tags.rows(article_id=story.pk)
    _prefetched(story, "tags", [Tag.from_db(DEFAULT_DB_ALIAS, TAG_FIELDS, row) for row in tags])
    return story
