"""What readers see of live coverage: entries newest first, key points on top, edits and
deletions, the update endpoint, older pages and permalinks, both languages."""

import json
import re

import pytest
from django.utils import timezone

from articles.models import Article
from live import services
from live.models import LiveEntry
from tests.factories import ArticleFactory

from .conftest import post

pytestmark = pytest.mark.django_db


def test_the_story_page_lists_entries_newest_first_with_key_points_on_top(
    client, live_story, reporter
):
    post(live_story, reporter, "Polls close across the province.")
    post(live_story, reporter, "First results from Ottawa Centre.", key_point=True)
    post(live_story, reporter, "Turnout reported at 52 per cent.")
    page = client.get(live_story.get_absolute_url()).content.decode()
    page = page[page.index('id="live"') :]  # (the head's JSON-LD lists them too)
    entries = page[page.index('id="live-entries"') :]
    assert entries.index("Turnout") < entries.index("First results") < entries.index("Polls close")
    assert page.index('class="live__key-list"') < page.index('id="live-entries"')
    assert "First results" in page[: page.index('id="live-entries"')]
    assert "Rita Reporter" in entries


def test_an_edited_entry_shows_when_it_was_updated(client, live_story, reporter):
    entry = post(live_story, reporter, "Early lead for the incumbent.")
    services.edit(entry, by=reporter, body="<p>Early lead for the challenger.</p>")
    page = client.get(live_story.get_absolute_url()).content.decode()
    assert "Early lead for the challenger." in page and "incumbent" not in page
    assert "live-entry__updated" in page and "Updated" in page


def test_a_deleted_entry_is_gone_from_every_public_address(client, live_story, reporter, editor):
    kept = post(live_story, reporter, "Kept entry.")
    gone = post(live_story, reporter, "Entry posted by mistake.")
    services.delete(gone, by=editor)
    slug = live_story.slug
    for address in (
        live_story.get_absolute_url(),
        f"/story/{slug}/live/updates/",
        f"/story/{slug}/live/feed/",
    ):
        body = client.get(address).content.decode()
        assert "posted by mistake" not in body, address
        assert "Kept entry." in body, address
    assert client.get(f"/story/{slug}/live/{gone.pk}/").status_code == 404
    assert client.get(f"/story/{slug}/live/{kept.pk}/").status_code == 302
    gone.refresh_from_db()
    assert gone.deleted_by == editor and gone.deleted_at is not None


def test_the_update_endpoint_lists_the_first_page_with_versions(client, live_story, reporter):
    first = post(live_story, reporter, "One.")
    second = post(live_story, reporter, "Two.", key_point=True)
    response = client.get(f"/story/{live_story.slug}/live/updates/")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [e["id"] for e in data["entries"]] == [second.pk, first.pk]
    assert data["ended"] is False and data["full"] is False
    assert "Two." in data["key_points"]
    assert f'id="entry-{second.pk}"' in data["entries"][0]["html"]
    assert "s-maxage=5" in response["Cache-Control"] and "public" in response["Cache-Control"]


def test_nothing_of_a_draft_live_story_is_public(client, reporter, editor, section):
    draft = ArticleFactory(
        status=Article.Status.DRAFT, publish_at=None, section=section, slug="draft-live"
    )
    services.start(draft, by=editor)
    entry = post(draft, editor, "Secret draft entry.")
    for address in (
        "/story/draft-live/live/updates/",
        "/story/draft-live/live/feed/",
        "/story/draft-live/live/?page=2",
        f"/story/draft-live/live/{entry.pk}/",
        "/story/draft-live/",
    ):
        response = client.get(address)
        assert response.status_code == 404, address
        assert b"Secret draft entry" not in response.content


def test_older_entries_are_paginated_and_permalinks_find_them(
    client, live_story, reporter, settings
):
    settings.LIVE_PAGE_SIZE = 3
    entries = [post(live_story, reporter, f"Entry number {n}.") for n in range(7)]
    page = client.get(live_story.get_absolute_url()).content.decode()
    assert "Entry number 6." in page and "Entry number 3." not in page
    assert f"/story/{live_story.slug}/live/?page=2" in page
    second = client.get(f"/story/{live_story.slug}/live/?page=2").content.decode()
    assert "Entry number 3." in second and "Entry number 1." in second
    assert "Entry number 0." not in second
    oldest = client.get(f"/story/{live_story.slug}/live/{entries[0].pk}/")
    assert oldest["Location"] == (f"/story/{live_story.slug}/live/?page=3#entry-{entries[0].pk}")
    newest = client.get(f"/story/{live_story.slug}/live/{entries[6].pk}/")
    assert newest["Location"] == f"{live_story.get_absolute_url()}#entry-{entries[6].pk}"


def test_ended_coverage_says_so(client, live_story, reporter):
    post(live_story, reporter, "Final results are in.")
    services.end(live_story.live_coverage, by=reporter)
    page = client.get(live_story.get_absolute_url()).content.decode()
    assert "Live coverage has ended." in page
    assert json.loads(client.get(f"/story/{live_story.slug}/live/updates/").content)["ended"]


def test_a_french_live_story_lives_at_french_addresses(client, editor):
    story = ArticleFactory(language="fr", headline="Soirée électorale", slug="soiree-electorale")
    services.start(story, by=editor)
    services.post(story.live_coverage, by=editor, body="<p>Les bureaux de vote ferment.</p>")
    page = client.get("/fr/article/soiree-electorale/").content.decode()
    assert "Les bureaux de vote ferment." in page
    assert "/fr/article/soiree-electorale/direct/mises-a-jour/" in page
    assert "Mises à jour" in page
    # The time the French way: "14 h 05", no-break spaces around the h.
    assert re.search(r'<time datetime="[^"]+">\d{1,2}\u00a0h\u00a0\d\d</time>', page)
    response = client.get("/fr/article/soiree-electorale/direct/mises-a-jour/")
    assert response.status_code == 200
    assert client.get("/story/soiree-electorale/live/updates/").status_code == 404


def test_entries_are_sanitised_like_story_bodies(live_story, reporter):
    entry = post(live_story, reporter, 'Hello<script>alert(1)</script><a href="javascript:x">x</a>')
    assert "<script" not in entry.body and "javascript:" not in entry.body
    assert LiveEntry.objects.get(pk=entry.pk).body == entry.body


def test_a_live_story_page_is_held_by_a_cdn_for_seconds(client, live_story):
    response = client.get(live_story.get_absolute_url())
    assert "s-maxage=5" in response["Cache-Control"]
    plain = ArticleFactory(section=live_story.section)
    assert "s-maxage=60" in client.get(plain.get_absolute_url())["Cache-Control"]


def test_the_feed_lists_the_entries(client, live_story, reporter):
    post(live_story, reporter, "Feed entry.")
    response = client.get(f"/story/{live_story.slug}/live/feed/")
    assert response.status_code == 200
    assert b"<feed" in response.content and b"Feed entry." in response.content
    assert timezone.now()


def test_video_links_and_embeds_in_updates_are_click_to_load_players(client, live_story, reporter):
    """An allowed host's address, in the text or as the link, becomes a player the reader
    starts (nothing of the host loads before); any other address stays a link."""
    post(live_story, reporter, "Watch the speech.", link="https://youtu.be/dQw4w9WgXcQ")
    services.post(live_story.live_coverage, by=reporter, body="<p>https://vimeo.com/76979871</p>")
    post(live_story, reporter, "Results table.", link="https://example.ca/results")
    page = client.get(live_story.get_absolute_url()).content.decode()
    live = page[page.index('id="live"') :]
    assert live.count('class="embed__play"') == 2
    assert "Play video on YouTube" in live and "Play video on Vimeo" in live
    assert "youtube-nocookie.com" in live and "js/embeds.js" in live
    assert "<iframe" not in page
    assert '<a href="https://example.ca/results"' in live


def test_a_live_page_loads_the_players_script_for_updates_still_to_come(
    client, live_story, reporter, editor
):
    """While the coverage is live, the next update may carry a video: the page that polls
    for it must be able to play it, though nothing on it has a player yet."""
    post(live_story, reporter, "Polls are closed.")
    page = client.get(live_story.get_absolute_url()).content.decode()
    assert "js/embeds.js" in page
    services.end(live_story.live_coverage, by=editor)
    page = client.get(live_story.get_absolute_url()).content.decode()
    assert "js/embeds.js" not in page  # ended: nothing more arrives
