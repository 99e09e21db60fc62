"""Many readers voting at once, and one reader clicking many times: totals stay exact.

PostgreSQL only (SQLite serialises writers and has no row locks); real threads, each with its
own database connection, through the whole HTTP stack.
"""

import threading
from decimal import Decimal

import pytest
from django.core.signing import get_cookie_signer
from django.db import connection
from django.test import Client
from django.urls import reverse

from ratings.models import RatingSummary, Vote
from ratings.voters import VOTER_COOKIE, VOTER_COOKIE_SALT, new_voter_id
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_parallel(jobs):
    """Run callables in threads released together by a barrier; return their results."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def run(i, job):
        try:
            barrier.wait(timeout=30)
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def _vote(url, stars, address, cookies=None):
    def job():
        client = Client()
        for name, value in (cookies or {}).items():
            client.cookies[name] = value
        response = client.post(
            url,
            {"stars": str(stars)},
            HTTP_ORIGIN="http://testserver",
            HTTP_ACCEPT="application/json",
            REMOTE_ADDR=address,
        )
        return response.status_code

    return job


def _assert_summary_equals_fresh_aggregate(article):
    kept = RatingSummary.objects.get(article=article)
    kept_values = (kept.vote_count, kept.vote_total, kept.distribution)
    assert kept.rebuild_from_votes() is False
    return kept_values


def test_fifty_readers_voting_at_once_are_all_counted_exactly(settings):
    settings.RATINGS_VOTES_PER_MINUTE = 1000
    article = ArticleFactory()
    url = reverse("ratings:vote", args=[article.pk])
    stars = [(i % 5) + 1 for i in range(60)]
    statuses = _in_parallel([_vote(url, s, f"198.51.100.{i % 250}") for i, s in enumerate(stars)])
    assert statuses == [200] * 60
    count, total, distribution = _assert_summary_equals_fresh_aggregate(article)
    assert count == 60 == Vote.objects.filter(article=article).count()
    assert total == sum(stars)
    assert distribution == [(n, 12) for n in range(5, 0, -1)]
    summary = RatingSummary.objects.get(article=article)
    assert summary.average == Decimal("3.0")


def test_one_reader_sending_ten_votes_at_once_has_exactly_one_vote(settings):
    settings.RATINGS_VOTES_PER_MINUTE = 1000
    article = ArticleFactory()
    url = reverse("ratings:vote", args=[article.pk])
    first = Client()
    first.post(url, {"stars": "1"}, HTTP_ORIGIN="http://testserver")
    cookies = {VOTER_COOKIE: first.cookies[VOTER_COOKIE].value}
    statuses = _in_parallel([_vote(url, (i % 5) + 1, "198.51.100.9", cookies) for i in range(10)])
    assert statuses == [200] * 10
    vote = Vote.objects.get(article=article)  # exactly one row
    count, total, _ = _assert_summary_equals_fresh_aggregate(article)
    assert (count, total) == (1, vote.stars)
    assert RatingSummary.objects.get(article=article).average == Decimal(vote.stars)


def test_ten_first_votes_at_once_from_a_new_reader_give_one_vote(settings):
    """Parallel first votes (no row yet) from one browser still make a single vote."""
    settings.RATINGS_VOTES_PER_MINUTE = 1000
    article = ArticleFactory()
    url = reverse("ratings:vote", args=[article.pk])
    # Same browser, same signed voter id on every request, and no vote stored yet.
    signer = get_cookie_signer(salt=VOTER_COOKIE + VOTER_COOKIE_SALT)
    cookies = {VOTER_COOKIE: signer.sign(str(new_voter_id()))}
    _in_parallel([_vote(url, 4, "198.51.100.10", cookies) for _ in range(10)])
    assert Vote.objects.filter(article=article).count() == 1
    assert _assert_summary_equals_fresh_aggregate(article)[:2] == (1, 4)
