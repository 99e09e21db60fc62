"""The story form asks what kind of change a save of a public story is, and the server
holds it to the same rule as every other path; the desk's corrections list and CSV."""

import csv
import io

import pytest
from django.urls import reverse

from articles.models import Article, StoryChange
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Kind = StoryChange.Kind
CORRECTIONS = "/admin/articles/storychange/"


@pytest.fixture
def story(section):
    return ArticleFactory(
        section=section, headline="Council approves transit line", body="<p>Vote: 9 to 2.</p>"
    )


def test_only_a_public_story_is_asked_what_kind_of_change_it_is(editor_client, own_draft, story):
    assert 'name="change_kind"' not in editor_client.get(change_url(own_draft)).content.decode()
    assert 'name="change_kind"' in editor_client.get(change_url(story)).content.decode()


def test_a_public_storys_new_text_without_a_kind_is_a_form_error(editor_client, story):
    response = editor_client.post(
        change_url(story), story_form_data(story, body="<p>Vote: 9 to 3.</p>")
    )
    assert response.status_code == 200
    assert "change_kind: This story is public: say what kind of change" in form_errors(response)
    story.refresh_from_db()
    assert story.body == "<p>Vote: 9 to 2.</p>"


def test_a_correction_without_a_note_is_a_form_error_on_the_note(editor_client, story):
    data = story_form_data(story, body="<p>Vote: 9 to 3.</p>", change_kind=Kind.CORRECTION)
    response = editor_client.post(change_url(story), data)
    assert "change_note: A correction needs a note for readers" in form_errors(response)
    assert story.public_versions.count() == 1


def test_a_minor_edit_with_a_note_is_a_form_error(editor_client, story):
    data = story_form_data(
        story, body="<p>Vote: 9 to 3.</p>", change_kind=Kind.MINOR, change_note="Typo."
    )
    response = editor_client.post(change_url(story), data)
    assert "change_note: A minor edit is not listed publicly" in form_errors(response)


def test_a_correction_through_the_form_is_recorded_with_its_note_and_editor(
    editor_client, editor, story
):
    note = "An earlier version of this story misstated the vote."
    data = story_form_data(
        story, body="<p>Vote: 9 to 3.</p>", change_kind=Kind.CORRECTION, change_note=note
    )
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 302, form_errors(response)
    change = story.public_versions.get(kind=Kind.CORRECTION)
    assert (change.note, change.by, change.body) == (note, editor, "<p>Vote: 9 to 3.</p>")
    page = editor_client.get(change_url(story)).content.decode()
    assert note in page  # the story form's public record panel


def test_a_save_that_changes_no_public_text_is_not_asked(editor_client, story):
    response = editor_client.post(change_url(story), story_form_data(story, tags="Transit"))
    assert response.status_code == 302, form_errors(response)


def test_restoring_an_old_text_of_a_public_story_asks_what_kind_of_change_it_is(
    editor_client, story
):
    import reversion
    from reversion.models import Version

    with reversion.create_revision():
        story.save()
    story.body = "<p>Vote: 9 to 3.</p>"
    story.describe_change(Kind.CORRECTION, "An earlier version misstated the vote.")
    story.save()
    old = Version.objects.get_for_object(story).last()
    url = reverse("admin:articles_article_revision", args=[story.pk, old.pk])
    assert 'name="change_kind"' in editor_client.get(url).content.decode()
    editor_client.post(url, follow=True)
    story.refresh_from_db()
    assert story.body == "<p>Vote: 9 to 3.</p>"  # refused: no kind
    editor_client.post(url, {"change_kind": Kind.UPDATE, "change_note": ""})
    story.refresh_from_db()
    assert story.body == "<p>Vote: 9 to 2.</p>"
    assert story.public_versions.last().kind == Kind.UPDATE


def test_reporters_cannot_open_the_corrections_list(reporter_client):
    assert reporter_client.get(CORRECTIONS).status_code == 403
    assert reporter_client.get(CORRECTIONS + "export.csv").status_code == 403


def _correct(story, note, kind=Kind.CORRECTION):
    story.body += "<p>More.</p>"
    story.describe_change(kind, note)
    story.save()


def test_editors_list_and_export_the_corrections_as_filtered(editor_client, section):
    first = ArticleFactory(section=section, headline="Budget passes")
    second = ArticleFactory(section=section, headline="Mayor resigns")
    _correct(first, "=HYPERLINK(evil)")
    _correct(second, "The mayor resigned on Tuesday, not Monday.", Kind.CLARIFICATION)
    page = editor_client.get(CORRECTIONS).content.decode()
    assert "Budget passes" in page and "Mayor resigns" in page
    assert "First publication" not in page
    response = editor_client.get(CORRECTIONS + "export.csv", {"kind": "clarification"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[1] for row in rows[1:]] == ["Mayor resigns"]
    assert rows[1][4:] == ["Clarification", "", "The mayor resigned on Tuesday, not Monday."]
    everything = editor_client.get(CORRECTIONS + "export.csv").content.decode()
    assert "'=HYPERLINK(evil)" in everything  # a spreadsheet will not run it


def test_the_story_list_is_unchanged_for_a_draft(editor_client, own_draft):
    assert Article.objects.get(pk=own_draft.pk).public_versions.count() == 0
