"""Imported rating totals sit beside readers' votes: shown together, kept apart."""

import uuid

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from ratings.models import RatingSummary, record_vote, set_imported_totals
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def vote(article, stars):
    record_vote(article.pk, uuid.uuid4(), stars, "a" * 64)


def test_imported_totals_and_votes_add_up_and_a_rebuild_keeps_both():
    article = ArticleFactory()
    vote(article, 1)
    set_imported_totals(article.pk, 12, 50)
    vote(article, 5)
    summary = RatingSummary.objects.get(article=article)
    assert (summary.vote_count, summary.vote_total) == (14, 56)
    assert (summary.stars_1, summary.stars_5) == (1, 1)

    RatingSummary.objects.filter(article=article).update(vote_total=1)  # drifted
    call_command("rebuild_rating_summaries", stdout=None)
    summary.refresh_from_db()
    assert (summary.vote_count, summary.vote_total, summary.imported_count) == (14, 56, 12)


def test_new_imported_totals_replace_the_old_imported_part_only():
    article = ArticleFactory()
    set_imported_totals(article.pk, 12, 50)
    vote(article, 4)
    assert set_imported_totals(article.pk, 20, 90)
    summary = RatingSummary.objects.get(article=article)
    assert (summary.vote_count, summary.vote_total) == (21, 94)
    assert not set_imported_totals(article.pk, 20, 90), "unchanged totals change nothing"


@pytest.mark.parametrize(("count", "total"), [(3, 16), (3, 2), (-1, 0)])
def test_impossible_totals_are_refused(count, total):
    article = ArticleFactory()
    with pytest.raises(ValueError):
        set_imported_totals(article.pk, count, total)


def test_the_database_refuses_an_imported_sum_out_of_range():
    article = ArticleFactory()
    with pytest.raises(IntegrityError):
        RatingSummary.objects.create(
            article=article, imported_count=2, imported_total=11, vote_count=2, vote_total=11
        )
