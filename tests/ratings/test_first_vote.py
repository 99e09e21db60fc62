"""A reader has their voter id before their first vote, so a double-click is one vote.

The cached story page carries no cookie; the first private request it makes (the live
summary ratings.js fetches, or the no-JavaScript ``mine.css``) sets the signed voter cookie.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ratings.models import RatingSummary, Vote
from ratings.voters import VOTER_COOKIE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _browser_that_loaded_the_page(article, private_url_name="ratings:summary"):
    browser = Client()
    page = browser.get(article.get_absolute_url())
    assert page.status_code == 200 and not page.cookies  # the cached page stays cookie-free
    browser.get(reverse(private_url_name, args=[article.pk]))
    return browser


def _cookies(browser):
    return {name: morsel.value for name, morsel in browser.cookies.items()}


def _click(article, cookies, stars=4):
    """One vote request carrying the cookies the browser had when it was sent."""
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client.post(
        reverse("ratings:vote", args=[article.pk]),
        {"stars": str(stars)},
        HTTP_ORIGIN="http://testserver",
        HTTP_ACCEPT="application/json",
        REMOTE_ADDR="198.51.100.30",
    )


@pytest.mark.parametrize("private_url_name", ["ratings:summary", "ratings:own_vote_css"])
def test_the_pages_private_requests_set_a_signed_httponly_voter_cookie(private_url_name):
    article = ArticleFactory()
    browser = _browser_that_loaded_the_page(article, private_url_name)
    cookie = browser.cookies[VOTER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert ":" in cookie.value  # signed
    again = browser.get(reverse(private_url_name, args=[article.pk]))
    assert VOTER_COOKIE not in again.cookies  # kept, not replaced


def test_a_tampered_voter_cookie_is_replaced_by_the_summary():
    article = ArticleFactory()
    browser = Client()
    browser.cookies[VOTER_COOKIE] = "not-a-signed-id"
    response = browser.get(reverse("ratings:summary", args=[article.pk]))
    assert response.cookies[VOTER_COOKIE].value != "not-a-signed-id"


def test_a_first_double_click_is_one_vote():
    """Both clicks leave before the first answer, so neither carries a cookie from a vote."""
    article = ArticleFactory()
    cookies = _cookies(_browser_that_loaded_the_page(article))
    assert _click(article, cookies, 5).status_code == 200
    assert _click(article, cookies, 5).status_code == 200
    assert Vote.objects.filter(article=article).count() == 1
    assert RatingSummary.objects.get(article=article).vote_count == 1


def test_the_no_javascript_stylesheet_also_makes_a_double_click_one_vote():
    article = ArticleFactory()
    cookies = _cookies(_browser_that_loaded_the_page(article, "ratings:own_vote_css"))
    for _ in range(2):
        _click(article, cookies, 2)
    assert Vote.objects.filter(article=article).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_first_votes_from_a_browser_that_loaded_the_page_are_one_vote(settings):
    settings.RATINGS_VOTES_PER_MINUTE = 1000
    article = ArticleFactory()
    cookies = _cookies(_browser_that_loaded_the_page(article))
    barrier = threading.Barrier(10)
    statuses, errors = [], []

    def click():
        try:
            barrier.wait(timeout=30)
            statuses.append(_click(article, cookies).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert statuses == [200] * 10
    assert Vote.objects.filter(article=article).count() == 1
    summary = RatingSummary.objects.get(article=article)
    assert summary.vote_count == 1 and summary.rebuild_from_votes() is False
