"""The API is cached like the pages: ETags and Last-Modified with 304s, and a story that
leaves the site leaves the API's cached answers at once."""

import pytest
from django.utils.http import http_date

from articles import workflow
from articles.models import Article
from newsroom import pagecache
from tests.factories import ArticleFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture(autouse=True)
def no_limits(settings):
    settings.API_ANONYMOUS_REQUESTS_PER_MINUTE = 0


def test_answers_are_kept_and_carry_the_headers_of_a_cached_page(client):
    story = ArticleFactory()
    first = client.get(f"/api/v1/stories/{story.pk}/")

    again = client.get(f"/api/v1/stories/{story.pk}/")

    assert again.content == first.content
    assert again["ETag"] == first["ETag"] and "Last-Modified" in again
    assert again["Surrogate-Key"].split() == ["site", "api", "lang:en-ca"]
    assert again["Cache-Control"].startswith("public")


def test_an_etag_or_a_date_answers_304(client):
    ArticleFactory()
    first = client.get("/api/v1/stories/")

    by_etag = client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get("/api/v1/stories/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert by_etag.status_code == 304 and by_date.status_code == 304
    assert client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_an_etag_answers_304_without_the_page_cache_too(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    story = ArticleFactory()
    first = client.get(f"/api/v1/stories/{story.pk}/")
    assert first["Last-Modified"] == http_date(story.updated_at.timestamp())

    assert (
        client.get(f"/api/v1/stories/{story.pk}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    assert (
        client.get(
            f"/api/v1/stories/{story.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        ).status_code
        == 304
    )


def test_an_unpublished_story_leaves_every_cached_answer_at_once(
    client, django_capture_on_commit_callbacks
):
    editor = StaffFactory(group="Editor")
    with django_capture_on_commit_callbacks(execute=True):  # search vectors, on PostgreSQL
        story = ArticleFactory(headline="Quintessor wins the vote")
        other = ArticleFactory()
    addresses = [
        "/api/v1/stories/",
        "/api/v1/stories/?format=ninjs",
        f"/api/v1/stories/{story.pk}/",
        f"/api/v1/stories/by-slug/{story.slug}/",
        "/api/v1/search/?q=Quintessor",
        "/api/v1/authors/",
    ]
    for address in addresses:
        assert "Quintessor" in client.get(address).content.decode() or address.endswith("authors/")
        assert client.get(address).status_code == 200  # now served from the cache
    etag = client.get("/api/v1/stories/")["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(story, Article.Status.UNPUBLISHED, by=editor)

    for address in addresses:
        response = client.get(address)
        assert "Quintessor" not in response.content.decode(), address
    assert client.get(f"/api/v1/stories/{story.pk}/").status_code == 404
    assert client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert [s["id"] for s in client.get("/api/v1/stories/").json()["results"]] == [other.pk]


def test_every_bump_of_the_pages_bumps_the_api_and_purges_it_in_front():
    purged = []
    pagecache.on_bump(purged.append)
    try:
        pagecache.bump("story:some-story")
    finally:
        pagecache.entries._bump_hooks.remove(purged.append)
    assert purged == [{"story:some-story", "api"}]
