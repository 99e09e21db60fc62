"""What readers see of the public record: the notes and JSON-LD on a corrected story, its
history page, the corrections page and feeds, in both languages, cached and invalidated
with the story."""

import json
import re
from datetime import UTC, datetime

import feedparser
import pytest

from articles import workflow
from articles.models import Article, InfoPage, StoryChange
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db

Kind = StoryChange.Kind
NOTE = "An earlier version of this story misstated the vote."


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://news.example.ca"


def correct(story, note=NOTE, kind=Kind.CORRECTION, **text):
    for field, value in text.items():
        setattr(story, field, value)
    story.describe_change(kind, note)
    story.save()
    return story


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_a_corrected_story_shows_its_note_updated_time_and_history_link(client, time_machine):
    time_machine.move_to(datetime(2026, 12, 8, 13, 0, tzinfo=UTC), tick=False)
    story = ArticleFactory(body="<p>The vote was 9 to 2.</p>")
    time_machine.move_to(datetime(2026, 12, 8, 14, 30, tzinfo=UTC), tick=False)
    correct(story, body="<p>The vote was 9 to 3.</p>")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Updated <time" in html and ">Dec. 8, 2026, 9:30 a.m.</time>" in html
    assert (
        '<strong>Correction, <time datetime="2026-12-08T09:30:00-05:00">Dec. 8, 2026, '
        f"9:30 a.m.</time>:</strong> {NOTE}"
    ) in html
    assert f'href="{story.get_absolute_url()}history/"' in html


def test_notes_are_newest_first_and_a_minor_edit_is_not_shown(client, time_machine):
    time_machine.move_to(datetime(2026, 12, 8, 13, 0, tzinfo=UTC), tick=False)
    story = ArticleFactory()
    time_machine.move_to(datetime(2026, 12, 8, 14, 0, tzinfo=UTC), tick=False)
    correct(story, "The first note.", Kind.CLARIFICATION, standfirst="Clearer.")
    time_machine.move_to(datetime(2026, 12, 8, 15, 0, tzinfo=UTC), tick=False)
    correct(story, "The minister has since resigned.", Kind.UPDATE, body="<p>Resigned.</p>")
    time_machine.move_to(datetime(2026, 12, 8, 16, 0, tzinfo=UTC), tick=False)
    correct(story, "", Kind.MINOR, body="<p>Resigned!</p>")
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.index("Update, ") < html.index("Clarification, ")
    assert "Minor edit" not in html
    assert ">Dec. 8, 2026, 10 a.m.</time>" in html  # "Updated": the update, not the minor edit


def test_the_json_ld_of_a_corrected_story_has_its_correction_and_date_modified(
    client, time_machine
):
    time_machine.move_to(datetime(2026, 12, 8, 13, 0, tzinfo=UTC), tick=False)
    story = ArticleFactory()
    time_machine.move_to(datetime(2026, 12, 8, 14, 30, tzinfo=UTC), tick=False)
    correct(story, body="<p>Fixed.</p>")
    time_machine.move_to(datetime(2026, 12, 8, 15, 0, tzinfo=UTC), tick=False)
    correct(story, "", Kind.MINOR, body="<p>Fixed!</p>")
    [[article, _breadcrumbs]] = json_ld(client.get(story.get_absolute_url()).content.decode())
    assert article["correction"] == [
        {"@type": "CorrectionComment", "text": NOTE, "datePublished": "2026-12-08T09:30:00-05:00"}
    ]
    assert article["dateModified"] == "2026-12-08T09:30:00-05:00"


def test_a_story_never_corrected_has_no_correction_in_its_json_ld(client):
    story = ArticleFactory()
    [[article, _breadcrumbs]] = json_ld(client.get(story.get_absolute_url()).content.decode())
    assert "correction" not in article


def test_the_history_lists_every_public_version_with_the_words_that_changed(client):
    story = ArticleFactory(headline="Council votes", body="<p>The vote was 9 to 2.</p>")
    correct(story, body="<p>The vote was 9 to 3.</p>")
    correct(story, "", Kind.MINOR, headline="Council votes on transit")
    html = client.get(f"{story.get_absolute_url()}history/").content.decode()
    assert html.index("Minor edit") < html.index("Correction") < html.index("First publication")
    assert "<del>2.</del><ins>3.</ins>" in html
    assert "<ins>votes on transit</ins>" in html
    assert NOTE in html
    assert "The vote was 9 to 2." in html  # the first version's text


def test_a_story_readers_may_not_see_has_no_history(client):
    editor = StaffFactory(group="Editor")
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    gone = ArticleFactory()
    workflow.move(gone, Article.Status.UNPUBLISHED, by=editor)
    for story in (draft, gone):
        assert client.get(f"/story/{story.slug}/history/").status_code == 404


def test_the_french_history_is_at_the_french_address(client):
    story = ArticleFactory(language="fr", headline="Le conseil vote", body="<p>9 contre 2.</p>")
    correct(story, "Une version précédente se trompait sur le vote.", body="<p>9 contre 3.</p>")
    response = client.get(f"/fr/article/{story.slug}/historique/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Historique de «\u00a0Le conseil vote\u00a0»" in html
    assert "Correction, <time" in html and "Une version précédente" in html
    assert client.get(f"/story/{story.slug}/history/").status_code == 404


def test_the_corrections_page_shows_the_policy_then_corrections_newest_first(client):
    InfoPage.objects.update_or_create(
        slug="corrections",
        language="en",
        defaults={"title": "Corrections policy", "body": "<p>We correct errors.</p>"},
    )
    older = correct(ArticleFactory(headline="Budget passes"), "Older note.")
    correct(ArticleFactory(headline="Mayor resigns"), "Newer note.", Kind.CLARIFICATION)
    correct(ArticleFactory(headline="Just an update"), "News.", Kind.UPDATE)
    draft = ArticleFactory(headline="Hidden", status=Article.Status.DRAFT, publish_at=None)
    html = client.get("/corrections/").content.decode()
    assert html.index("We correct errors.") < html.index("Mayor resigns") < html.index("Budget")
    assert "Just an update" not in html and draft.headline not in html
    assert f"/story/{older.slug}/history/#change-" in html
    assert 'type="application/rss+xml"' in html


def test_the_corrections_page_is_per_language_and_paginated(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for n in range(3):
        correct(ArticleFactory(headline=f"English story {n}"), f"Note {n}.")
    correct(ArticleFactory(language="fr", headline="Article français"), "Note en français.")
    html = client.get("/corrections/").content.decode()
    assert "Article français" not in html and "Page 1 of 2" in html
    assert "English story 0" in client.get("/corrections/?page=2").content.decode()
    assert client.get("/corrections/?page=abc").status_code == 200
    french = client.get("/fr/corrections/").content.decode()
    assert "Article français" in french and "English story" not in french


@pytest.mark.parametrize("address", ["/feeds/corrections/rss/", "/feeds/corrections/atom/"])
def test_the_corrections_feeds_list_corrections_and_clarifications(client, address):
    story = correct(ArticleFactory(headline="Budget passes"))
    correct(ArticleFactory(headline="Only updated"), "News.", Kind.UPDATE)
    feed = feedparser.parse(client.get(address).content)
    [entry] = feed.entries
    assert entry.title == "Correction: Budget passes"
    assert NOTE in entry.summary
    assert entry.link.startswith(f"https://news.example.ca/story/{story.slug}/history/#change-")


def test_the_french_corrections_feed(client):
    correct(ArticleFactory(language="fr", headline="Le budget passe"), "Une note.")
    feed = feedparser.parse(client.get("/fr/fils/corrections/rss/").content)
    assert [e.title for e in feed.entries] == ["Correction\u00a0: Le budget passe"]


def test_history_and_corrections_pages_are_cached_and_invalidated_with_the_story(
    client, page_cache_on, django_capture_on_commit_callbacks
):
    story = ArticleFactory(body="<p>The vote was 9 to 2.</p>")
    history = f"{story.get_absolute_url()}history/"
    assert "Correction, <time" not in client.get(history).content.decode()
    assert "Budget" not in client.get("/corrections/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Budget passes"
        correct(story, body="<p>The vote was 9 to 3.</p>")
    assert "<ins>3.</ins>" in client.get(history).content.decode()
    assert "Budget passes" in client.get("/corrections/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(story, Article.Status.UNPUBLISHED, by=StaffFactory(group="Editor"))
    assert client.get(history).status_code == 404
    assert "Budget passes" not in client.get("/corrections/").content.decode()
