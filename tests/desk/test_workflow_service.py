"""One workflow service (articles.workflow): every path that moves a story gets the same
revision, log entry and mail."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerError
from reversion.models import Version

from articles import workflow
from articles.models import Article
from desk import tasks
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
Status = Article.Status
HEADLINE = "Council approves new transit line"


@pytest.fixture
def two_drafts(reporter, section):
    """Two drafts alike but for their address, started by the reporter under their byline."""
    return [
        ArticleFactory(
            headline=HEADLINE,
            slug=slug,
            section=section,
            status=Status.DRAFT,
            publish_at=None,
            created_by=reporter,
            authors=[reporter.author_profile],
        )
        for slug in ("transit-line", "transit-line-2")
    ]


def what_the_move_left(story):
    """The newest revision, the log entry and the mail a story's move produced."""
    version = Version.objects.get_for_object(story).first()
    entry = LogEntry.objects.filter(object_id=str(story.pk)).latest("action_time")
    mails = [
        (m.subject, m.to, m.body.replace(change_url(story), "<story>"))
        for m in mail.outbox
        if change_url(story) in m.body
    ]
    return {
        "revision comment": version.revision.comment,
        "revision user": version.revision.user,
        "status in revision": version.field_dict["status"],
        "log entry": (entry.user, entry.action_flag, entry.get_change_message()),
        "mail": [(subject, to, body.split(" It is live at ")[0]) for subject, to, body in mails],
    }


def test_the_form_and_the_bulk_action_leave_the_same_revision_log_entry_and_mail(
    editor_client, editor, reporter, two_drafts, django_capture_on_commit_callbacks
):
    """Publishing through the story form or the list's bulk action is one operation."""
    by_form, by_action = two_drafts
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(by_form), story_form_data(by_form, _transition="published")
        )
    assert response.status_code == 302, form_errors(response)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_selected", "_selected_action": [by_action.pk]},
        )
    assert Article.objects.published().count() == 2
    left = what_the_move_left(by_form)
    assert left == what_the_move_left(by_action)
    assert left["revision comment"] == "Published." and left["revision user"] == editor
    assert left["status in revision"] == Status.PUBLISHED
    assert left["log entry"][2] == "Published."
    assert left["mail"] == [
        (
            f"Published: “{HEADLINE}”",
            [reporter.email],
            f"{editor.get_username()} published “{HEADLINE}”.",
        )
    ]


def test_a_move_from_code_records_and_notifies_like_the_admin(
    editor, reporter, own_draft, django_capture_on_commit_callbacks
):
    """The wire, an API or an import calling move() gets the revision, log entry and mail."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = workflow.move(own_draft, Status.PUBLISHED, by=editor)
    own_draft.refresh_from_db()
    assert own_draft.is_published and own_draft.last_edited_by == editor
    assert entry.get_change_message() == "Published." and entry.user == editor
    assert Version.objects.get_for_object(own_draft).first().revision.comment == "Published."
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"Published: “{HEADLINE}”", [reporter.email])
    ]


def test_a_refused_move_from_code_changes_nothing_and_tells_why(
    reporter, own_draft, django_capture_on_commit_callbacks
):
    """A reporter cannot publish by calling move(): the workflow's sentence, nothing saved."""
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as e:
        workflow.move(own_draft, Status.PUBLISHED, by=reporter)
    assert "Only editors can make a story “Published”" in e.value.messages[0]
    assert own_draft.status == Status.DRAFT
    own_draft.refresh_from_db()
    assert own_draft.status == Status.DRAFT
    assert not Version.objects.get_for_object(own_draft).exists() and mail.outbox == []


def test_scheduling_from_code_needs_a_future_time(editor, own_draft):
    """move() applies the publish rules with the form's sentences."""
    with pytest.raises(ValidationError) as e:
        workflow.move(own_draft, Status.SCHEDULED, by=editor)
    assert e.value.messages == ["To schedule the story, choose a publish time in the future."]


def test_a_move_does_not_wait_on_mail_when_the_broker_is_down(
    editor_client, own_draft, monkeypatch, django_capture_on_commit_callbacks
):
    """The mail is the worker's: a broker that fails costs the move nothing."""

    def broker_down(*args, **kwargs):
        raise BrokerError("connection refused")

    monkeypatch.setattr(tasks.send_story_moved_mail, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(own_draft), story_form_data(own_draft, _transition="published")
        )
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.is_published and mail.outbox == []
