"""A story's optional headline and description for search and social: used where set,
the headline and standfirst otherwise, and escaped wherever they go."""

import json
from html import unescape

import pytest

from tests.articles.test_structured_data import SITE, StoryPage, story_page
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def head_title(html):
    return unescape(html.split("<title>", 1)[1].split("</title>", 1)[0])


@pytest.fixture
def story():
    return ArticleFactory(
        headline="Council votes 7-4 to freeze transit fares for a second year in a row",
        standfirst="The TTC board also asked the province for more operating money.",
        section=SectionFactory(name="Toronto", slug="toronto"),
    )


def test_without_them_the_headline_and_standfirst_are_used(client, story):
    page, data, _ = story_page(client, story)
    html = client.get(story.get_absolute_url()).content.decode()
    assert head_title(html) == f"{story.headline} | The Maple Ledger"
    assert page.first("description") == story.standfirst
    assert page.first("og:title") == page.first("twitter:title") == story.headline
    assert page.first("og:description") == page.first("twitter:description") == story.standfirst
    assert data["headline"] == story.headline and data["description"] == story.standfirst
    assert "alternativeHeadline" not in data


def test_when_set_they_replace_headline_and_standfirst_for_search_and_sharing(client, story):
    story.social_headline = "Transit fares frozen again"
    story.social_description = "What the freeze means for your commute."
    story.save()
    page, data, breadcrumbs = story_page(client, story)
    html = client.get(story.get_absolute_url()).content.decode()
    assert head_title(html) == "Transit fares frozen again | The Maple Ledger"
    assert page.first("description") == "What the freeze means for your commute."
    assert page.first("og:title") == page.first("twitter:title") == "Transit fares frozen again"
    assert page.first("og:description") == "What the freeze means for your commute."
    assert page.first("twitter:description") == "What the freeze means for your commute."
    assert data["headline"] == "Transit fares frozen again"
    assert data["alternativeHeadline"] == story.headline
    assert data["description"] == "What the freeze means for your commute."
    # The page itself keeps the headline the desk wrote for it.
    assert page.h1 == story.headline
    assert breadcrumbs["itemListElement"][-1]["name"] == story.headline


def test_blank_ones_fall_back(client, story):
    story.social_headline = "   "
    story.social_description = "  "
    story.save()
    page, data, _ = story_page(client, story)
    assert page.first("og:title") == data["headline"] == story.headline
    assert page.first("description") == data["description"] == story.standfirst


def test_they_are_escaped_in_the_title_meta_tags_and_json_ld(client, story):
    nasty = 'Fares "frozen" & </script><script>alert(1)</script>'
    story.social_headline = nasty
    story.social_description = "<b>Bold</b> claim's & </title>"
    story.save()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<b>Bold" not in html
    assert html.count("</title>") == 1
    page = StoryPage(html)
    assert page.first("og:title") == page.first("twitter:title") == nasty
    assert page.first("description") == "<b>Bold</b> claim's & </title>"
    assert head_title(html) == f"{nasty} | The Maple Ledger"
    [block] = page.json_ld
    data, _ = json.loads(block)
    assert data["headline"] == nasty
    # Only the JSON-LD script's own end tag ends it.
    assert "</script>" not in block
