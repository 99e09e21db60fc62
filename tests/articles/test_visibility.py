"""Only published stories whose time has come are visible to readers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

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
