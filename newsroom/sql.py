"""Hand-written SQL with only public Django API: the runner and the converters.

The two modules of the project that write SQL by hand (``articles.page_sql``, the story
page; ``ratings.vote_sql``, a vote) share these:

- ``table(model)`` and ``column(model, name)``: names from the models' ``_meta`` (Django's
  documented model API), so a renamed table or column is followed;
- ``Part``: one model's columns selected as ``<prefix>__<attname>`` and read back by name
  into instances made with ``Model.from_db()``, values converted as the ORM converts them
  (``converter``);
- ``rows``/``result_sets``/``one``: run statements with named parameters (several in one
  round trip on PostgreSQL), rows as dicts keyed by the selected names, read where
  ``newsroom.replicas`` says (a replica in a reader's request, else the primary).

"Visible to readers" in SQL is spelled once, by the app that owns stories:
``articles.sql_visibility.live()``. This module knows no app.
"""

import functools
import json
from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, connections

from newsroom.replicas import read_alias


def column(model, name):
    """The database column of the field ``name`` of ``model``."""
    return model._meta.get_field(name).column


def table(model):
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
            converter(field, vendor)(row[name])
            for field, name in zip(self.fields, self.names, strict=True)
        ]
        return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, values)


@functools.cache
def converter(field, vendor):
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
    raise TypeError(f"newsroom.sql cannot convert {field!r} ({kind}); add it to converter().")


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


def parameter(vendor, value):
    """A datetime as the backend compares it (SQLite: naive UTC text), anything else as is."""
    if isinstance(value, datetime) and vendor == "sqlite":
        return str(value.astimezone(UTC).replace(tzinfo=None))  # how Django stores it
    return value


def named_rows(cursor):
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def rows(sql, params):
    """Run ``sql`` with named parameters; rows as dicts keyed by the selected names."""
    vendor, [rows] = result_sets([sql], params)
    return vendor, rows


def binds_on_server(connection):
    """True when the connection sends parameters apart from the SQL (psycopg 3's server-side
    binding, on when prepared statements are: ``DB_PREPARED_STATEMENTS``)."""
    return connection.vendor == "postgresql" and bool(
        connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    )


def result_sets(statements, params):
    """Run the statements; each one's rows as dicts, in order.

    On PostgreSQL several statements go in one round trip. With server-side binding (and so
    prepared statements) they are sent together in a psycopg pipeline, each its own
    (preparable) statement, and the answers read once all are sent. With client-side
    binding they go as one string of SQL, answered with one result set per statement (read
    with the DB-API's ``nextset()``): a string of several statements cannot be prepared.
    """
    connection = connections[read_alias()]
    params = {name: parameter(connection.vendor, value) for name, value in params.items()}
    if connection.vendor == "postgresql" and len(statements) > 1:
        if binds_on_server(connection):
            return connection.vendor, _pipelined(connection, statements, params)
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(statements), params)
            found = [named_rows(cursor)]
            while cursor.nextset():
                found.append(named_rows(cursor))
            return connection.vendor, found
    with connection.cursor() as cursor:
        found = []
        for sql in statements:
            cursor.execute(sql, params)
            found.append(named_rows(cursor))
        return connection.vendor, found


def _pipelined(connection, statements, params):
    # One cursor per statement: each keeps its own answer. Django's cursors (so each
    # statement is logged and counted as any other); psycopg's pipeline on the underlying
    # connection (``connection.connection``, opened by the first cursor).
    cursors = [connection.cursor() for _ in statements]
    try:
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, sql in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        return [named_rows(cursor) for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


def one(cursor, sql, params):
    """Run ``sql`` on ``cursor``; its one row as a dict keyed by the selected names, or None."""
    cursor.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([column[0] for column in cursor.description], row, strict=True))
