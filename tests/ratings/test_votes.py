"""Storing votes: one per reader per story, running totals that stay exact."""

import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from ratings.models import Feedback, RatingSummary, Vote, record_vote
from ratings.signals import rating_changed
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_new_story_has_no_summary_and_averages_zero(article):
    summary = RatingSummary.for_article_id(article.pk)
    assert (summary.vote_count, summary.average) == (0, 0)


def test_votes_from_different_readers_add_up(article, vote_on):
    vote_on(article, 5, 4, 4)
    summary = RatingSummary.objects.get(article=article)
    assert summary.vote_count == 3
    assert summary.vote_total == 13
    assert summary.average == Decimal(13) / Decimal(3)
    assert str(summary.rounded_average) == "4.3"
    assert summary.distribution == [(5, 1), (4, 2), (3, 0), (2, 0), (1, 0)]


def test_voting_again_changes_the_vote_instead_of_adding_one(article):
    reader = uuid.uuid4()
    record_vote(article.pk, reader, 2, "h")
    changed = record_vote(article.pk, reader, 5, "h").changed
    assert changed
    assert Vote.objects.get(article=article, voter=reader).stars == 5
    summary = RatingSummary.objects.get(article=article)
    assert (summary.vote_count, summary.vote_total, summary.stars_2, summary.stars_5) == (
        1,
        5,
        0,
        1,
    )


def test_repeating_the_same_vote_changes_nothing(article):
    reader = uuid.uuid4()
    record_vote(article.pk, reader, 3, "h")
    changed = record_vote(article.pk, reader, 3, "h").changed
    assert not changed
    assert RatingSummary.objects.get(article=article).vote_count == 1


def test_the_database_refuses_a_second_vote_from_the_same_reader(article):
    reader = uuid.uuid4()
    Vote.objects.create(article=article, voter=reader, stars=3, address_hash="h")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(article=article, voter=reader, stars=4, address_hash="h")


def test_the_database_refuses_stars_outside_one_to_five(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(article=article, voter=uuid.uuid4(), stars=6, address_hash="h")


def test_average_rounds_half_up_to_one_decimal(article, vote_on):
    vote_on(article, 4, 4, 4, 5)  # 4.25
    summary = RatingSummary.objects.get(article=article)
    assert summary.average == Decimal("4.25")
    assert str(summary.rounded_average) == "4.3"


def test_rebuilt_summary_equals_the_kept_one(article, vote_on):
    vote_on(article, 1, 2, 5, 5, 3)
    record_vote(article.pk, uuid.uuid4(), 4, "h")
    kept = RatingSummary.objects.get(article=article)
    kept_values = (kept.vote_count, kept.vote_total, kept.distribution)
    assert kept.rebuild_from_votes() is False  # nothing had drifted
    kept.refresh_from_db()
    assert (kept.vote_count, kept.vote_total, kept.distribution) == kept_values


def test_rebuild_command_repairs_a_drifted_summary(article, vote_on, capsys):
    vote_on(article, 5, 3)
    RatingSummary.objects.filter(article=article).update(vote_total=99)
    with pytest.raises(Exception, match="differ from their votes"):
        call_command("rebuild_rating_summaries", "--check")
    assert RatingSummary.objects.get(article=article).vote_total == 99  # --check fixes nothing
    call_command("rebuild_rating_summaries")
    summary = RatingSummary.objects.get(article=article)
    assert (summary.vote_count, summary.vote_total) == (2, 8)
    call_command("rebuild_rating_summaries", "--check")
    assert "0 summaries drifted" in capsys.readouterr().out


def test_rebuild_command_names_an_unknown_story():
    with pytest.raises(Exception, match="No story with id 424242"):
        call_command("rebuild_rating_summaries", "--article", "424242")


def test_rating_changed_is_sent_after_commit_only_when_numbers_change(
    article, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, article_id, **kwargs):
        received.append(article_id)

    rating_changed.connect(listener)
    try:
        reader = uuid.uuid4()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            record_vote(article.pk, reader, 4, "h")
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert received == [article.pk]
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            record_vote(article.pk, reader, 4, "h")  # same vote again
        assert callbacks == []
    finally:
        rating_changed.disconnect(listener)


def test_feedback_is_kept_only_with_a_low_vote(article):
    record_vote(article.pk, uuid.uuid4(), 2, "h", feedback="More about the budget, please.")
    record_vote(article.pk, uuid.uuid4(), 5, "h", feedback="Great!")
    assert list(Feedback.objects.values_list("stars", "text")) == [
        (2, "More about the budget, please.")
    ]


def test_deleting_a_story_deletes_its_votes_and_summary(vote_on):
    story = ArticleFactory()
    vote_on(story, 3)
    story.delete()
    assert not Vote.objects.exists()
    assert not RatingSummary.objects.exists()
