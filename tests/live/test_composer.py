"""The desk's live composer: who may post, edit, delete and end; the fetch (JSON) and plain
form paths; CSRF; and the log editors read."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from articles.models import Article
from live import services
from live.models import LiveCoverage, LiveEntry
from tests.factories import ArticleFactory

from .conftest import post

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _post_url(story):
    return f"/admin/live/liveentry/story/{story.pk}/post/"


def test_the_composer_is_on_a_live_story_page_for_its_reporter(reporter_client, live_story):
    """A published story is read-only to its reporter, but its composer is there."""
    page = reporter_client.get(f"/admin/articles/article/{live_story.pk}/change/")
    html = page.content.decode()
    assert 'id="live-composer"' in html and "live/composer.js" in html
    assert "End live coverage" in html


def test_a_reporter_posts_with_fetch_and_gets_the_entry_back(reporter_client, live_story):
    response = reporter_client.post(
        _post_url(live_story), {"live-body": "<p>Polls are closed.</p>"}, **JSON
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["ok"] and "Polls are closed." in data["html"]
    entry = LiveEntry.objects.get(pk=data["id"])
    assert [a.name for a in entry.authors.all()] == ["Rita Reporter"]


def test_without_javascript_the_form_posts_and_comes_back(reporter_client, live_story):
    response = reporter_client.post(_post_url(live_story), {"live-body": "<p>Plain post.</p>"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/articles/article/{live_story.pk}/change/#live-desk")
    assert LiveEntry.objects.filter(body="<p>Plain post.</p>").exists()


def test_an_empty_update_is_refused_with_a_sentence(reporter_client, live_story):
    response = reporter_client.post(_post_url(live_story), {"live-body": "<p> </p>"}, **JSON)
    assert response.status_code == 400
    assert "Write the update" in json.loads(response.content)["message"]
    assert not LiveEntry.objects.exists()


def test_a_bad_link_is_refused_with_a_sentence(reporter_client, live_story):
    response = reporter_client.post(
        _post_url(live_story), {"live-body": "<p>x</p>", "live-link": "not a link"}, **JSON
    )
    assert response.status_code == 400
    assert json.loads(response.content)["message"]


def test_a_reporter_cannot_post_on_someone_elses_story(client, other_reporter, live_story):
    client.force_login(other_reporter)
    response = client.post(_post_url(live_story), {"live-body": "<p>Not mine.</p>"}, **JSON)
    assert response.status_code == 403
    assert not LiveEntry.objects.exists()
    page = client.get(f"/admin/articles/article/{live_story.pk}/change/").content.decode()
    assert "live-composer" not in page


def test_an_editor_posts_on_any_story(editor_client, editor, section):
    story = ArticleFactory(section=section)
    start = editor_client.post(f"/admin/live/liveentry/story/{story.pk}/start/")
    assert start.status_code == 302 and LiveCoverage.objects.filter(article=story).exists()
    response = editor_client.post(_post_url(story), {"live-body": "<p>Editor post.</p>"}, **JSON)
    assert response.status_code == 200


def test_posting_needs_the_csrf_token(reporter, live_story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    response = client.post(_post_url(live_story), {"live-body": "<p>Forged.</p>"}, **JSON)
    assert response.status_code == 403
    assert not LiveEntry.objects.exists()


def test_a_reporter_edits_and_deletes_their_own_entries_only(
    client, reporter, other_reporter, editor, live_story
):
    mine = post(live_story, reporter, "Mine.")
    theirs = post(live_story, editor, "The editor's.")
    client.force_login(reporter)
    edit = client.post(
        f"/admin/live/liveentry/{mine.pk}/edit/", {"live-body": "<p>Mine, corrected.</p>"}
    )
    assert edit.status_code == 302
    mine.refresh_from_db()
    assert mine.body == "<p>Mine, corrected.</p>" and mine.updated_at is not None
    assert client.post(f"/admin/live/liveentry/{theirs.pk}/remove/").status_code == 403
    assert client.post(f"/admin/live/liveentry/{mine.pk}/remove/", **JSON).status_code == 200
    mine.refresh_from_db()
    assert mine.deleted_at is not None


def test_deleting_is_logged_for_editors(editor_client, editor, reporter, live_story):
    entry = post(live_story, reporter, "Wrong riding named.")
    editor_client.post(f"/admin/live/liveentry/{entry.pk}/remove/")
    log = LogEntry.objects.filter(object_id=str(live_story.pk)).first()
    assert "deleted" in log.get_change_message() and "Wrong riding named." in log.change_message
    listing = editor_client.get("/admin/live/liveentry/?deleted_at__isempty=0")
    assert "Wrong riding named." in listing.content.decode()


def test_ending_coverage_stops_posting(reporter_client, live_story):
    reporter_client.post(f"/admin/live/liveentry/story/{live_story.pk}/end/")
    live_story.live_coverage.refresh_from_db()
    assert not live_story.live_coverage.is_live
    response = reporter_client.post(_post_url(live_story), {"live-body": "<p>Late.</p>"}, **JSON)
    assert response.status_code == 400


def test_a_get_to_an_endpoint_is_refused(reporter_client, live_story):
    assert reporter_client.get(_post_url(live_story)).status_code == 405


def test_a_draft_can_be_prepared_but_readers_see_nothing(reporter_client, reporter, section):
    draft = ArticleFactory(
        status=Article.Status.DRAFT,
        publish_at=None,
        section=section,
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    services.start(draft, by=reporter)
    page = reporter_client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert "Readers see the updates once the story is published." in page
