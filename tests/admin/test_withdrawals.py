"""Retract and "Remove (legal)" in the desk: editors only, a required note, confirmation pages."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Article
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
NOTE = "The story relied on a source who misrepresented their role."


@pytest.fixture
def published(reporter, section):
    """A published story with the reporter's byline."""
    return ArticleFactory(
        headline="Inquiry finds fault with the port",
        section=section,
        created_by=reporter,
        authors=[reporter.author_profile],
    )


def retract_url(article, kind="retract"):
    return reverse(f"admin:articles_article_{kind}", args=[article.pk])


def bulk(client, action, articles, **extra):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [a.pk for a in articles], **extra},
    )


# --- reporters ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["retract", "remove"])
def test_a_reporter_cannot_withdraw_by_a_crafted_post(reporter_client, published, kind):
    for method in (reporter_client.get, reporter_client.post):
        assert method(retract_url(published, kind), {"note": NOTE}).status_code == 403
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


@pytest.mark.parametrize("action", ["retract_selected", "remove_selected"])
def test_a_reporter_cannot_withdraw_by_the_bulk_action(reporter_client, published, action):
    response = bulk(reporter_client, action, [published], confirm="1", note=NOTE)
    assert response.status_code in (200, 302)
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    page = reporter_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert action not in page


@pytest.mark.parametrize("field", ["status", "_transition"])
@pytest.mark.parametrize("target", ["retracted", "removed"])
def test_a_reporter_cannot_withdraw_by_the_story_form(
    reporter_client, own_draft, published, field, target
):
    """Their draft: refused with a sentence; their published story: not theirs to change."""
    for story, status in ((own_draft, 200), (published, 403)):
        data = story_form_data(story, section=story.section.pk, **{field: target})
        data["loaded_version"] = story.version
        response = reporter_client.post(change_url(story), data)
        assert response.status_code == status
        if status == 200:
            assert "cannot go from" in form_errors(response)
        before = story.status
        story.refresh_from_db()
        assert story.status == before


def test_a_reporter_sees_no_withdrawal_link_and_never_a_removed_story(
    reporter_client, editor, published
):
    page = reporter_client.get(change_url(published)).content.decode()
    assert "/retract/" not in page and "/remove/" not in page
    from articles import workflow

    workflow.move(published, Status.REMOVED, by=editor, note="Court order 7")
    listing = reporter_client.get(reverse("admin:articles_article_changelist"))
    assert published.headline not in listing.content.decode()
    for url in (
        change_url(published),
        reverse("admin:articles_article_history", args=[published.pk]),
    ):
        response = reporter_client.get(url, follow=True)
        assert "Court order 7" not in response.content.decode()
        assert published.headline not in response.content.decode()


# --- editors -----------------------------------------------------------------------------


def test_an_editor_retracts_from_the_story_page_with_a_note(editor_client, editor, published):
    page = editor_client.get(change_url(published)).content.decode()
    assert retract_url(published) in page and retract_url(published, "remove") in page
    confirm = editor_client.get(retract_url(published))
    assert confirm.status_code == 200
    assert "410 Gone" in confirm.content.decode()
    response = editor_client.post(retract_url(published), {"note": NOTE})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Status.RETRACTED and published.retraction_note == NOTE
    entry = LogEntry.objects.filter(object_id=str(published.pk)).latest("pk")
    assert entry.user == editor and "Retracted." in entry.get_change_message()


@pytest.mark.parametrize("kind", ["retract", "remove"])
def test_an_empty_note_is_a_form_error(editor_client, published, kind):
    response = editor_client.post(retract_url(published, kind), {"note": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert 'aria-invalid="true"' in response.content.decode()
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_the_story_forms_buttons_cannot_retract_without_the_note(editor_client, published):
    data = story_form_data(published, section=published.section.pk, _transition="retracted")
    data["loaded_version"] = published.version
    response = editor_client.post(change_url(published), data)
    assert response.status_code == 200
    assert "needs a note" in form_errors(response)
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_an_editor_removes_a_story_and_the_reason_is_logged(editor_client, editor, published):
    response = editor_client.post(retract_url(published, "remove"), {"note": "Court order 7"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Status.REMOVED
    entry = LogEntry.objects.filter(object_id=str(published.pk)).latest("pk")
    assert entry.user == editor and "Court order 7" in entry.get_change_message()
    # The story's "Who did what" panel, which only editors can open for a removed story.
    assert "Court order 7" in editor_client.get(change_url(published)).content.decode()


def test_an_editor_retracts_several_stories_with_one_note(editor_client, published, section):
    other = ArticleFactory(section=section)
    first = bulk(editor_client, "retract_selected", [published, other])
    assert first.status_code == 200  # the confirmation page
    assert "What will happen" in first.content.decode()
    empty = bulk(editor_client, "retract_selected", [published, other], confirm="1", note="")
    assert empty.status_code == 200 and empty.context["form"].errors["note"]
    done = bulk(editor_client, "retract_selected", [published, other], confirm="1", note=NOTE)
    assert done.status_code == 302
    assert set(Article.objects.values_list("status", flat=True)) == {Status.RETRACTED}


def test_a_preview_link_made_before_a_legal_removal_shows_reporters_nothing(
    reporter_client, editor, published
):
    from articles import workflow
    from desk import preview

    link = preview.preview_url(published)
    assert reporter_client.get(link).status_code == 200
    workflow.move(published, Status.REMOVED, by=editor, note="Court order 7")
    response = reporter_client.get(link)
    assert response.status_code == 403
    assert published.headline not in response.content.decode()


def test_the_reporter_is_told_of_a_retraction_with_its_note_and_of_a_removal_without_reason(
    reporter, editor_client, published, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(retract_url(published), {"note": NOTE})
    assert [m.to for m in mail.outbox] == [[reporter.email]]
    assert mail.outbox[0].subject.startswith("Retracted: ")
    assert NOTE in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(retract_url(published, "remove"), {"note": "Court order 7"})
    assert mail.outbox[1].subject.startswith("Removed for legal reasons: ")
    assert mail.outbox[1].to == [reporter.email]
    assert "Court order 7" not in mail.outbox[1].body
    assert "/admin/" not in mail.outbox[1].body
