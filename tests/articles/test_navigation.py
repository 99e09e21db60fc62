"""The section bar marks where the reader is."""

import re

import pytest

from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _marked(html):
    """``[(link text, aria-current value)]`` of the section bar's marked links."""
    bar = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]+" aria-current="([^"]+)">([^<]+)</a>', bar)


@pytest.fixture
def sections():
    canada = SectionFactory(name="Canada", slug="canada")
    return canada, SectionFactory(name="Sports", slug="sports")


def test_a_section_page_marks_its_section_as_the_current_page(client, sections):
    ArticleFactory(section=sections[1])
    assert _marked(client.get("/section/sports/").content.decode()) == [("page", "Sports")]


def test_a_story_marks_its_section_as_current_without_claiming_to_be_it(client, sections):
    story = ArticleFactory(section=sections[0])
    assert _marked(client.get(story.get_absolute_url()).content.decode()) == [("true", "Canada")]


def test_the_home_page_and_search_mark_no_section(client, sections):
    ArticleFactory(section=sections[0])
    assert _marked(client.get("/").content.decode()) == []
    assert _marked(client.get("/search/?q=news").content.decode()) == []


def test_a_french_section_page_marks_its_section(client):
    SectionFactory(name="Société", slug="societe", language="fr")
    assert _marked(client.get("/fr/rubrique/societe/").content.decode()) == [("page", "Société")]
