"""A vote's statements on PostgreSQL, written as SQL: the vote endpoint's hot path.

Through the ORM a vote cost seven round trips (the story check; ``BEGIN``; the summary row
locked with ``SELECT … FOR UPDATE``; the per-address count; the insert; the summary update;
``COMMIT``), and the story's summary row stayed locked for four of them, so the votes of a
busy story queued behind each other. Here a new reader's vote is four (``BEGIN``, two
statements, ``COMMIT``) with the summary row locked for two; a reader who has a voter cookie
costs one more, the lookup of their previous vote:

0. (readers with a cookie) ``SELECT … FOR UPDATE`` the reader's previous vote, if any.
1. ``UPDATE`` the summary row, joined to the story (the story check: no row unless it is
   published): it moves the vote in the totals and returns the new numbers and the story's
   slug and headline. Only the first vote on a story finds no summary row: it is created
   (``INSERT … ON CONFLICT DO NOTHING``) and the ``UPDATE`` run again.
2. Store the vote: ``INSERT … ON CONFLICT DO NOTHING`` for a new one, with the per-address
   cap counted in the same statement, or an ``UPDATE`` of the previous one.

Why it stays exact under concurrency (``tests/ratings/test_concurrency.py``):

- Locks are always taken in the same order, the reader's vote row first, then the story's
  summary row, and the summary row is held until ``COMMIT``: the votes of one story are
  still applied one at a time, and ``rebuild_rating_summaries`` (which takes the same lock)
  still sees totals that match the rows.
- ``SELECT … FOR UPDATE`` in PostgreSQL's READ COMMITTED returns the latest committed
  version of the row it waited for, so a reader changing their vote twice at once moves it
  from the right number of stars.
- The per-address count runs in statement 2, after statement 1 took the summary lock, so
  its snapshot holds every vote committed by the votes that held the lock before (a count
  inside statement 1 would use the snapshot taken before waiting for the lock).
- A reader's first vote sent twice at once (a double-click) finds no previous vote in
  both; the second insert then meets the first's row and inserts nothing: ``Conflict`` is
  raised, the transaction rolls back, and ``record_vote`` tries again, finding the vote.

Column and table names come from the models (``Model._meta``); rows are read by name.
``tests/ratings/test_vote_sql.py`` checks the results against the ORM's, column by column.
SQLite (``scripts/serve``) keeps the ORM path in ``ratings.models``: it has no row locks
(writers are serialised) and its ``RETURNING`` cannot name a joined table.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from articles.models import Article
from articles.sql_visibility import live
from newsroom.sql import column, one

from .models import AddressCapReached, RatingSummary, Vote

STARS = range(1, 6)
# The summary's columns returned to the caller: every counter (the page's numbers), not
# ``updated_at`` (left to load on demand, as with ``only()``).
SUMMARY_FIELDS = [
    f.attname for f in RatingSummary._meta.concrete_fields if f.attname != "updated_at"
]


class Conflict(Exception):
    """The reader's vote was inserted by a concurrent request: try again."""


SUMMARY_TABLE = RatingSummary._meta.db_table
VOTE_TABLE = Vote._meta.db_table
STORY_TABLE = Article._meta.db_table
STORY_ID = Article._meta.pk.column
S = {name: column(RatingSummary, name) for name in [*SUMMARY_FIELDS, "updated_at"]}
V = {f.attname: f.column for f in Vote._meta.concrete_fields}


def _is(stars_sql, n):
    return f"(CASE WHEN {stars_sql} = {n} THEN 1 ELSE 0 END)"


def _move_vote():
    """SET clauses moving one vote from ``%(previous)s`` (NULL: a new vote) to ``%(stars)s``."""
    previous = "CAST(%(previous)s AS integer)"
    changes = [
        f"{S['vote_count']} = s.{S['vote_count']} "
        f"+ (CASE WHEN {previous} IS NULL THEN 1 ELSE 0 END)",
        f"{S['vote_total']} = s.{S['vote_total']} + %(stars)s - COALESCE({previous}, 0)",
    ]
    changes += [
        f"{S[f'stars_{n}']} = s.{S[f'stars_{n}']} + {_is('%(stars)s', n)} - {_is(previous, n)}"
        for n in STARS
    ]
    changes.append(
        f"{S['updated_at']} = CASE WHEN {previous} IS DISTINCT FROM %(stars)s "
        f"THEN %(now)s ELSE s.{S['updated_at']} END"
    )
    return ",\n    ".join(changes)


# The reader's previous vote, locked until COMMIT. A statement of its own: the same lock
# taken in a WITH query of the summary's UPDATE was measured to hand back an outdated
# vote when ten changes from one reader raced (the summary then moved a vote twice).
PREVIOUS_VOTE_SQL = f"""
SELECT {V["id"]} AS "id", {V["stars"]} AS "stars", {V["address_hash"]} AS "address_hash"
FROM {VOTE_TABLE}
WHERE {V["article_id"]} = %(article_id)s AND {V["voter"]} = %(voter)s
FOR UPDATE
"""  # noqa: S608 - table and column names from the models; every value is a parameter

_RETURNED = ", ".join(f's.{S[name]} AS "{name}"' for name in SUMMARY_FIELDS)
APPLY_SQL = f"""
UPDATE {SUMMARY_TABLE} s SET
    {_move_vote()}
FROM {STORY_TABLE} a
WHERE s.{S["article_id"]} = %(article_id)s AND a.{STORY_ID} = s.{S["article_id"]}
  AND {live("a")}
RETURNING {_RETURNED}, a.{column(Article, "slug")} AS "story__slug",
    a.{column(Article, "headline")} AS "story__headline"
"""  # noqa: S608 - table and column names from the models; every value is a parameter

# The first vote on a story: its summary row, all zeros, if the story is published.
_ZEROS = [name for name in SUMMARY_FIELDS if name != "article_id"]
_CREATED = ", ".join(S[name] for name in ["article_id", *_ZEROS, "updated_at"])
CREATE_SUMMARY_SQL = f"""
INSERT INTO {SUMMARY_TABLE} ({_CREATED})
SELECT a.{STORY_ID}, {", ".join("0" for _ in _ZEROS)}, %(now)s
FROM {STORY_TABLE} a WHERE a.{STORY_ID} = %(article_id)s AND {live("a")}
ON CONFLICT ({S["article_id"]}) DO NOTHING
"""  # noqa: S608 - table and column names from the models; every value is a parameter

# Every parameter that PostgreSQL could not type from its place in the statement is cast:
# with server-side binding (prepared statements, ``DB_PREPARED_STATEMENTS``) the server types
# the parameters, and a bare ``$1 IS NOT NULL`` has no type ("could not determine data type
# of parameter $1"). ``tests/ratings/test_vote_sql.py`` runs every statement that way.
_CAP = "CAST(%(cap)s AS integer)"
INSERT_VOTE_SQL = f"""
WITH capped AS (
    SELECT {_CAP} IS NOT NULL AND count(*) >= {_CAP} AS is_full
    FROM {VOTE_TABLE}
    WHERE {_CAP} IS NOT NULL AND {V["article_id"]} = %(article_id)s
      AND {V["address_hash"]} = %(address_hash)s AND {V["created_at"]} >= %(since)s
), inserted AS (
    INSERT INTO {VOTE_TABLE} ({V["article_id"]}, {V["voter"]}, {V["stars"]},
                              {V["address_hash"]}, {V["created_at"]}, {V["updated_at"]})
    SELECT %(article_id)s, %(voter)s, %(stars)s, %(address_hash)s, %(now)s, %(now)s
    FROM capped WHERE NOT capped.is_full
    ON CONFLICT ({V["article_id"]}, {V["voter"]}) DO NOTHING
    RETURNING {V["id"]}
)
SELECT (SELECT is_full FROM capped) AS "capped", (SELECT {V["id"]} FROM inserted) AS "id"
"""  # noqa: S608 - table and column names from the models; every value is a parameter

CHANGE_VOTE_SQL = f"""
UPDATE {VOTE_TABLE} SET {V["stars"]} = %(stars)s, {V["updated_at"]} = %(now)s
WHERE {V["id"]} = %(vote_id)s
"""  # noqa: S608 - table and column names from the models; every value is a parameter


def _instance(model, values):
    """A model instance with these fields loaded (the rest on demand, as with ``only()``)."""
    # from_db() takes the values in the order of the model's fields, whatever the names say.
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


def _apply(cursor, params):
    row = one(cursor, APPLY_SQL, params)
    if row is None:
        # No summary row yet, or no such published story: create the row if the story is
        # published (a concurrent first vote may create it too), then try once more.
        cursor.execute(CREATE_SUMMARY_SQL, params)
        row = one(cursor, APPLY_SQL, params)
    return row


def apply_vote(article_id, voter, stars, address_hash, *, now, address_cap, new_voter):
    """Run the vote's statements; the caller holds a transaction (see the module docstring).

    Returns ``(story, summary, vote, previous_stars)``: the story (id, slug and headline
    loaded), its summary after the vote, the vote (id, voter, stars, address hash loaded)
    and the stars it had before (None for a new vote). Returns None when there is no
    published story with this id; raises ``AddressCapReached`` (from ``ratings.models``)
    or ``Conflict``, after which the caller must roll back.
    """
    params = {
        "article_id": article_id,
        "voter": voter,
        "stars": stars,
        "address_hash": address_hash,
        "now": now,
    }
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        # A voter id made for this request cannot have voted before: no lookup.
        previous = None if new_voter else one(cursor, PREVIOUS_VOTE_SQL, params)
        previous_stars = previous["stars"] if previous else None
        row = _apply(cursor, {**params, "previous": previous_stars})
        if row is None:
            return None
        if previous is None:
            cap, since = address_cap if address_cap is not None else (None, now)
            inserted = one(cursor, INSERT_VOTE_SQL, {**params, "cap": cap, "since": since})
            if inserted["capped"]:
                raise AddressCapReached
            if inserted["id"] is None:
                raise Conflict
            vote_id, vote_address = inserted["id"], address_hash
        else:
            vote_id, vote_address = previous["id"], previous["address_hash"]
            if previous_stars != stars:
                cursor.execute(CHANGE_VOTE_SQL, {**params, "vote_id": vote_id})
    story = _instance(
        Article, {"id": article_id, "slug": row["story__slug"], "headline": row["story__headline"]}
    )
    summary = _instance(RatingSummary, {name: row[name] for name in SUMMARY_FIELDS})
    vote = _instance(
        Vote,
        {
            "id": vote_id,
            "article_id": article_id,
            "voter": voter,
            "stars": stars,
            "address_hash": vote_address,
        },
    )
    return story, summary, vote, previous_stars
