"""Embargoes and kills, checked by the workflow service on the server whatever the path:
the story form, the list's bulk action, the service itself, and scheduled publishing."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import workflow
from articles.models import Article
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import ArticleFactory
from wire import services
from wire.models import WireItem, WireStory

from .conftest import take

pytestmark = pytest.mark.django_db
Status = Article.Status
EMBARGO = datetime(2030, 1, 6, 14, 30, tzinfo=UTC)  # the CP and AFP test items' embargo


@pytest.fixture
def from_the_wire(sections, reporter):
    """A draft made from CP's embargoed budget item."""
    take("cp-budget-1.ninjs2.json")
    return services.use_item(WireItem.objects.get(), by=reporter)


def test_publishing_before_the_embargo_is_refused_by_the_service(from_the_wire, editor):
    with pytest.raises(ValidationError, match="Embargoed by The Canadian Press until"):
        workflow.move(from_the_wire, Status.PUBLISHED, by=editor)
    from_the_wire.refresh_from_db()
    assert from_the_wire.status == Status.DRAFT
    assert not Article.objects.published().exists()


def test_publishing_before_the_embargo_is_refused_by_the_bulk_action(from_the_wire, editor, client):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [from_the_wire.pk]},
        follow=True,
    )
    assert "Embargoed by The Canadian Press" in response.content.decode()
    from_the_wire.refresh_from_db()
    assert from_the_wire.status == Status.DRAFT


def test_publishing_before_the_embargo_is_refused_by_the_story_form(from_the_wire, editor, client):
    client.force_login(editor)
    data = story_form_data(from_the_wire, _transition="published")
    response = client.post(change_url(from_the_wire), data)
    assert response.status_code == 200
    assert "Embargoed by The Canadian Press" in form_errors(response)
    from_the_wire.refresh_from_db()
    assert from_the_wire.status == Status.DRAFT


def test_scheduling_before_the_embargo_is_refused_and_after_it_allowed(from_the_wire, editor):
    with pytest.raises(ValidationError, match="Embargoed"):
        workflow.move(
            from_the_wire, Status.SCHEDULED, by=editor, publish_at=EMBARGO - timedelta(minutes=1)
        )
    workflow.move(from_the_wire, Status.SCHEDULED, by=editor, publish_at=EMBARGO)
    from_the_wire.refresh_from_db()
    assert from_the_wire.status == Status.SCHEDULED


def test_moving_a_scheduled_story_before_the_embargo_is_refused_by_the_form(
    from_the_wire, editor, client
):
    workflow.move(from_the_wire, Status.SCHEDULED, by=editor, publish_at=EMBARGO)
    from_the_wire.refresh_from_db()
    client.force_login(editor)
    data = story_form_data(from_the_wire, publish_at=EMBARGO - timedelta(hours=1))
    response = client.post(change_url(from_the_wire), data)
    assert "Embargoed" in form_errors(response)
    from_the_wire.refresh_from_db()
    assert from_the_wire.publish_at == EMBARGO


def test_after_the_embargo_the_story_may_be_published(from_the_wire, editor):
    with time_machine.travel(EMBARGO + timedelta(minutes=1), tick=False):
        workflow.move(from_the_wire, Status.PUBLISHED, by=editor)
        assert Article.objects.published().filter(pk=from_the_wire.pk).exists()


def test_a_kill_sends_a_scheduled_story_back_to_review_so_it_never_goes_out(from_the_wire, editor):
    workflow.move(from_the_wire, Status.SCHEDULED, by=editor, publish_at=EMBARGO)
    take("cp-budget-3-kill.ninjs2.json")
    from_the_wire.refresh_from_db()
    assert from_the_wire.status == Status.IN_REVIEW
    with time_machine.travel(EMBARGO + timedelta(hours=1), tick=False):
        assert not Article.objects.published().exists()


def test_a_kill_blocks_publishing_until_an_editor_acknowledges_it(from_the_wire, editor, reporter):
    take("cp-budget-3-kill.ninjs2.json")
    link = WireStory.objects.get(article=from_the_wire)
    with time_machine.travel(EMBARGO + timedelta(minutes=1), tick=False):
        with pytest.raises(ValidationError, match="killed or withdrew"):
            workflow.move(from_the_wire, Status.PUBLISHED, by=editor)
        with pytest.raises(services.PermissionDenied):
            services.acknowledge_kill(link, by=reporter)
        services.acknowledge_kill(link, by=editor)
        workflow.move(from_the_wire, Status.PUBLISHED, by=editor)
    from_the_wire.refresh_from_db()
    assert from_the_wire.status == Status.PUBLISHED


def test_the_acknowledge_button_is_for_editors_only(from_the_wire, editor, reporter, client):
    take("cp-budget-3-kill.ninjs2.json")
    link = WireStory.objects.get(article=from_the_wire)
    url = reverse("admin:wire_wirestory_acknowledge", args=[link.pk])
    client.force_login(reporter)
    page = client.get(change_url(from_the_wire)).content.decode()
    assert "killed or withdrew" not in page or "Acknowledge the kill" not in page
    assert client.post(url).status_code == 403
    link.refresh_from_db()
    assert link.kill_pending
    client.force_login(editor)
    assert "Acknowledge the kill" in client.get(change_url(from_the_wire)).content.decode()
    assert client.post(url).status_code == 302
    link.refresh_from_db()
    assert not link.kill_pending and link.acknowledged_by == editor


def test_a_published_story_killed_by_the_wire_can_still_be_corrected_or_unpublished(
    from_the_wire, editor
):
    with time_machine.travel(EMBARGO + timedelta(minutes=1), tick=False):
        workflow.move(from_the_wire, Status.PUBLISHED, by=editor)
        take("cp-budget-3-kill.ninjs2.json")
        workflow.move(from_the_wire, Status.UNPUBLISHED, by=editor)
        with pytest.raises(ValidationError, match="killed or withdrew"):
            workflow.move(from_the_wire, Status.PUBLISHED, by=editor)


def test_stories_not_from_the_wire_are_not_guarded(editor):
    story = ArticleFactory(status=Status.DRAFT, publish_at=None)
    workflow.move(story, Status.PUBLISHED, by=editor)
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_a_later_embargo_in_a_new_version_sends_a_scheduled_story_back_to_review(
    from_the_wire, editor
):
    import json

    from wire import ingest

    from .conftest import item_bytes

    workflow.move(from_the_wire, Status.SCHEDULED, by=editor, publish_at=EMBARGO)
    later = json.loads(item_bytes("cp-budget-2.ninjs2.json"))
    later["embargoed"] = "2030-01-07T14:30:00Z"
    ingest.ingest(json.dumps(later).encode(), source="push", name="later")
    from_the_wire.refresh_from_db()
    assert from_the_wire.status == Status.IN_REVIEW
    with pytest.raises(ValidationError, match="Embargoed"):
        workflow.move(from_the_wire, Status.SCHEDULED, by=editor, publish_at=EMBARGO)
