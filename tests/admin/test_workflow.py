"""Who may move a story where: the buttons, the server's checks, the log."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline
from tests.admin.story_form import add_url, change_url, form_errors, story_form_data
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def test_the_migration_creates_the_two_roles_with_their_permissions():
    reporter = set(
        Group.objects.get(name="Reporter").permissions.values_list("codename", flat=True)
    )
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "view_article", "add_photo", "add_tag"} <= reporter
    assert "delete_article" not in reporter
    assert {"delete_article", "change_section", "delete_tag"} <= editor


def test_a_reporter_drafts_a_story_with_their_byline(reporter_client, reporter, section):
    response = reporter_client.post(add_url(), story_form_data(section=section.pk))
    assert response.status_code == 302, form_errors(response)
    story = Article.objects.get()
    assert story.status == Status.DRAFT
    assert story.created_by == reporter and story.last_edited_by == reporter
    assert [b.author for b in story.bylines.all()] == [reporter.author_profile]


def test_a_reporter_submits_their_draft_for_review(reporter_client, own_draft):
    response = reporter_client.post(
        change_url(own_draft), story_form_data(own_draft, _transition="review")
    )
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.status == Status.IN_REVIEW


@pytest.mark.parametrize("field", ["status", "_transition"])
@pytest.mark.parametrize("target", ["published", "scheduled"])
def test_a_crafted_post_from_a_reporter_cannot_publish(reporter_client, own_draft, field, target):
    """The refusal is explained and nothing at all is saved, not even the new headline."""
    data = story_form_data(
        own_draft,
        headline="Sneaky new headline",
        publish_at=timezone.now() + timedelta(hours=1) if target == "scheduled" else None,
        **{field: target},
    )
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 200
    assert "Only editors can make a story" in form_errors(response)
    before_version = own_draft.version
    own_draft.refresh_from_db()
    assert own_draft.status == Status.DRAFT
    assert own_draft.headline == "Council approves new transit line"
    assert own_draft.version == before_version
    assert not Article.objects.published().exists()


def test_a_reporter_cannot_create_a_story_already_published(reporter_client, section):
    data = story_form_data(section=section.pk, status="published")
    response = reporter_client.post(add_url(), data)
    assert response.status_code == 200
    assert "Only editors can make a story" in form_errors(response)
    assert not Article.objects.exists()


def test_an_unknown_status_is_refused_in_words(editor_client, own_draft):
    response = editor_client.post(change_url(own_draft), story_form_data(own_draft, status="live"))
    assert "“live” is not a story status." in form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.status == Status.DRAFT


def test_a_reporter_sees_only_the_moves_they_may_make(reporter_client, own_draft):
    response = reporter_client.get(change_url(own_draft))
    targets = [t for t, _label in response.context["transitions"]]
    assert targets == ["review"]
    html = response.content.decode()
    assert 'value="review"' in html and 'value="published"' not in html


def test_an_editor_sees_schedule_and_publish(editor_client, own_draft):
    own_draft.status = Status.IN_REVIEW
    own_draft.save()
    response = editor_client.get(change_url(own_draft))
    targets = {t for t, _label in response.context["transitions"]}
    assert targets == {"draft", "scheduled", "published"}


def test_a_reporter_cannot_edit_a_published_story(reporter_client, reporter, section):
    story = ArticleFactory(section=section, created_by=reporter, headline="Already out")
    page = reporter_client.get(change_url(story))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = reporter_client.post(change_url(story), story_form_data(story, headline="Changed"))
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline == "Already out"


def test_a_reporter_cannot_edit_someone_elses_draft(client, other_reporter, own_draft):
    client.force_login(other_reporter)
    response = client.post(change_url(own_draft), story_form_data(own_draft, headline="Mine now"))
    assert response.status_code == 403
    own_draft.refresh_from_db()
    assert own_draft.headline == "Council approves new transit line"


def test_an_editor_publishes_a_story_in_review(editor_client, own_draft):
    own_draft.status = Status.IN_REVIEW
    own_draft.save()
    response = editor_client.post(
        change_url(own_draft), story_form_data(own_draft, _transition="published")
    )
    assert response.status_code == 302, form_errors(response)
    assert Article.objects.published().get() == own_draft


def test_scheduling_needs_a_time_in_the_future(editor_client, own_draft):
    response = editor_client.post(
        change_url(own_draft),
        story_form_data(
            own_draft, _transition="scheduled", publish_at=timezone.now() - timedelta(minutes=5)
        ),
    )
    assert "publish_at: To schedule the story, choose a publish time in the future" in form_errors(
        response
    )


def test_a_scheduled_story_goes_live_by_itself(editor_client, own_draft, client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        when = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
        response = editor_client.post(
            change_url(own_draft),
            story_form_data(own_draft, _transition="scheduled", publish_at=when),
        )
        assert response.status_code == 302, form_errors(response)
        own_draft.refresh_from_db()
        assert own_draft.status == Status.SCHEDULED and own_draft.publish_at == when
        public = reverse("articles:detail", args=[own_draft.slug])
        client.logout()
        assert client.get(public).status_code == 404
        clock.shift(timedelta(minutes=11))
        assert client.get(public).status_code == 200


def test_an_editor_unpublishes_a_story(editor_client, section):
    story = ArticleFactory(section=section)
    response = editor_client.post(
        change_url(story), story_form_data(story, _transition="unpublished")
    )
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.status == Status.UNPUBLISHED and not Article.objects.published().exists()


def test_the_log_says_who_moved_the_story_and_the_story_shows_it(
    reporter_client, reporter, own_draft
):
    reporter_client.post(change_url(own_draft), story_form_data(own_draft, _transition="review"))
    entry = LogEntry.objects.get(object_id=str(own_draft.pk))
    assert entry.user == reporter
    assert entry.get_change_message().startswith("Submitted for review.")
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert "Submitted for review." in page and "newsroom-activity" in page


def changelist_action(client, action, stories):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [s.pk for s in stories]},
        follow=True,
    )


def test_an_editor_bulk_publishes_and_unpublishes(editor_client, section):
    drafts = [
        ArticleFactory(section=section, status=Status.IN_REVIEW, publish_at=None) for _ in range(3)
    ]
    changelist_action(editor_client, "publish_selected", drafts)
    assert Article.objects.published().count() == 3
    changelist_action(editor_client, "unpublish_selected", drafts[:2])
    assert Article.objects.published().count() == 1
    assert Article.objects.filter(status=Status.UNPUBLISHED).count() == 2


def test_bulk_publish_refuses_a_story_whose_photo_lacks_a_caption(editor_client, section):
    story = ArticleFactory(
        section=section,
        status=Status.IN_REVIEW,
        publish_at=None,
        lead_photo=PhotoFactory(caption=""),
    )
    response = changelist_action(editor_client, "publish_selected", [story])
    assert "needs a caption" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW


def test_reporters_have_no_bulk_publish(reporter_client, own_draft):
    listing = reporter_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "publish_selected" not in listing and "Recover deleted" not in listing
    changelist_action(reporter_client, "publish_selected", [own_draft])
    own_draft.refresh_from_db()
    assert own_draft.status == Status.DRAFT


def test_a_bylined_reporter_may_edit_a_draft_someone_else_started(client, reporter, section):
    story = ArticleFactory(section=section, status=Status.DRAFT, publish_at=None)
    Byline.objects.create(article=story, author=reporter.author_profile, position=1)
    client.force_login(reporter)
    response = client.post(change_url(story), story_form_data(story, headline="Shared draft"))
    assert response.status_code == 302, form_errors(response)
