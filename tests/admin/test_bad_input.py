"""Staff pages answer malformed input with a form error, a 400 or a sensible default, never a 500.

NUL characters and integers past 2^31 only fail on PostgreSQL: run this module on both
(``DATABASE_URL=postgres://… pytest tests/admin/test_bad_input.py``).
"""

import json

import pytest
from django.urls import reverse

from articles.models import Autosave, Byline
from tests.admin.story_form import change_url, story_form_data
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def autosave(client, article, **values):
    payload = {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": article.body,
        "loaded_version": article.version,
        **values,
    }
    return client.post(
        reverse("admin:articles_article_autosave", args=[article.pk]),
        json.dumps(payload),
        content_type="application/json",
    )


@pytest.mark.parametrize("version", [2**31, 2**63, 10**30])
def test_autosave_refuses_a_version_the_story_never_had(reporter_client, own_draft, version):
    """A loaded_version past the story's own is a 400 with a sentence, and nothing is kept."""
    response = autosave(reporter_client, own_draft, loaded_version=version)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Autosave.objects.exists()


@pytest.mark.parametrize("field", ["headline", "standfirst", "body"])
def test_autosave_drops_nul_characters(reporter_client, own_draft, field):
    """A NUL in the text is left out (PostgreSQL cannot store it); the rest is kept."""
    response = autosave(reporter_client, own_draft, **{field: "Half\x00 a sentence"})
    assert response.status_code == 200
    assert getattr(Autosave.objects.get(), field) == "Half a sentence"


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999", "\x00"])
def test_the_story_list_ignores_an_author_filter_that_is_no_author(editor_client, value):
    """?author=abc on the story list is not a 500."""
    ArticleFactory(headline="Council approves transit line")
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"author": value})
    assert response.status_code in (200, 302, 400)


def test_the_story_list_still_filters_by_author(editor_client):
    """The author filter keeps working for a real author."""
    author = AuthorFactory(name="Priya Patel")
    mine = ArticleFactory(headline="Priya's story", authors=[author])
    ArticleFactory(headline="Someone else's story")
    response = editor_client.get(
        reverse("admin:articles_article_changelist"), {"author": str(author.pk)}
    )
    assert list(response.context["cl"].queryset) == [mine]


@pytest.mark.parametrize("term", ["\x00", "fire\x00", "%"])
def test_tag_suggestions_answer_nul_characters_without_an_error(editor_client, term):
    """?q=%00 on tag suggestions is a clean answer, never a 500."""
    response = editor_client.get(reverse("admin:articles_article_tag_suggestions"), {"q": term})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("author", ["abc", "1.5", "99999999999999999999", "\x00"])
def test_the_story_form_shows_an_error_for_a_byline_that_is_no_author(editor_client, author):
    """A non-numeric byline author is a form error, and the story is not changed."""
    story = ArticleFactory(headline="Old headline")
    bylines_before = list(Byline.objects.filter(article=story).values_list("author_id", flat=True))
    data = story_form_data(
        story,
        headline="New headline",
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": author,
            "bylines-0-position": "0",
            "bylines-0-article": str(story.pk),
        },
    )
    data["bylines-INITIAL_FORMS"] = "0"
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 200
    assert response.context["errors"]
    story.refresh_from_db()
    assert story.headline == "Old headline"
    after = list(Byline.objects.filter(article=story).values_list("author_id", flat=True))
    assert after == bylines_before
