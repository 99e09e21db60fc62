"""After each save the desk says what happened, to which story, and when (Toronto time)."""

import zoneinfo
from datetime import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from articles import workflow
from articles.models import Article
from desk import preview
from tests.admin.story_form import add_url, change_url, form_errors, story_form_data

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
# Monday, January 5, 2026, 8:15 a.m. in Toronto.
MONDAY_MORNING = datetime(2026, 1, 5, 8, 15, tzinfo=TORONTO)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    return messages_of(response)


def test_submitting_says_submitted_for_review_and_names_the_story(reporter_client, own_draft):
    said = post(
        reporter_client,
        change_url(own_draft),
        story_form_data(own_draft, _transition="review"),
    )
    assert said == [
        "Submitted for review: “Council approves new transit line” "
        f'<a href="{change_url(own_draft)}">Open the story</a>'
    ]


def test_a_submitted_story_tops_the_list_the_reporter_lands_on(reporter_client, own_draft):
    """Stories without a publish time sort by their last change, not after every published
    one, and the message leads back to the story."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ArticleFactory

    now = timezone.now()
    for n in range(25):
        ArticleFactory(headline=f"Published {n}", publish_at=now - timedelta(minutes=n + 1))
    response = reporter_client.post(
        change_url(own_draft), story_form_data(own_draft, _transition="review"), follow=True
    )
    rows = [story.pk for story in response.context["cl"].result_list]
    assert rows[0] == own_draft.pk
    assert f'<a href="{change_url(own_draft)}">Open the story</a>' in response.content.decode()


def test_scheduling_says_when_in_toronto_time(editor_client, own_draft):
    tuesday_nine = datetime(2026, 1, 6, 9, 0, tzinfo=TORONTO)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        said = post(
            editor_client,
            change_url(own_draft),
            story_form_data(own_draft, _transition="scheduled", publish_at=tuesday_nine),
        )
    assert said[0].startswith(
        "Scheduled for 9:00 a.m. Tuesday, January 6: “Council approves new transit line”"
    )


def test_publishing_says_published_and_links_to_the_live_story(editor_client, own_draft):
    said = post(
        editor_client, change_url(own_draft), story_form_data(own_draft, _transition="published")
    )
    own_draft.refresh_from_db()
    assert said[0].startswith("Published: “Council approves new transit line”")
    assert f'<a href="{own_draft.get_absolute_url()}">View on site</a>' in said[0]


def test_a_plain_save_names_the_story_and_the_time(reporter_client, own_draft):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        said = post(reporter_client, change_url(own_draft), story_form_data(own_draft))
    # (Saved without "_continue": the list follows, and the message leads back.)
    assert said[0].startswith("Saved at 8:15 a.m.: “Council approves new transit line”")


def test_a_new_draft_submitted_straight_away_says_so(reporter_client, section):
    said = post(
        reporter_client, add_url(), story_form_data(section=section.pk, _transition="review")
    )
    story = "“Wildfire forces evacuation of Kelowna suburb”"
    assert said[0].startswith(f"Submitted for review: {story}")
    assert ">Open the story</a>" in said[0]


def test_a_year_other_than_this_one_is_spelled_out():
    with time_machine.travel(MONDAY_MORNING, tick=False):
        moment = datetime(2027, 3, 2, 14, 30, tzinfo=TORONTO)
        assert workflow.when_phrase(moment) == "2:30 p.m. Tuesday, March 2, 2027"


def test_a_draft_offers_preview_not_view_on_site(reporter_client, own_draft):
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert "View on site" not in page
    assert reverse("admin:articles_article_preview_link", args=[own_draft.pk]) in page


def test_a_published_story_offers_view_on_site(editor_client, section):
    from tests.factories import ArticleFactory

    story = ArticleFactory(section=section)
    page = editor_client.get(change_url(story)).content.decode()
    assert "View on site" in page
    assert reverse("admin:articles_article_preview_link", args=[story.pk]) not in page


def test_the_preview_is_marked_not_published_and_its_rating_is_inert(reporter_client, own_draft):
    response = reporter_client.get(preview.preview_url(own_draft))
    html = response.content.decode()
    assert "Preview: not published." in html
    assert "newsroom-preview-banner" in html
    # No vote address, no ratings script, every star disabled.
    assert reverse("ratings:vote", args=[own_draft.pk]) not in html
    assert reverse("ratings:summary", args=[own_draft.pk]) not in html
    assert "js/ratings.js" not in html
    assert '<fieldset class="ratings-stars" disabled>' in html
    assert own_draft.status == Article.Status.DRAFT
