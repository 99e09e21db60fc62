"""Section, tag and author pages list published stories, newest first, in pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_tag_page_lists_tagged_stories_only(client):
    tagged = ArticleFactory(tags=["Arctic"])
    other = ArticleFactory(tags=["Hockey"])
    html = client.get("/tag/arctic/").content.decode()
    assert tagged.headline in html
    assert other.headline not in html
    assert client.get("/tag/no-such-tag/").status_code == 404


def test_a_tag_with_accented_letters_links_to_its_page_and_feed(client):
    """django-taggit keeps "é" in the slug; the story page must still link to the tag."""
    story = ArticleFactory(tags=["Montréal"])
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    link = reverse("articles:tag", args=["montréal"])
    assert link in page.content.decode()
    listing = client.get(link)
    assert listing.status_code == 200 and story.headline in listing.content.decode()
    assert client.get(reverse("articles:feed-tag-rss", args=["montréal"])).status_code == 200


def test_section_page_paginates_newest_first(client, settings):
    section = SectionFactory(slug="canada", name="Canada")
    now = timezone.now()
    stories = [
        ArticleFactory(section=section, publish_at=now - timedelta(hours=i)) for i in range(25)
    ]
    first = client.get("/section/canada/")
    assert first.context["page_obj"].number == 1
    assert list(first.context["stories"])[0] == stories[0]
    assert len(first.context["stories"]) == 20
    second = client.get("/section/canada/?page=2")
    assert list(second.context["stories"]) == stories[20:]
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "", "1.5", "0" * 5000])
def test_bad_page_numbers_give_a_real_page_not_an_error(client, page):
    section = SectionFactory(slug="world")
    ArticleFactory(section=section)
    assert client.get(f"/section/world/?page={page}").status_code == 200


@pytest.mark.parametrize("page", ["2", "999", "99999999999999999999", "9" * 5000])
def test_a_page_past_the_last_is_not_found(client, page):
    """?page=999 of a one-page list is a 404, not the last page again under a new address."""
    section = SectionFactory(slug="world")
    ArticleFactory(section=section)
    assert client.get(f"/section/world/?page={page}").status_code == 404
    assert client.get("/search/", {"q": section.name, "page": page}).status_code in (200, 404)


def test_author_page_shows_bio_and_their_stories(client):
    author = AuthorFactory(name="Priya Patel", slug="priya-patel", bio="Covers Parliament.")
    story = ArticleFactory(authors=[author])
    html = client.get("/author/priya-patel/").content.decode()
    assert "Covers Parliament." in html and story.headline in html


def test_home_page_has_lead_story_and_sections(client):
    canada = SectionFactory(slug="canada", name="Canada")
    sports = SectionFactory(slug="sports", name="Sports")
    others = [ArticleFactory(section=sports) for _ in range(16)]
    lead = ArticleFactory(section=canada, featured=True)
    home = client.get("/").context["home"]
    assert home.lead == lead
    sections = dict(home.sections)
    # Under the lead, the top stories and the "Latest" rail, the section blocks go on.
    assert len(sections[sports]) == 3
    assert sections[sports][0] == others[-11]  # the 4 top stories and 6 latest come first


def test_custom_404_page(client):
    response = client.get("/story/nothing-here/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_listing_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    section = SectionFactory(slug="politics", name="Politics")
    for _ in range(3):
        ArticleFactory(section=section, tags=["Elections"])
    client.get("/section/politics/")  # warm the navigation cache
    with django_assert_num_queries(3):  # section, count, stories
        client.get("/section/politics/")
    for _ in range(12):
        ArticleFactory(section=section, tags=["Elections"])
    with django_assert_num_queries(3):
        client.get("/section/politics/")
    # The home page's own count (with 10 and 100 stories) is in test_home.py.
    with django_assert_num_queries(5):
        client.get("/")
