"""Only published stories whose time has come are visible to readers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

HIDDEN = [
    {"status": Article.Status.DRAFT, "publish_at": None},
    {"status": Article.Status.IN_REVIEW, "publish_at": None},
    {"status": Article.Status.UNPUBLISHED},
    {"status": Article.Status.SCHEDULED, "publish_at": timezone.now() + timedelta(days=1)},
    {"status": Article.Status.PUBLISHED, "publish_at": timezone.now() + timedelta(hours=2)},
]


@pytest.mark.parametrize("fields", HIDDEN, ids=lambda f: f["status"])
def test_story_not_yet_public_is_a_404_everywhere(client, fields):
    """Drafts, stories in review, unpublished and future stories are 404 to the public."""
    article = ArticleFactory(tags=["Hidden tag"], **fields)
    if fields.get("publish_at", "unset") is None:
        Article.objects.filter(pk=article.pk).update(publish_at=None)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article not in Article.objects.published()
    section_page = client.get(article.section.get_absolute_url())
    assert article.headline not in section_page.content.decode()
    tag_page = client.get("/tag/hidden-tag/")
    assert article.headline not in tag_page.content.decode()
    assert article.headline not in client.get("/").content.decode()


def test_published_story_is_public(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.headline in response.content.decode()


def test_scheduled_story_appears_by_itself_when_its_time_comes(client, time_machine):
    """No cron job: the published() query compares with the clock."""
    time_machine.move_to(timezone.now(), tick=False)
    article = ArticleFactory(
        status=Article.Status.SCHEDULED, publish_at=timezone.now() + timedelta(minutes=1)
    )
    assert client.get(article.get_absolute_url()).status_code == 404
    time_machine.shift(timedelta(minutes=2))
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article in Article.objects.published()


def test_publishing_without_a_time_publishes_now():
    article = ArticleFactory(publish_at=None)
    assert article.publish_at is not None
    assert article.is_published


def _feeds(kind, slug):
    return [f"/feeds/{kind}/{slug}/rss/", f"/feeds/{kind}/{slug}/atom/"]


@pytest.mark.parametrize("fields", HIDDEN, ids=lambda f: f["status"])
def test_a_tag_or_author_known_only_from_unpublished_stories_is_a_404(client, fields):
    """Their pages and feeds would otherwise confirm that such a story is being written."""
    article = ArticleFactory(
        tags=["Secret merger"],
        authors=[AuthorFactory(name="Newly Hired", slug="newly-hired", bio="Joins us soon.")],
        **fields,
    )
    if fields.get("publish_at", "unset") is None:
        Article.objects.filter(pk=article.pk).update(publish_at=None)
    for url in (
        ["/tag/secret-merger/", "/author/newly-hired/"]
        + _feeds("tag", "secret-merger")
        + _feeds("author", "newly-hired")
    ):
        assert client.get(url).status_code == 404, url


def test_tag_and_author_pages_exist_once_one_of_their_stories_is_published(client):
    author = AuthorFactory(name="Newly Hired", slug="newly-hired")
    ArticleFactory(tags=["Secret merger"], authors=[author], status=Article.Status.DRAFT)
    ArticleFactory(tags=["Secret merger"], authors=[author])
    for url in (
        ["/tag/secret-merger/", "/author/newly-hired/"]
        + _feeds("tag", "secret-merger")
        + _feeds("author", "newly-hired")
    ):
        assert client.get(url).status_code == 200, url


def test_an_author_page_shows_no_tag_of_their_drafts(client):
    author = AuthorFactory(name="Pat Writer", slug="pat-writer")
    shown = ArticleFactory(tags=["Public works"], authors=[author])
    draft = ArticleFactory(
        tags=["Undisclosed probe"], authors=[author], status=Article.Status.DRAFT
    )
    page = client.get("/author/pat-writer/").content.decode()
    assert shown.headline in page
    assert draft.headline not in page
    assert "Undisclosed probe" not in page and "undisclosed-probe" not in page


def test_a_section_kept_out_of_the_navigation_is_a_404_until_it_has_a_published_story(client):
    hidden = SectionFactory(name="Election night", slug="election-night", in_navigation=False)
    ArticleFactory(section=hidden, status=Article.Status.IN_REVIEW, publish_at=None)
    urls = ["/section/election-night/", *_feeds("section", "election-night")]
    for url in urls:
        assert client.get(url).status_code == 404, url
    ArticleFactory(section=hidden)
    for url in urls:
        assert client.get(url).status_code == 200, url
    listed = SectionFactory(name="Weather", slug="weather")  # in the navigation: public
    assert client.get(listed.get_absolute_url()).status_code == 200
