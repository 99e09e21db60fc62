"""Story addresses: made from the headline, unique, and stable once shared."""

import pytest

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_headline():
    article = ArticleFactory(headline="Québec’s premier visits Îles-de-la-Madeleine")
    assert article.slug == "quebecs-premier-visits-iles-de-la-madeleine"


def test_same_headline_gets_a_distinct_slug():
    first = ArticleFactory(headline="Budget day in Ottawa")
    second = ArticleFactory(headline="Budget day in Ottawa")
    assert first.slug != second.slug


def test_old_address_redirects_permanently_after_slug_change(client):
    article = ArticleFactory(headline="Original headline")
    old_url = article.get_absolute_url()
    article.slug = "a-better-address"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/story/a-better-address/"
    assert client.get("/story/a-better-address/").status_code == 200


def test_old_address_of_an_unpublished_story_is_still_a_404(client):
    article = ArticleFactory(headline="Original headline")
    article.slug = "renamed"
    article.save()
    article.status = Article.Status.UNPUBLISHED
    article.save()
    assert client.get("/story/original-headline/").status_code == 404


def test_new_story_cannot_take_an_old_address():
    article = ArticleFactory(headline="Reused words")
    article.slug = "moved"
    article.save()
    newcomer = ArticleFactory(headline="Reused words")
    assert newcomer.slug != "reused-words"
