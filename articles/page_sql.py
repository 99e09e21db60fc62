"""The story page's hot queries, written as SQL: the one module of the project that does.

The story page is the one page rendered fresh for every story of the archive, and building
its querysets cost more than running them (the related list: 1.4 ms to build, 0.3 ms to
run). So its four queries are plain SQL run through ``connection.cursor()``, on SQLite and
PostgreSQL alike, with only public Django API around them:

- column lists come from the models (``Model._meta``, Django's documented model API), so a
  column added to a model is read here too;
- every column is selected under a name (``section__name``), and rows are read by those
  names, never by position;
- values are converted as the ORM converts them (see ``_converter``) and instances are made
  with ``Model.from_db()``.

``story_page()`` sends all four to PostgreSQL in one round trip (the three that need the
story's id find it by its slug in a subquery); waiting for four answers one after the other
cost more than running them. SQLite, in the same process, runs them one by one.

``tests/articles/test_page_sql.py`` compares every column of every query with what the ORM
loads, on both databases. Anything that is not on the story page stays a queryset.
"""

import functools
import json
from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, connections
from taggit.models import Tag

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

# The rating summary belongs to the ratings app: reached through the relation, not imported.
SUMMARY = Article._meta.get_field("rating_summary").related_model


# ---------------------------------------------------------------------------------------
# Columns and conversions


def _table(model):
    return model._meta.db_table


class Part:
    """One model's columns in a query: selected as ``<prefix>__<attname>``, read back by name.

    ``only`` keeps some fields (the rest load on demand, as with ``only()``); ``leave_out``
    drops some (as with ``defer()``).
    """

    def __init__(self, model, alias, prefix="", only=None, leave_out=()):
        self.model, self.alias, self.prefix = model, alias, prefix
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if (only is None or f.attname in only) and f.attname not in leave_out
        ]
        self.attnames = [f.attname for f in self.fields]
        self.names = [f"{prefix}__{a}" if prefix else a for a in self.attnames]
        self.pk_name = self.names[self.attnames.index(model._meta.pk.attname)]

    def select(self):
        """``alias.column AS "name"`` for each field."""
        return ", ".join(
            f'{self.alias}.{f.column} AS "{name}"'
            for f, name in zip(self.fields, self.names, strict=True)
        )

    def instance(self, row, vendor):
        """The model instance in ``row`` (a dict), or None where a LEFT JOIN found nothing."""
        if row[self.pk_name] is None:
            return None
        values = [
            _converter(field, vendor)(row[name])
            for field, name in zip(self.fields, self.names, strict=True)
        ]
        return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, values)


@functools.cache
def _converter(field, vendor):
    """What the ORM does to this field's raw database value on this backend."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        # SQLite hands back naive UTC; psycopg an aware datetime already.
        return _sqlite_datetime if vendor == "sqlite" else _same
    if kind == "BooleanField" and vendor == "sqlite":
        return _boolean
    if kind == "JSONField":
        return functools.partial(_json, field.decoder)
    if kind in {
        "AutoField",
        "BigAutoField",
        "CharField",
        "SlugField",
        "TextField",
        "FileField",
        "ImageField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "ForeignKey",
        "OneToOneField",
        "FloatField",
        "BooleanField",
    }:
        return _same
    # A type this module has never had to convert: fail loudly rather than load it wrong.
    raise TypeError(f"page_sql cannot convert {field!r} ({kind}); add it to _converter().")


def _same(value):
    return value


def _boolean(value):
    return value if value is None else bool(value)


def _sqlite_datetime(value):
    if value is None:
        return value
    if not isinstance(value, datetime):  # text when the column's declared type is not known
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _json(decoder, value):
    if value is None or not isinstance(value, str | bytes):
        return value
    return json.loads(value, cls=decoder)


def _parameter(vendor, value):
    """A datetime as the backend compares it (SQLite: naive UTC text), anything else as is."""
    if isinstance(value, datetime) and vendor == "sqlite":
        return str(value.astimezone(UTC).replace(tzinfo=None))  # how Django stores it
    return value


def _named_rows(cursor):
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _rows(sql, params):
    """Run ``sql`` with named parameters; rows as dicts keyed by the selected names."""
    vendor, [rows] = _result_sets([sql], params)
    return vendor, rows


def _result_sets(statements, params):
    """Run the statements; each one's rows as dicts, in order.

    On PostgreSQL several statements go as one string in one round trip: Django's psycopg
    cursor binds parameters on the client, so the server gets plain SQL and answers with
    one result set per statement (read with the DB-API's ``nextset()``).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    params = {name: _parameter(connection.vendor, value) for name, value in params.items()}
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or len(statements) == 1:
            found = []
            for sql in statements:
                cursor.execute(sql, params)
                found.append(_named_rows(cursor))
            return connection.vendor, found
        cursor.execute(";\n".join(statements), params)
        found = [_named_rows(cursor)]
        while cursor.nextset():
            found.append(_named_rows(cursor))
        return connection.vendor, found


def live(alias):
    """The SQL of ``Article.objects.published(now)`` for the story table under ``alias``.

    The one SQL spelling of "visible to readers" (the vote's SQL in ``ratings.vote_sql`` uses
    it too); ``%(now)s`` is the clock, a parameter.
    """
    status = Article._meta.get_field("status").column
    publish_at = Article._meta.get_field("publish_at").column
    statuses = ", ".join(f"'{value}'" for value in Article.LIVE_STATUSES)
    return f"{alias}.{status} IN ({statuses}) AND {alias}.{publish_at} <= %(now)s"


# ---------------------------------------------------------------------------------------
# The story, its section, lead photo and rating summary: one row


STORY = Part(Article, "a", leave_out={"search_vector"})
SECTION = Part(Section, "s", "section")
PHOTO = Part(Photo, "p", "lead_photo")
RATINGS = Part(SUMMARY, "r", "rating_summary")

# The slug of the story's published counterpart in the other language (its original, or its
# translation), for the language switcher and hreflang links: a column of the story's row,
# not a query of its own. (Two languages: at most one counterpart.)
COUNTERPART_SQL = f"""(
  SELECT t.slug FROM {_table(Article)} t
  WHERE t.id <> a.id AND {live("t")}
    AND (t.id = a.translation_of_id OR t.translation_of_id = a.id
         OR (t.translation_of_id = a.translation_of_id AND t.language <> a.language))
  ORDER BY t.id LIMIT 1
)"""  # noqa: S608 - table and column names from the models; every value is a parameter

STORY_SQL = f"""
SELECT {STORY.select()}, {SECTION.select()}, {PHOTO.select()}, {RATINGS.select()},
       {COUNTERPART_SQL} AS "counterpart_slug"
FROM {_table(Article)} a
JOIN {_table(Section)} s ON s.id = a.section_id
LEFT JOIN {_table(Photo)} p ON p.id = a.lead_photo_id
LEFT JOIN {_table(SUMMARY)} r ON r.article_id = a.id
WHERE a.slug = %(slug)s AND a.language = %(language)s AND {live("a")}
"""  # noqa: S608 - table and column names from the models; every value is a parameter


def story(slug, now, language=None):
    """``(story, section, lead photo or None, rating summary or None)`` or None; slugs are
    unique per language (the page's by default)."""
    params = {"slug": slug, "now": now, "language": _language(language)}
    return _story(*_rows(STORY_SQL, params))


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
FROM {_table(Byline)} b
JOIN {_table(Author)} au ON au.id = b.author_id
WHERE b.article_id = %(article_id)s
ORDER BY b.position, b.id
"""  # noqa: S608 - table and column names from the models; every value is a parameter


def bylines(article_id):
    """The story's bylines in order, each with its ``author`` loaded."""
    return _bylines(*_rows(BYLINES_SQL, {"article_id": article_id}))


def _bylines(vendor, rows):
    found = []
    for row in rows:
        byline = BYLINE.instance(row, vendor)
        byline.author = AUTHOR.instance(row, vendor)
        found.append(byline)
    return found


TAG = Part(Tag, "t")
_TAGGED = TaggedArticle._meta

TAGS_SQL = f"""
SELECT {TAG.select()}
FROM {_table(Tag)} t
JOIN {_TAGGED.db_table} ta ON ta.{_TAGGED.get_field("tag").column} = t.id
WHERE ta.{_TAGGED.get_field("content_object").column} = %(article_id)s
ORDER BY t.name, t.id
"""  # noqa: S608 - table and column names from the models; every value is a parameter


def tags(article_id):
    """The story's tags, by name."""
    return _tags(*_rows(TAGS_SQL, {"article_id": article_id}))


def _tags(vendor, rows):
    return [TAG.instance(row, vendor) for row in rows]


# ---------------------------------------------------------------------------------------
# The related list: pins first, then the stored list, best first


# What a related card shows: a few columns of the story and its lead photo (with its width
# and height: ``ImageField`` reads them whenever a photo is loaded).
CARD = Part(Article, "a", only={"id", "headline", "slug", "excerpt", "lead_photo_id"})
CARD_PHOTO = Part(
    Photo, "p", "lead_photo", only={"id", "image", "width", "height", "renditions", "crops"}
)

RELATED_SQL = f"""
SELECT {CARD.select()}, {CARD_PHOTO.select()},
       pin.position AS "pin_position", stored.score AS "related_score"
FROM {_table(Article)} a
LEFT JOIN {_table(Photo)} p ON p.id = a.lead_photo_id
LEFT JOIN {_table(RelatedPin)} pin ON pin.article_id = %(article_id)s AND pin.related_id = a.id
LEFT JOIN {_table(RelatedArticle)} stored
       ON stored.article_id = %(article_id)s AND stored.related_id = a.id
      AND stored.score >= %(min_score)s
WHERE a.id IN (
        -- One IN over a UNION, not two INs joined by OR: PostgreSQL turns the OR into a
        -- scan of every story, the UNION into a few index lookups.
        SELECT related_id FROM {_table(RelatedPin)} WHERE article_id = %(article_id)s
        UNION
        SELECT related_id FROM {_table(RelatedArticle)}
        WHERE article_id = %(article_id)s AND score >= %(min_score)s
      )
  AND a.id <> %(article_id)s
  AND a.id NOT IN (
        SELECT related_id FROM {_table(RelatedExclusion)} WHERE article_id = %(article_id)s
      )
  AND a.language = %(language)s
  AND {live("a")}
ORDER BY pin.position ASC NULLS LAST, stored.score DESC NULLS LAST, a.publish_at DESC, a.id DESC
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
    return _cards(*_rows(RELATED_SQL, params))


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
    f"(SELECT page.id FROM {_table(Article)} page"  # noqa: S608
    f" WHERE page.slug = %(slug)s AND page.language = %(language)s AND {live('page')})"
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
    vendor, (story_rows, byline_rows, tag_rows, card_rows) = _result_sets(PAGE_STATEMENTS, params)
    found = _story(vendor, story_rows)
    if found is None:
        return None
    return (
        *found,
        _bylines(vendor, byline_rows),
        _tags(vendor, tag_rows),
        _cards(vendor, card_rows),
    )
