"""The story page's hot queries, written as SQL: the one module of the project that does.

The story page is the one page rendered fresh for every story of the archive, and building
its querysets cost more than running them (the related list: 1.4 ms to build, 0.3 ms to
run). So its four queries are plain SQL run through ``connection.cursor()``, on SQLite and
PostgreSQL alike, with only public Django API around them:

- column lists come from the models (``Model._meta``, Django's documented model API), so a
  column added to a model is read here too;
- every column is selected under a name (``section__name``), and rows are read by those
  names, never by position;
- values are converted as the ORM converts them (``newsroom.sql.converter``) and instances
  are made with ``Model.from_db()``; the runner, the converters and ``Part`` are shared with
  ``ratings.vote_sql`` (``newsroom.sql``), "visible to readers" is ``sql_visibility.live()``;
- join and order columns come from the models too, never written as ``id``.

``story_page()`` sends all four to PostgreSQL in one round trip (the three that need the
story's id find it by its slug in a subquery); waiting for four answers one after the other
cost more than running them. With prepared statements (``DB_PREPARED_STATEMENTS``, the
default) they go together in a psycopg pipeline and each is prepared, so PostgreSQL plans
them once per connection (planning had been most of their time); without, as one string
(``newsroom.sql.result_sets``). SQLite, in the same process, runs them one by one.

``tests/articles/test_page_sql.py`` compares every column of every query with what the ORM
loads, on both databases. Anything that is not on the story page stays a queryset.
"""

from taggit.models import Tag

from newsroom.sql import Part, column, result_sets, rows, table

from .models import (
    Article,
    Author,
    Byline,
    Photo,
    RelatedArticle,
    RelatedExclusion,
    RelatedPin,
    Section,
    TaggedArticle,
)
from .sql_visibility import live

# The rating summary belongs to the ratings app: reached through the relation, not imported.
SUMMARY = Article._meta.get_field("rating_summary").related_model


def pk(model):
    return model._meta.pk.column


# Join and order columns, from the models (public _meta API), as the selected ones are.
A = {
    name: column(Article, name)
    for name in ("slug", "section", "lead_photo", "publish_at", "language", "translation_of")
}
SUMMARY_STORY = column(SUMMARY, "article")
BYLINE_COLUMNS = {name: column(Byline, name) for name in ("article", "author", "position")}
LINKS = {
    model: (column(model, "article"), column(model, "related"))
    for model in (RelatedPin, RelatedArticle, RelatedExclusion)
}


# ---------------------------------------------------------------------------------------
# Columns and conversions


# ---------------------------------------------------------------------------------------
# The story, its section, lead photo and rating summary: one row


STORY = Part(Article, "a", leave_out={"search_vector"})
SECTION = Part(Section, "s", "section")
PHOTO = Part(Photo, "p", "lead_photo")
RATINGS = Part(SUMMARY, "r", "rating_summary")

# The slug of the story's published counterpart in the other language (its original, or its
# translation), for the language switcher and hreflang links: a column of the story's row,
# not a query of its own. (Two languages: at most one counterpart.)
_ID, _OF, _LANG = pk(Article), A["translation_of"], A["language"]
COUNTERPART_SQL = f"""(
  SELECT t.{A["slug"]} FROM {table(Article)} t
  WHERE t.{_ID} <> a.{_ID} AND {live("t")}
    AND (t.{_ID} = a.{_OF} OR t.{_OF} = a.{_ID}
         OR (t.{_OF} = a.{_OF} AND t.{_LANG} <> a.{_LANG}))
  ORDER BY t.{_ID} LIMIT 1
)"""  # noqa: S608 - table and column names from the models; every value is a parameter

STORY_SQL = f"""
SELECT {STORY.select()}, {SECTION.select()}, {PHOTO.select()}, {RATINGS.select()},
       {COUNTERPART_SQL} AS "counterpart_slug"
FROM {table(Article)} a
JOIN {table(Section)} s ON s.{pk(Section)} = a.{A["section"]}
LEFT JOIN {table(Photo)} p ON p.{pk(Photo)} = a.{A["lead_photo"]}
LEFT JOIN {table(SUMMARY)} r ON r.{SUMMARY_STORY} = a.{pk(Article)}
WHERE a.{A["slug"]} = %(slug)s AND a.{A["language"]} = %(language)s AND {live("a")}
"""  # noqa: S608 - table and column names from the models; every value is a parameter


def story(slug, now, language=None):
    """``(story, section, lead photo or None, rating summary or None)`` or None; slugs are
    unique per language (the page's by default)."""
    params = {"slug": slug, "now": now, "language": _language(language)}
    return _story(*rows(STORY_SQL, params))


def _language(language):
    from .languages import current

    return language or current()


def _story(vendor, rows):
    if not rows:
        return None
    row = rows[0]
    found = tuple(part.instance(row, vendor) for part in (STORY, SECTION, PHOTO, RATINGS))
    found[0].page_counterpart_slug = row["counterpart_slug"] or ""
    return found


# ---------------------------------------------------------------------------------------
# Bylines (with their authors) and tags


BYLINE = Part(Byline, "b")
AUTHOR = Part(Author, "au", "author")

BYLINES_SQL = f"""
SELECT {BYLINE.select()}, {AUTHOR.select()}
FROM {table(Byline)} b
JOIN {table(Author)} au ON au.{pk(Author)} = b.{BYLINE_COLUMNS["author"]}
WHERE b.{BYLINE_COLUMNS["article"]} = %(article_id)s
ORDER BY b.{BYLINE_COLUMNS["position"]}, b.{pk(Byline)}
"""  # noqa: S608 - table and column names from the models; every value is a parameter


def bylines(article_id):
    """The story's bylines in order, each with its ``author`` loaded."""
    return _bylines(*rows(BYLINES_SQL, {"article_id": article_id}))


def _bylines(vendor, rows):
    found = []
    for row in rows:
        byline = BYLINE.instance(row, vendor)
        byline.author = AUTHOR.instance(row, vendor)
        found.append(byline)
    return found


TAG = Part(Tag, "t")
TAGS_SQL = f"""
SELECT {TAG.select()}
FROM {table(Tag)} t
JOIN {table(TaggedArticle)} ta ON ta.{column(TaggedArticle, "tag")} = t.{pk(Tag)}
WHERE ta.{column(TaggedArticle, "content_object")} = %(article_id)s
ORDER BY t.{column(Tag, "name")}, t.{pk(Tag)}
"""  # noqa: S608 - table and column names from the models; every value is a parameter


def tags(article_id):
    """The story's tags, by name."""
    return _tags(*rows(TAGS_SQL, {"article_id": article_id}))


def _tags(vendor, rows):
    return [TAG.instance(row, vendor) for row in rows]


# ---------------------------------------------------------------------------------------
# The related list: pins first, then the stored list, best first


# What a related card shows: a few columns of the story and its lead photo (with its width
# and height: ``ImageField`` reads them whenever a photo is loaded).
CARD = Part(Article, "a", only={"id", "headline", "slug", "language", "excerpt", "lead_photo_id"})
CARD_PHOTO = Part(
    Photo, "p", "lead_photo", only={"id", "image", "width", "height", "renditions", "crops"}
)

PIN, STORED, EXCLUDED = LINKS[RelatedPin], LINKS[RelatedArticle], LINKS[RelatedExclusion]
PIN_POSITION = column(RelatedPin, "position")
SCORE = column(RelatedArticle, "score")

RELATED_SQL = f"""
SELECT {CARD.select()}, {CARD_PHOTO.select()},
       pin.{PIN_POSITION} AS "pin_position", stored.{SCORE} AS "related_score"
FROM {table(Article)} a
LEFT JOIN {table(Photo)} p ON p.{pk(Photo)} = a.{A["lead_photo"]}
LEFT JOIN {table(RelatedPin)} pin
       ON pin.{PIN[0]} = %(article_id)s AND pin.{PIN[1]} = a.{pk(Article)}
LEFT JOIN {table(RelatedArticle)} stored
       ON stored.{STORED[0]} = %(article_id)s AND stored.{STORED[1]} = a.{pk(Article)}
      AND stored.{SCORE} >= %(min_score)s
WHERE a.{pk(Article)} IN (
        -- One IN over a UNION, not two INs joined by OR: PostgreSQL turns the OR into a
        -- scan of every story, the UNION into a few index lookups.
        SELECT {PIN[1]} FROM {table(RelatedPin)} WHERE {PIN[0]} = %(article_id)s
        UNION
        SELECT {STORED[1]} FROM {table(RelatedArticle)}
        WHERE {STORED[0]} = %(article_id)s AND {SCORE} >= %(min_score)s
      )
  AND a.{pk(Article)} <> %(article_id)s
  AND a.{pk(Article)} NOT IN (
        SELECT {EXCLUDED[1]} FROM {table(RelatedExclusion)} WHERE {EXCLUDED[0]} = %(article_id)s
      )
  AND a.{A["language"]} = %(language)s
  AND {live("a")}
ORDER BY pin.{PIN_POSITION} ASC NULLS LAST, stored.{SCORE} DESC NULLS LAST,
         a.{A["publish_at"]} DESC, a.{pk(Article)} DESC
LIMIT %(limit)s
"""  # noqa: S608 - table and column names from the models; every value is a parameter


def related_cards(article_id, now, limit, min_score, language=None):
    """Up to ``limit`` live stories in ``language`` (the page's by default) to show under a
    story, pins first, then by score.

    Each carries its ``lead_photo`` (or None) and ``pin_position`` (None unless pinned).
    """
    params = {
        "article_id": article_id,
        "now": now,
        "limit": limit,
        "min_score": min_score,
        "language": _language(language),
    }
    return _cards(*rows(RELATED_SQL, params))


def _cards(vendor, rows):
    stories = []
    for row in rows:
        story = CARD.instance(row, vendor)
        story.lead_photo = CARD_PHOTO.instance(row, vendor)
        story.pin_position = row["pin_position"]
        stories.append(story)
    return stories


# ---------------------------------------------------------------------------------------
# The whole story page in one round trip


# The published story's id, found by its slug: the three queries that need the id take this
# instead, so they can go to the database together with the story's own query.
_STORY_ID = (
    f"(SELECT page.{pk(Article)} FROM {table(Article)} page "  # noqa: S608
    f"WHERE page.{A['slug']} = %(slug)s AND page.{A['language']} = %(language)s"
    f" AND {live('page')})"
)
PAGE_STATEMENTS = [
    STORY_SQL,
    BYLINES_SQL.replace("%(article_id)s", _STORY_ID),
    TAGS_SQL.replace("%(article_id)s", _STORY_ID),
    RELATED_SQL.replace("%(article_id)s", _STORY_ID),
]


def story_page(slug, now, related_limit, min_score, language=None):
    """``story()``, ``bylines()``, ``tags()`` and ``related_cards()`` of one story at once.

    ``(story, section, lead photo, rating summary, bylines, tags, related cards)``, or None
    when no published story in ``language`` (the page's by default) has that slug. The
    related cards are in the same language.
    """
    params = {
        "slug": slug,
        "now": now,
        "limit": related_limit,
        "min_score": min_score,
        "language": _language(language),
    }
    vendor, (story_rows, byline_rows, tag_rows, card_rows) = result_sets(PAGE_STATEMENTS, params)
    found = _story(vendor, story_rows)
    if found is None:
        return None
    return (
        *found,
        _bylines(vendor, byline_rows),
        _tags(vendor, tag_rows),
        _cards(vendor, card_rows),
    )
