"""A new story starts with the writer's own byline and usual section; no alarming icons."""

import pytest

from articles.models import Article
from tests.admin.story_form import add_url, change_url
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def byline_form(response):
    inlines = response.context["inline_admin_formsets"]
    return next(f for f in inlines if f.formset.prefix == "bylines").formset.forms[0]


def test_a_new_story_is_offered_under_the_reporters_own_byline(reporter_client, reporter):
    AuthorFactory(name="Aaron Aardvark", slug="aaron")  # first in the list, and not them
    response = reporter_client.get(add_url())
    assert byline_form(response).initial["author"] == reporter.author_profile.pk
    assert "Rita Reporter" in response.content.decode()


def test_a_new_story_defaults_to_the_section_the_reporter_used_last(
    reporter_client, reporter, section
):
    sports = SectionFactory(name="Sports", slug="sports")
    ArticleFactory(section=section, created_by=reporter, status=Article.Status.DRAFT)
    ArticleFactory(section=sports, created_by=reporter, status=Article.Status.DRAFT)
    ArticleFactory(section=section, status=Article.Status.DRAFT)  # someone else's, later
    form = reporter_client.get(add_url()).context["adminform"].form
    assert form.initial["section"] == sports.pk


def test_a_reporter_without_stories_gets_no_section_forced_on_them(reporter_client):
    form = reporter_client.get(add_url()).context["adminform"].form
    assert "section" not in form.initial


def test_lead_story_is_said_in_words_not_a_red_cross(reporter_client, own_draft):
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert "icon-no.svg" not in page
    assert "Lead story" in page


def test_a_reporter_cannot_make_their_story_a_lead_story(reporter_client, own_draft):
    from tests.admin.story_form import story_form_data

    reporter_client.post(change_url(own_draft), story_form_data(own_draft, featured="on"))
    own_draft.refresh_from_db()
    assert own_draft.featured is False


def test_the_breadcrumb_names_the_newsroom_then_the_stories(reporter_client, own_draft):
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert "Stories</a>\n&rsaquo; Stories" not in page
    crumbs = page.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert "Newsroom" in crumbs and "Stories" in crumbs
