"""ratings/vote_sql.py against the ORM: the same votes give the same rows, column by column.

The SQL path runs on PostgreSQL only; on SQLite the ORM path is checked against what is
stored, so both backends check that what a vote returns is what the database holds.
"""

import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from ratings import vote_sql
from ratings.models import (
    AddressCapReached,
    RatingSummary,
    Vote,
    _apply_vote_with_orm,
    set_imported_totals,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

READERS = [uuid.UUID(int=n) for n in range(1, 5)]
# (reader, stars, address, cookie): new votes, a change, a repeat, a second change.
SCRIPT = [
    (0, 4, "a1", False),
    (1, 2, "a1", False),
    (2, 5, "a2", True),  # a cookie, but no vote yet
    (1, 5, "a1", True),
    (1, 5, "a1", True),
    (0, 1, "a1", True),
    (3, 3, "a1", False),
]


def _orm(article_id, voter, stars, address, now, cap, new_voter):
    return _apply_vote_with_orm(article_id, voter, stars, address, now, cap, new_voter)


def _sql(article_id, voter, stars, address, now, cap, new_voter):
    return vote_sql.apply_vote(
        article_id, voter, stars, address, now=now, address_cap=cap, new_voter=new_voter
    )


PATHS = {"orm": _orm, "sql": _sql} if connection.vendor == "postgresql" else {"orm": _orm}


def _cast(apply, story, cap=None):
    returned = []
    for reader, stars, address, cookie in SCRIPT:
        with transaction.atomic():
            returned.append(
                apply(story.pk, READERS[reader], stars, address, timezone.now(), cap, not cookie)
            )
    return returned


SUMMARY_COLUMNS = [f.attname for f in RatingSummary._meta.concrete_fields]
SUMMARY_COUNTERS = [c for c in SUMMARY_COLUMNS if c not in {"article_id", "updated_at"}]


@pytest.mark.parametrize("path", PATHS)
def test_what_a_vote_returns_is_what_the_orm_loads(path):
    story = ArticleFactory(headline="Ferry fares", slug="ferry-fares")
    set_imported_totals(story.pk, 2, 7)  # imported totals are kept and counted
    returned = _cast(PATHS[path], story)
    last_vote = {}
    for (reader, stars, _, _), (found, _, vote, previous) in zip(SCRIPT, returned, strict=True):
        assert (found.pk, found.slug, found.headline) == (story.pk, "ferry-fares", "Ferry fares")
        assert (vote.voter, vote.stars, vote.article_id) == (READERS[reader], stars, story.pk)
        assert previous in {None, 1, 2, 3, 4, 5}
        last_vote[reader] = vote
    for vote in last_vote.values():
        stored = Vote.objects.get(pk=vote.pk)
        assert (stored.voter, stored.stars, stored.address_hash) == (
            vote.voter,
            vote.stars,
            vote.address_hash,
        )
    summary = returned[-1][1]
    kept = RatingSummary.objects.get(article=story)
    for column in SUMMARY_COUNTERS:
        assert getattr(summary, column) == getattr(kept, column), column
    assert kept.rebuild_from_votes() is False


@pytest.mark.postgres
def test_the_sql_and_the_orm_leave_the_same_rows_column_by_column():
    by_orm, by_sql = ArticleFactory(), ArticleFactory()
    orm_returned = _cast(_orm, by_orm)
    sql_returned = _cast(_sql, by_sql)
    for orm, sql in zip(orm_returned, sql_returned, strict=True):
        assert orm[3] == sql[3]  # the previous stars
        for column in SUMMARY_COUNTERS:
            assert getattr(orm[1], column) == getattr(sql[1], column), column
    orm_summary = RatingSummary.objects.filter(article=by_orm).values(*SUMMARY_COUNTERS).get()
    sql_summary = RatingSummary.objects.filter(article=by_sql).values(*SUMMARY_COUNTERS).get()
    assert orm_summary == sql_summary
    columns = ["voter", "stars", "address_hash"]
    orm_votes = list(Vote.objects.filter(article=by_orm).order_by("voter").values(*columns))
    sql_votes = list(Vote.objects.filter(article=by_sql).order_by("voter").values(*columns))
    assert orm_votes == sql_votes


@pytest.mark.parametrize("path", PATHS)
def test_the_address_cap_refuses_a_new_voter_and_lets_a_counted_one_change(path):
    story = ArticleFactory()
    cap = (2, timezone.now() - timedelta(hours=1))
    apply = PATHS[path]
    for reader in READERS[:2]:
        with transaction.atomic():
            apply(story.pk, reader, 4, "a1", timezone.now(), cap, True)
    with pytest.raises(AddressCapReached), transaction.atomic():
        apply(story.pk, READERS[2], 4, "a1", timezone.now(), cap, True)
    with transaction.atomic():
        apply(story.pk, READERS[0], 1, "a1", timezone.now(), cap, False)
    assert RatingSummary.objects.get(article=story).vote_count == 2
    assert sorted(Vote.objects.filter(article=story).values_list("stars", flat=True)) == [1, 4]


@pytest.mark.parametrize("path", PATHS)
def test_no_vote_reaches_a_story_readers_cannot_see(path):
    story = ArticleFactory(publish_at=timezone.now() + timedelta(days=1))
    with transaction.atomic():
        assert PATHS[path](story.pk, READERS[0], 4, "a1", timezone.now(), None, True) is None
    assert not Vote.objects.exists()
    assert not RatingSummary.objects.filter(vote_count__gt=0).exists()
