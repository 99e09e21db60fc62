"""Count statements and round trips to the database, for tests of hot paths.

Django's ``django_assert_num_queries`` counts statements. On PostgreSQL with prepared
statements (``DB_PREPARED_STATEMENTS``, the default) several statements can go to the server
together in one psycopg pipeline and be answered in one round trip (``newsroom.sql``), so a
statement count no longer says how many times a page waits for the database. This counts
both: every statement outside a pipeline is a round trip, and so is each pipeline.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

import psycopg
from django.db import connection
from psycopg import pq


@dataclass
class Trips:
    statements: list = field(default_factory=list)
    pipelines: int = 0

    @property
    def round_trips(self):
        alone = [sql for sql, in_pipeline in self.statements if not in_pipeline]
        return len(alone) + self.pipelines

    @property
    def count(self):
        return len(self.statements)


@contextmanager
def counting_round_trips():
    trips = Trips()

    def record(execute, sql, params, many, context):
        raw = context["connection"].connection
        in_pipeline = (
            context["connection"].vendor == "postgresql"
            and raw.pgconn.pipeline_status != pq.PipelineStatus.OFF
        )
        trips.statements.append((sql, in_pipeline))
        return execute(sql, params, many, context)

    pipeline = psycopg.Connection.pipeline

    def counted_pipeline(self, *args, **kwargs):
        trips.pipelines += 1
        return pipeline(self, *args, **kwargs)

    with (
        mock.patch.object(psycopg.Connection, "pipeline", counted_pipeline),
        connection.execute_wrapper(record),
    ):
        yield trips
