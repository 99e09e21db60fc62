"""The ratings block on the (cached) story page and the live endpoints next to it."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from ratings.models import record_vote
from ratings.structured_data import aggregate_rating
from ratings.voters import VOTER_COOKIE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _block(html):
    start = html.index('<section class="ratings-block"')
    return html[start : html.index("</section>", start)]


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_a_story_without_votes_shows_zero_and_invites_the_first_vote(article, client):
    block = _block(client.get(article.get_absolute_url()).content.decode())
    text = _text(block)
    assert "Average rating 0 / 5" in text
    assert "Vote count: 0" in text
    assert "be the first" in text
    assert "data-ratings-first>" in block  # not hidden


def test_a_rated_story_shows_its_average_to_one_decimal_and_its_count(article, client, vote_on):
    vote_on(article, 5, 4, 4, 4, 4)  # 4.2
    text = _text(_block(client.get(article.get_absolute_url()).content.decode()))
    assert "Average rating 4.2 / 5" in text
    assert "Vote count: 5" in text
    assert "data-ratings-first hidden" in _block(
        client.get(article.get_absolute_url()).content.decode()
    )


def test_the_block_is_a_labelled_radio_group_with_a_live_region(article, client):
    block = _block(client.get(article.get_absolute_url()).content.decode())
    assert "<fieldset" in block and "<legend>Rate this story from 1 to 5 stars</legend>" in block
    for stars in range(1, 6):
        assert f'type="radio" name="stars" value="{stars}" id="ratings-star-{stars}"' in block
        assert f'<label for="ratings-star-{stars}">' in block
    assert "4 stars</span>" in block and "1 star</span>" in block
    assert 'role="status" aria-live="polite"' in block
    assert 'method="post"' in block
    assert f'action="{reverse("ratings:vote", args=[article.pk])}"' in block


def test_the_story_page_is_the_same_for_every_reader(article):
    """No token, no session, no voter: the page cache can serve one copy to everybody."""
    first_reader, second_reader = Client(), Client()
    first_reader.post(
        reverse("ratings:vote", args=[article.pk]), {"stars": "5"}, HTTP_ORIGIN="http://testserver"
    )
    first = first_reader.get(article.get_absolute_url())
    second = second_reader.get(article.get_absolute_url())
    assert first.content == second.content
    html = first.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "Set-Cookie" not in str(first.headers) and not first.cookies
    assert "Cookie" not in first.get("Vary", "")


def test_the_block_has_no_inline_script_handlers_or_styles(article, client):
    block = _block(client.get(article.get_absolute_url()).content.decode())
    assert re.search(r"<script(?![^>]*\ssrc=)", block) is None
    assert re.search(r"\son[a-z]+=", block) is None
    assert "style=" not in block
    assert '<script src="/static/js/ratings.js" defer></script>' in block


def test_the_block_costs_the_story_page_one_query_at_most(article, client, vote_on):
    vote_on(article, 3)
    client.get(article.get_absolute_url())  # warm the navigation cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    assert sum("ratings_ratingsummary" in q["sql"] for q in queries) == 1


def test_the_live_summary_is_private_and_remembers_the_readers_vote(article, client, post_vote):
    url = reverse("ratings:summary", args=[article.pk])
    before = client.get(url)
    assert before.json()["your_vote"] is None
    assert "private" in before["Cache-Control"] and "no-store" in before["Cache-Control"]
    post_vote(article, {"stars": "4"})
    after = client.get(url).json()
    assert (after["your_vote"], after["count"], after["average_display"]) == (4, 1, "4.0")
    assert after["csrf_token"]
    assert Client().get(url).json()["your_vote"] is None  # another reader


def test_the_live_summary_of_an_unpublished_story_is_404(client):
    from articles.models import Article

    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(reverse("ratings:summary", args=[draft.pk])).status_code == 404


def test_the_own_vote_stylesheet_reveals_only_the_readers_vote(article, client, post_vote):
    url = reverse("ratings:own_vote_css", args=[article.pk])
    assert client.get(url).content == b""
    post_vote(article, {"stars": "3"})
    response = client.get(url)
    assert response["Content-Type"].startswith("text/css")
    assert "no-store" in response["Cache-Control"]
    assert ".ratings-yours--3 { display: block; }" in response.content.decode()
    assert Client().get(url).content == b""


def test_the_cached_page_sets_no_cookie_but_its_live_summary_gives_a_voter_id(article, client):
    page = client.get(article.get_absolute_url())
    assert not page.cookies
    assert VOTER_COOKIE not in client.cookies
    client.get(reverse("ratings:summary", args=[article.pk]))
    assert VOTER_COOKIE in client.cookies


def test_aggregate_rating_matches_the_page(article, vote_on):
    assert aggregate_rating(ArticleFactory()) is None
    vote_on(article, 5, 4, 4, 4, 4)
    article.refresh_from_db()
    assert aggregate_rating(article) == {
        "@type": "AggregateRating",
        "ratingValue": 4.2,
        "ratingCount": 5,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_aggregate_rating_is_none_once_every_vote_is_gone(article):
    reader = uuid.uuid4()
    record_vote(article.pk, reader, 4, "h")
    article.votes.all().delete()
    article.rating_summary.rebuild_from_votes()
    article.refresh_from_db()
    assert aggregate_rating(article) is None


def test_json_ld_carries_the_same_rating_as_the_page(client):
    """NewsArticle JSON-LD has aggregateRating matching the numbers under the story."""
    import json

    article = ArticleFactory()
    for voter, stars in enumerate([5, 4, 4]):
        record_vote(article.pk, uuid.uuid4(), stars, f"address-{voter}")
    html = client.get(article.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = []
    for block in blocks:
        parsed = json.loads(block)
        data.extend(parsed if isinstance(parsed, list) else parsed.get("@graph", [parsed]))
    graph = data
    news = next(d for d in graph if d.get("@type") == "NewsArticle")
    assert news["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.3,
        "ratingCount": 3,
        "bestRating": 5,
        "worstRating": 1,
    }
    text = _text(_block(html))
    assert "Average rating 4.3 / 5" in text and "Vote count: 3" in text


def test_json_ld_has_no_rating_before_the_first_vote(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "aggregateRating" not in html
