"""The link dialog's search: other stories by headline, with their canonical address, for
the newsroom only and never a story readers cannot reach."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def search(client, words):
    return client.get(reverse("admin:articles_article_link_search"), {"q": words})


def test_published_stories_are_found_by_the_words_of_their_headline(
    reporter_client, section, settings
):
    settings.SITE_URL = "https://www.example.ca"
    story = ArticleFactory(headline="Transit fares frozen for another year", section=section)
    ArticleFactory(
        headline="Transit fares to rise (draft)",
        section=section,
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    answer = search(reporter_client, "fares TRANSIT").json()
    assert answer == {
        "stories": [
            {
                "headline": story.headline,
                "url": f"https://www.example.ca{story.get_absolute_url()}",
                "language": "en",
            }
        ]
    }


def test_a_short_or_empty_search_finds_nothing_and_readers_are_sent_to_sign_in(
    reporter_client, section
):
    ArticleFactory(headline="A", section=section)
    assert search(reporter_client, "").json() == {"stories": []}
    assert search(reporter_client, "a").json() == {"stories": []}
    assert search(Client(), "transit").status_code == 302


def test_the_search_costs_one_query_of_its_own_whatever_it_finds(
    reporter_client, section, django_assert_num_queries
):
    for n in range(12):
        ArticleFactory(headline=f"Budget story {n}", section=section, slug=f"budget-{n}")
    # The session, the user and their permissions (two), then the search itself.
    with django_assert_num_queries(5):
        answer = search(reporter_client, "budget").json()
    assert len(answer["stories"]) == 8
