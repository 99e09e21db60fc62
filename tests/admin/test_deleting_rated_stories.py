"""Editors delete stories that readers rated; the ratings and feedback go with the story."""

import uuid

import pytest
from django.urls import reverse

from articles.models import Article
from ratings.addresses import address_hash
from ratings.models import Feedback, RatingSummary, Vote, record_vote
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def rated(article):
    """Give a story two votes and a reader's feedback."""
    for stars in (1, 5):
        record_vote(article.pk, uuid.uuid4(), stars, address_hash("203.0.113.7"))
    Feedback.objects.create(article=article, stars=1, text="Wrong map", voter=str(uuid.uuid4()))
    return article


def test_an_editor_deletes_a_rated_story_and_its_ratings_go_with_it(editor_client):
    """Deleting a story with votes and feedback works for an editor and removes them too."""
    story = rated(ArticleFactory())
    url = reverse("admin:articles_article_delete", args=[story.pk])
    confirm = editor_client.get(url)
    assert confirm.status_code == 200
    assert not confirm.context["perms_lacking"]
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=story.pk).exists()
    assert not Vote.objects.filter(article_id=story.pk).exists()
    assert not Feedback.objects.filter(article_id=story.pk).exists()
    assert not RatingSummary.objects.filter(article_id=story.pk).exists()


def test_an_editor_bulk_deletes_rated_stories(editor_client):
    """ "Delete selected stories" takes rated stories and their ratings too."""
    stories = [rated(ArticleFactory()), rated(ArticleFactory())]
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [s.pk for s in stories], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk__in=[s.pk for s in stories]).exists()
    assert not Vote.objects.filter(article_id__in=[s.pk for s in stories]).exists()


def test_an_editor_still_cannot_delete_feedback_or_ratings_on_their_own(editor_client):
    """Deleting a story does not open the feedback inbox or the ratings list to deletion."""
    story = rated(ArticleFactory())
    feedback = Feedback.objects.get(article=story)
    summary = RatingSummary.objects.get(article=story)
    feedback_delete = reverse("admin:ratings_feedback_delete", args=[feedback.pk])
    summary_delete = reverse("admin:ratings_ratingsummary_delete", args=[summary.pk])
    assert editor_client.post(feedback_delete, {"post": "yes"}).status_code == 403
    assert editor_client.post(summary_delete, {"post": "yes"}).status_code == 403
    assert Feedback.objects.filter(pk=feedback.pk).exists()


def test_a_reporter_still_cannot_delete_a_published_rated_story(reporter_client, reporter):
    """A reporter's own published story stays: deleting stories is the editors' job."""
    story = rated(ArticleFactory(created_by=reporter, authors=[reporter.author_profile]))
    url = reverse("admin:articles_article_delete", args=[story.pk])
    assert reporter_client.post(url, {"post": "yes"}).status_code == 403
    response = reporter_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [story.pk], "post": "yes"},
    )
    assert Article.objects.filter(pk=story.pk).exists()
    assert response.status_code in (200, 302, 403)
    assert Vote.objects.filter(article_id=story.pk).count() == 2
