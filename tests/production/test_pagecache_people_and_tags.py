"""Renaming an author or a tag, or deleting a tag, clears every cached page showing it."""

import pytest
from taggit.models import Tag

from articles.models import Author
from newsroom import pagecache
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    pagecache._local.clear()


def test_renaming_an_author_clears_their_page_and_their_stories(
    client, django_capture_on_commit_callbacks
):
    """The byline on the story and the author's page show the new name."""
    author = AuthorFactory(name="Jane Tremblay", bio="Covers the legislature.")
    story = ArticleFactory(authors=[author])
    pages = [story.get_absolute_url(), author.get_absolute_url()]
    for url in pages:
        assert "Jane Tremblay" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        author.name = "Jane Tremblay-Roy"
        author.save()
    for url in pages:
        assert "Jane Tremblay-Roy" in client.get(url).content.decode(), url


def test_an_authors_new_bio_reaches_the_story_page(client, django_capture_on_commit_callbacks):
    """The one-author byline block shows the first line of the bio."""
    author = AuthorFactory(bio="Covers the legislature.")
    story = ArticleFactory(authors=[author])
    assert "Covers the legislature." in client.get(story.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = Author.objects.get(pk=author.pk)
        fresh.bio = "Covers city hall."
        fresh.save()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Covers city hall." in page
    assert "Covers the legislature." not in page


def test_a_new_author_slug_leaves_no_old_page_behind(client, django_capture_on_commit_callbacks):
    """The author's page under the old address is no longer served from the cache."""
    author = AuthorFactory(slug="jane-t")
    ArticleFactory(authors=[author])
    assert client.get("/author/jane-t/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        author.slug = "jane-tremblay"
        author.save()
    assert client.get("/author/jane-t/").status_code == 404


def test_renaming_a_tag_clears_its_page_and_its_stories(client, django_capture_on_commit_callbacks):
    """The story page and the tag's page show the tag's new name."""
    tag = TagFactory(name="Wildfires")
    story = ArticleFactory(tags=[tag])
    tag_url = f"/tag/{tag.slug}/"
    for url in (story.get_absolute_url(), tag_url):
        assert "Wildfires" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        renamed = Tag.objects.get(pk=tag.pk)
        renamed.name = "Forest fires"
        renamed.save()
    for url in (story.get_absolute_url(), tag_url):
        assert "Forest fires" in client.get(url).content.decode(), url


def test_deleting_a_tag_clears_its_stories_pages(client, django_capture_on_commit_callbacks):
    """A deleted tag is gone from the story page and its own page."""
    tag = TagFactory(name="Wildfires")
    story = ArticleFactory(tags=[tag])
    tag_url = f"/tag/{tag.slug}/"
    assert "Wildfires" in client.get(story.get_absolute_url()).content.decode()
    assert client.get(tag_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.filter(pk=tag.pk).delete()
    assert "Wildfires" not in client.get(story.get_absolute_url()).content.decode()
    assert client.get(tag_url).status_code == 404
