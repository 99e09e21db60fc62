"""Notes between reporter and editor, and mail when a story changes hands."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, StoryNote
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db


def notes_url(article):
    return reverse("admin:articles_article_notes", args=[article.pk])


def test_a_reporter_and_an_editor_leave_notes_on_the_story(reporter_client, editor, own_draft):
    editor_client = Client()
    editor_client.force_login(editor)
    reporter_client.post(notes_url(own_draft), {"text": "Quote from the mayor still to come."})
    response = editor_client.post(notes_url(own_draft), {"text": "Fine; I'll hold it till 4."})
    assert response.status_code == 302
    assert response["Location"].endswith(change_url(own_draft) + "#notes")
    notes = [(n.author.username, n.text) for n in StoryNote.objects.all()]
    assert notes == [
        ("reporter", "Quote from the mayor still to come."),
        ("editor", "Fine; I'll hold it till 4."),
    ]
    page = editor_client.get(change_url(own_draft)).content.decode()
    assert "Quote from the mayor still to come." in page and "Fine; I&#x27;ll hold" in page


def test_notes_are_escaped(reporter_client, own_draft):
    reporter_client.post(notes_url(own_draft), {"text": "<script>alert(1)</script>"})
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_another_reporter_can_neither_read_nor_write_notes(client, other_reporter, own_draft):
    StoryNote.objects.create(article=own_draft, text="Private to the desk")
    client.force_login(other_reporter)
    assert client.post(notes_url(own_draft), {"text": "Hi"}).status_code == 403
    assert StoryNote.objects.count() == 1


def test_an_empty_or_oversized_note_is_refused_with_a_sentence(reporter_client, own_draft):
    for text in ["   ", "x" * 2001]:
        response = reporter_client.post(notes_url(own_draft), {"text": text}, follow=True)
        assert response.status_code == 200
        assert "The note was not added" in response.content.decode()
    assert not StoryNote.objects.exists()
    assert reporter_client.get(notes_url(own_draft)).status_code == 405


def test_notes_never_reach_readers(client, section):
    story = ArticleFactory(section=section)
    StoryNote.objects.create(article=story, text="Legal says check para 3")
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert "Legal says" not in page.content.decode()
    assert client.get(notes_url(story)).status_code in (302, 405)


def test_submitting_mails_the_editors_but_not_the_reporter(
    reporter_client, editor, own_draft, django_capture_on_commit_callbacks
):
    StaffFactory(username="editor2", group="Editor", email="")  # no address: skipped
    StaffFactory(username="desk", group="Reporter")  # not an editor
    with django_capture_on_commit_callbacks(execute=True):
        response = reporter_client.post(
            change_url(own_draft), story_form_data(own_draft, _transition="review")
        )
    assert response.status_code == 302, form_errors(response)
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert mail.outbox[0].subject == "For review: “Council approves new transit line”"
    assert change_url(own_draft) in mail.outbox[0].body


def test_sending_back_and_publishing_mail_the_reporter(
    editor_client, reporter, own_draft, django_capture_on_commit_callbacks
):
    own_draft.status = Article.Status.IN_REVIEW
    own_draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(change_url(own_draft), story_form_data(own_draft, _transition="draft"))
    assert [m.to for m in mail.outbox] == [[reporter.email]]
    assert mail.outbox[0].subject.startswith("Sent back to draft")
    own_draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            change_url(own_draft), story_form_data(own_draft, _transition="published")
        )
    assert mail.outbox[1].subject == "Published: “Council approves new transit line”"
    assert mail.outbox[1].to == [reporter.email]


def test_scheduling_tells_the_reporter_when(
    editor_client, reporter, own_draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            change_url(own_draft),
            story_form_data(
                own_draft,
                _transition="scheduled",
                publish_at=timezone.now() + timedelta(days=1),
            ),
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Scheduled for ")


def test_a_refused_move_sends_nothing(
    reporter_client, own_draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reporter_client.post(
            change_url(own_draft), story_form_data(own_draft, _transition="published")
        )
    assert mail.outbox == []


def test_a_plain_save_sends_nothing(reporter_client, own_draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reporter_client.post(change_url(own_draft), story_form_data(own_draft))
    assert mail.outbox == []
