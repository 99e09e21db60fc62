"""Ratings numbers in the page's language: "4,6 / 5" and "1 234" votes in French."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ratings.models import RatingSummary
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"
SITE = "http://testserver"


def _rated(language, headline):
    """A story of yesterday with 1,234 votes averaging 4.567 (shown 4.6)."""
    story = ArticleFactory(
        headline=headline, language=language, publish_at=timezone.now() - timedelta(days=1)
    )
    RatingSummary.objects.create(
        article=story, vote_count=1234, vote_total=700 * 5 + 534 * 4, stars_5=700, stars_4=534
    )
    return story


def _text(html):
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", "", html))


def _block(html):
    start = html.index('<section class="ratings-block"')
    return _text(html[start : html.index("</section>", start)])


def _rail(html):
    start = html.index('<section class="rail rail--rated"')
    return _text(html[start : html.index("</section>", start)])


def test_french_rating_widget_writes_the_average_with_a_comma_and_groups_the_count(client):
    """The French story page's widget shows "4,6 / 5" and "1 234" votes (no-break space)."""
    story = _rated("fr", "Le budget adopté")
    block = _block(client.get(story.get_absolute_url()).content.decode())
    assert "Note moyenne 4,6 / 5" in block
    assert f"Nombre de votes{NBSP}: 1{NBSP}234" in block


def test_english_rating_widget_keeps_the_decimal_point(client):
    """The English widget still shows "4.6 / 5", its count grouped the English way."""
    story = _rated("en", "Budget passes")
    block = _block(client.get(story.get_absolute_url()).content.decode())
    assert "Average rating 4.6 / 5" in block
    assert "Vote count: 1,234" in block


def test_french_top_rated_rail_writes_french_numbers(client):
    """The French home page's top rated rail shows "4,6 / 5" and "1 234"."""
    _rated("fr", "Le budget adopté")
    rail = _rail(client.get("/fr/").content.decode())
    assert f"Note moyenne 4,6 / 5 · Nombre de votes{NBSP}: 1{NBSP}234" in rail


def test_english_top_rated_rail_keeps_the_decimal_point(client):
    """The English home page's rail still shows "4.6 / 5"."""
    _rated("en", "Budget passes")
    rail = _rail(client.get("/").content.decode())
    assert "Average rating 4.6 / 5 · Vote count: 1,234" in rail


def test_french_json_ld_rating_keeps_plain_numbers(client):
    """Search engines read aggregateRating: plain JSON numbers on the French page too."""
    story = _rated("fr", "Le budget adopté")
    html = client.get(story.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    items = []
    for script in scripts:
        parsed = json.loads(script)
        items.extend(parsed if isinstance(parsed, list) else parsed.get("@graph", [parsed]))
    news = next(item for item in items if item.get("@type") == "NewsArticle")
    assert news["aggregateRating"]["ratingValue"] == 4.6
    assert news["aggregateRating"]["ratingCount"] == 1234


def test_a_vote_from_a_french_page_is_answered_in_french(client):
    """/ratings/ serves both languages: the French form's vote gets French sentences."""
    story = ArticleFactory(headline="Le budget adopté", language="fr")
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="language" value="fr-ca">' in page
    answer = client.post(
        f"/ratings/{story.pk}/vote/",
        {"stars": 4, "language": "fr-ca"},
        HTTP_ORIGIN="http://testserver",
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["message"] == "Merci d’avoir évalué cet article."
    refused = client.post(
        f"/ratings/{story.pk}/vote/", {"stars": 9, "language": "fr-ca"}, HTTP_ORIGIN=SITE
    )
    assert refused.status_code == 400
    assert '<html lang="fr-CA"' in refused.content.decode()
