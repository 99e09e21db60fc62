"""The live story's JSON-LD: a LiveBlogPosting with its updates and coverage times."""

import json
import re

import pytest

from live import services

from .conftest import post

pytestmark = pytest.mark.django_db


def _json_ld(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))[0]


def test_a_live_story_is_a_live_blog_posting(client, live_story, reporter):
    first = post(live_story, reporter, "Polls close.")
    second = post(live_story, reporter, "First results.")
    data = _json_ld(client, live_story)
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"].startswith(str(live_story.live_coverage.started_at.year))
    assert "coverageEndTime" not in data
    updates = data["liveBlogUpdate"]
    assert [u["@type"] for u in updates] == ["BlogPosting", "BlogPosting"]
    assert [u["articleBody"] for u in updates] == ["First results.", "Polls close."]
    assert updates[0]["url"].endswith(f"/live/{second.pk}/")
    assert updates[1]["author"] == [{"@type": "Person", "name": "Rita Reporter"}]
    assert data["headline"] == live_story.headline  # still the story's NewsArticle fields
    assert first.pk


def test_ended_coverage_has_its_end_time(client, live_story, reporter):
    services.end(live_story.live_coverage, by=reporter)
    assert "coverageEndTime" in _json_ld(client, live_story)


def test_a_story_that_is_not_live_stays_a_news_article(client, section):
    from tests.factories import ArticleFactory

    story = ArticleFactory(section=section)
    data = _json_ld(client, story)
    assert data["@type"] == "NewsArticle" and "liveBlogUpdate" not in data
