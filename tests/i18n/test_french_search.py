"""Search on /fr/recherche/ finds French stories only, French-stemmed with accents ignored on
PostgreSQL (the ``french_unaccent`` configuration, migration 0018); English search is as it
was (docs/architecture/languages.md)."""

import pytest

from articles.models import Article
from articles.search import attach_snippets
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(django_capture_on_commit_callbacks):
    # The search vectors are written after the save commits.
    with django_capture_on_commit_callbacks(execute=True):
        french = ArticleFactory(
            headline="Les écoles de Montréal rouvriront lundi",
            body="<p>Les élèves retrouveront leurs classes après la tempête.</p>",
            language="fr",
        )
        english = ArticleFactory(
            headline="Montreal schools reopen on Monday",
            body="<p>Pupils return to class after the storm.</p>",
        )
    return french, english


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["école", "ecole", "ÉCOLES", "montreal", "élève", "eleves"])
def test_french_search_stems_and_ignores_accents(stories, query):
    """ "ecole" finds "écoles", "eleves" finds "élèves": French stems, accents ignored."""
    french, _english = stories
    assert list(Article.objects.published().search(query, "fr")) == [french]


@pytest.mark.postgres
def test_french_snippets_mark_the_accented_words(stories):
    """The snippet marks the story's own (accented) word for an unaccented query."""
    french, _english = stories
    [found] = attach_snippets(Article.objects.published().search("ecole", "fr"), "ecole", "fr")
    assert "<mark>écoles</mark>" in found.headline_html


@pytest.mark.postgres
def test_english_search_is_unchanged_and_english_only(stories):
    """English stemming as before ("schools" finds "school"), and no French story."""
    _french, english = stories
    assert list(Article.objects.published().search("school", "en")) == [english]
    assert list(Article.objects.published().search("montreal", "en")) == [english]


def test_the_search_pages_list_their_own_languages_stories(client, stories):
    """/fr/recherche/ lists the French story, /search/ the English one (both databases;
    SQLite matches substrings, accents included, see the docs)."""
    french, english = stories
    fr_page = client.get("/fr/recherche/", {"q": "Montréal"}).content.decode()
    assert french.get_absolute_url() in fr_page and english.get_absolute_url() not in fr_page
    en_page = client.get("/search/", {"q": "Montreal"}).content.decode()
    assert english.get_absolute_url() in en_page and french.get_absolute_url() not in en_page
