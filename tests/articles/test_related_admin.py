"""Editors pin and exclude related stories on the story's admin page."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from articles.models import Article
from desk.admin.inlines import RelatedExclusionInline, RelatedPinInline
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_story_admin_page_has_pins_and_exclusions(client):
    editor = UserFactory(is_staff=True, is_superuser=True)
    editor.save()  # the factory sets the password after saving; the session hash needs it
    client.force_login(editor)
    story = ArticleFactory()
    response = client.get(f"/admin/articles/article/{story.pk}/change/", follow=True)
    assert response.status_code == 200, response.redirect_chain
    page = response.content.decode()
    assert 'name="related_pins-TOTAL_FORMS"' in page
    assert 'name="related_exclusions-TOTAL_FORMS"' in page


def bound_formset(inline, story, related):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    formset_class = inline(Article, admin.site).get_formset(request, story)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-related": str(related.pk),
        f"{prefix}-0-position": "0",
    }
    return formset_class(data, instance=story, prefix=prefix)


@pytest.mark.parametrize("inline", [RelatedPinInline, RelatedExclusionInline])
def test_a_story_cannot_be_pinned_or_excluded_on_its_own_page(inline):
    story, other = ArticleFactory(), ArticleFactory()
    own = bound_formset(inline, story, story)
    assert not own.is_valid()
    assert "cannot be related to itself" in str(own.errors)
    fine = bound_formset(inline, story, other)
    assert fine.is_valid(), fine.errors
    fine.save()
    assert inline.model.objects.filter(article=story, related=other).exists()
