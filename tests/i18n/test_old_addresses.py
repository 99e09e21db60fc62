"""Old addresses (SlugRedirect) per language, like the slugs themselves."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import SlugRedirect
from tests.factories import ArticleFactory


def _renamed(story, slug):
    story.slug = slug
    story.save()
    return story


@pytest.mark.django_db
def test_both_languages_keep_their_own_old_address_of_the_same_slug(client):
    """An English and a French story both renamed away from "budget": each old address
    leads to its own language's story."""
    english = _renamed(ArticleFactory(headline="Budget"), "budget-2026")
    french = _renamed(ArticleFactory(headline="Budget", language="fr"), "budget-federal")
    assert english.slug != "budget" and french.slug != "budget"

    response = client.get("/story/budget/")
    assert response.status_code == 301
    assert response["Location"] == "/story/budget-2026/"
    response = client.get("/fr/article/budget/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/article/budget-federal/"
    assert set(SlugRedirect.objects.values_list("language", "old_slug", "article")) == {
        ("en", "budget", english.pk),
        ("fr", "budget", french.pk),
    }


@pytest.mark.django_db
def test_an_english_old_address_never_leads_to_a_french_story(client):
    """A French story renamed away from a slug: /story/<old>/ is a 404, not a 301 to it."""
    _renamed(ArticleFactory(headline="Élections", language="fr"), "elections-2026")
    assert client.get("/story/elections/").status_code == 404
    response = client.get("/fr/article/elections/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/article/elections-2026/"


@pytest.mark.django_db
def test_a_french_story_taking_a_slug_leaves_the_english_old_address(client):
    """A French story renamed to "budget" removes only a French old address "budget"."""
    _renamed(ArticleFactory(headline="Budget"), "budget-2026")
    _renamed(ArticleFactory(headline="Brouillon", language="fr"), "budget")
    response = client.get("/story/budget/")
    assert response.status_code == 301
    assert response["Location"] == "/story/budget-2026/"
    assert client.get("/fr/article/budget/").status_code == 200


@pytest.mark.django_db
def test_a_new_french_story_may_take_a_slug_that_is_an_english_old_address():
    """An English old address does not push a French story's slug to "budget-2"."""
    _renamed(ArticleFactory(headline="Budget"), "budget-2026")
    assert ArticleFactory(headline="Budget", language="fr").slug == "budget"
    assert ArticleFactory(headline="Budget").slug == "budget-2"  # still taken in English


BEFORE = [("articles", "0020_front_page_id_sequence")]


@pytest.mark.django_db(transaction=True)  # migrations write the schema
def test_migration_gives_each_old_address_its_storys_language():
    """Rows written before 0021 get their story's language."""
    english = ArticleFactory(headline="Budget")
    french = ArticleFactory(headline="Budget", language="fr")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_state = executor.loader.project_state(BEFORE)
    OldRedirect = old_state.apps.get_model("articles", "SlugRedirect")
    OldRedirect.objects.create(old_slug="budget-en", article_id=english.pk)
    OldRedirect.objects.create(old_slug="budget-fr", article_id=french.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(SlugRedirect.objects.values_list("old_slug", "language")) == {
        ("budget-en", "en"),
        ("budget-fr", "fr"),
    }
