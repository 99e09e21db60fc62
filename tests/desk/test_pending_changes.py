"""A pending change to a live story ("live + draft"): prepared, previewed and submitted
while readers keep the live version, published by an editor through the workflow service
with the public record's kind of change."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from articles import workflow
from articles.models import Article, PendingChange, StoryChange
from tests.admin.story_form import change_url, story_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
Status = Article.Status
LIVE = "Council approves new transit line"
NEW = "Council approves new transit line after all-night sitting"


@pytest.fixture
def live_story(reporter, section):
    return ArticleFactory(
        headline=LIVE,
        standfirst="The vote was 9 to 4.",
        body="<p>The vote was 9 to 4.</p>",
        section=section,
        created_by=reporter,
        authors=[reporter.author_profile],
    )


def pending_url(article):
    return reverse("admin:articles_article_pending", args=[article.pk])


def public_views(client, article):
    """What readers get: the story page, the latest feed and a search for its words."""
    return "".join(
        client.get(address).content.decode()
        for address in (
            article.get_absolute_url(),
            reverse("articles:feed-latest-rss"),
            reverse("articles:search") + "?q=sitting",
        )
    )


# --- the service ------------------------------------------------------------------------


def test_a_pending_change_leaves_what_readers_see_untouched(
    client, reporter, live_story, page_cache_on
):
    """Saved and submitted, the change is nowhere public: page, feed, search, record."""
    before = public_views(client, live_story)  # cached now, as in production
    version = live_story.version
    workflow.save_pending(live_story, by=reporter, headline=NEW, body="<p>After midnight.</p>")
    workflow.submit_pending(live_story, by=reporter)
    live_story.refresh_from_db()
    assert (live_story.headline, live_story.version) == (LIVE, version)
    assert StoryChange.objects.filter(article=live_story).count() == 1
    page_cache_off = Client()
    for seen in (public_views(client, live_story), public_views(page_cache_off, live_story)):
        assert "all-night sitting" not in seen and "After midnight" not in seen
    assert LIVE in before


def test_the_reporter_prepares_and_submits_the_editors_are_told(
    reporter, editor, live_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.save_pending(live_story, by=reporter, headline=NEW, body="<p>New.</p>")
        pending = workflow.submit_pending(live_story, by=reporter)
    assert pending.is_submitted and pending.submitted_by == reporter
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"Change for review: “{LIVE}”", [editor.email])
    ]


def test_a_reporter_cannot_publish_a_pending_change(reporter, live_story):
    workflow.save_pending(live_story, by=reporter, headline=NEW)
    with pytest.raises(ValidationError) as refused:
        workflow.publish_pending(live_story, by=reporter, kind="update")
    assert refused.value.code == "editors_only"
    live_story.refresh_from_db()
    assert live_story.headline == LIVE and PendingChange.objects.filter(article=live_story)


def test_another_reporter_cannot_prepare_a_change(other_reporter, live_story):
    with pytest.raises(ValidationError) as refused:
        workflow.save_pending(live_story, by=other_reporter, headline=NEW)
    assert refused.value.code == "not_allowed"
    assert not PendingChange.objects.exists()


def test_a_draft_takes_no_pending_change(editor, own_draft):
    with pytest.raises(ValidationError) as refused:
        workflow.save_pending(own_draft, by=editor, headline=NEW)
    assert refused.value.code == "not_live"


@pytest.mark.parametrize(
    ("kind", "note", "code"),
    [("", "", "unknown_change_kind"), ("correction", "", "note_required")],
)
def test_publishing_asks_the_kind_of_change_and_saves_nothing_without_it(
    editor, reporter, live_story, kind, note, code
):
    workflow.save_pending(live_story, by=reporter, headline=NEW)
    with pytest.raises(ValidationError) as refused:
        workflow.publish_pending(live_story, by=editor, kind=kind, note=note)
    assert refused.value.code == code
    live_story.refresh_from_db()
    assert live_story.headline == LIVE
    assert PendingChange.objects.filter(article=live_story).exists()
    assert StoryChange.objects.filter(article=live_story).count() == 1


def test_an_editor_publishes_it_as_a_correction_on_the_public_record(
    client, editor, reporter, live_story, django_capture_on_commit_callbacks, page_cache_on
):
    client.get(live_story.get_absolute_url())  # the old page, cached
    workflow.save_pending(live_story, by=reporter, headline=NEW, body="<p>9 to 5.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish_pending(
            live_story, by=editor, kind="correction", note="The vote was 9 to 5, not 9 to 4."
        )
    live_story.refresh_from_db()
    assert live_story.headline == NEW and live_story.body == "<p>9 to 5.</p>"
    assert live_story.last_edited_by == editor
    change = StoryChange.objects.filter(article=live_story).latest("pk")
    assert (change.kind, change.headline, change.by) == ("correction", NEW, editor)
    assert not PendingChange.objects.filter(article=live_story).exists()
    entry = LogEntry.objects.filter(object_id=str(live_story.pk)).latest("pk")
    assert entry.get_change_message() == "Published the pending change." and entry.user == editor
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"Change published: “{NEW}”", [reporter.email])
    ]
    page = client.get(live_story.get_absolute_url()).content.decode()
    assert "all-night sitting" in page and "The vote was 9 to 5, not 9 to 4." in page


def test_a_story_taken_down_meanwhile_does_not_take_its_pending_change(
    editor, reporter, live_story
):
    workflow.save_pending(live_story, by=reporter, headline=NEW)
    workflow.move(live_story, Status.UNPUBLISHED, by=editor)
    with pytest.raises(ValidationError) as refused:
        workflow.publish_pending(live_story, by=editor, kind="update")
    assert refused.value.code == "not_live"
    assert Article.objects.get(pk=live_story.pk).headline == LIVE


# --- through the desk -------------------------------------------------------------------


def test_the_editor_keeps_the_story_forms_text_as_a_pending_change(editor_client, live_story):
    data = story_form_data(live_story, headline=NEW, _pending="1")
    response = editor_client.post(change_url(live_story), data)
    assert response.status_code == 302 and response["Location"] == pending_url(live_story)
    live_story.refresh_from_db()
    assert live_story.headline == LIVE
    assert PendingChange.objects.get(article=live_story).headline == NEW


def test_the_story_page_offers_the_pending_change_to_editor_and_reporter(
    editor_client, reporter, live_story
):
    html = editor_client.get(change_url(live_story)).content.decode()
    assert 'name="_pending"' in html and pending_url(live_story) in html
    reporter_client = Client()
    reporter_client.force_login(reporter)
    html = reporter_client.get(change_url(live_story)).content.decode()
    assert pending_url(live_story) in html and 'name="_pending"' not in html


def test_the_reporter_saves_and_submits_on_the_pending_page_but_cannot_publish(
    reporter_client, live_story
):
    page = reporter_client.get(pending_url(live_story))
    assert page.status_code == 200 and LIVE in page.content.decode()
    assert 'name="_publish"' not in page.content.decode()
    fields = {"headline": NEW, "standfirst": "", "body": "<p>New.</p>"}
    response = reporter_client.post(pending_url(live_story), {**fields, "_submit": "1"})
    assert response.status_code == 302
    assert PendingChange.objects.get(article=live_story).is_submitted
    crafted = reporter_client.post(
        pending_url(live_story), {**fields, "_publish": "1", "change_kind": "update"}
    )
    assert crafted.status_code == 200
    assert "Only editors can publish a pending change" in crafted.content.decode()
    assert Article.objects.get(pk=live_story.pk).headline == LIVE


def test_the_editor_publishes_from_the_pending_page_with_its_kind(editor_client, live_story):
    fields = {"headline": NEW, "standfirst": "", "body": "<p>New.</p>"}
    refused = editor_client.post(pending_url(live_story), {**fields, "_publish": "1"})
    assert refused.status_code == 200
    assert "Choose the kind of change" in refused.content.decode()
    response = editor_client.post(
        pending_url(live_story), {**fields, "_publish": "1", "change_kind": "minor"}
    )
    assert response.status_code == 302 and response["Location"] == change_url(live_story)
    assert Article.objects.get(pk=live_story.pk).headline == NEW


def test_discarding_keeps_the_live_story(editor_client, editor, live_story):
    workflow.save_pending(live_story, by=editor, headline=NEW)
    response = editor_client.post(pending_url(live_story), {"_discard": "1"})
    assert response.status_code == 302
    assert not PendingChange.objects.exists()
    assert Article.objects.get(pk=live_story.pk).headline == LIVE


def test_another_reporter_and_readers_cannot_open_the_pending_page(
    client, other_reporter, live_story
):
    assert "/login/" in client.get(pending_url(live_story))["Location"]
    client.force_login(other_reporter)
    assert client.get(pending_url(live_story)).status_code == 403


def test_the_preview_shows_the_pending_text_to_the_newsroom_only(
    client, reporter_client, other_reporter, live_story, reporter
):
    workflow.save_pending(live_story, by=reporter, headline=NEW)
    address = reverse("admin:articles_article_pending_preview", args=[live_story.pk])
    page = reporter_client.get(address)
    html = page.content.decode()
    assert page.status_code == 200 and NEW in html and "newsroom-preview-banner" in html
    assert "private" in page["Cache-Control"]
    client.force_login(other_reporter)
    assert client.get(address).status_code == 403
