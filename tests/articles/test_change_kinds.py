"""Every change to a public story's text says what it is, whatever the path (the model's
save, the workflow service); the record keeps each version readers saw and nothing else."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import workflow
from articles.models import Article, StoryChange
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db

Kind = StoryChange.Kind


def kinds(story):
    return list(story.public_versions.order_by("at", "pk").values_list("kind", flat=True))


def test_first_publication_starts_the_record_with_the_published_text():
    story = ArticleFactory(headline="Bridge reopens", body="<p>The bridge reopened.</p>")
    [first] = story.public_versions.all()
    assert (first.kind, first.headline, first.body) == (
        Kind.PUBLISHED,
        "Bridge reopens",
        "<p>The bridge reopened.</p>",
    )
    assert first.at == story.publish_at


def test_a_public_storys_new_text_without_a_kind_is_refused_and_nothing_is_saved():
    story = ArticleFactory(headline="Bridge reopens")
    version = story.version
    story.headline = "Bridge reopens early"
    with pytest.raises(ValidationError, match="say what kind of change this is"):
        story.save()
    story.refresh_from_db()
    assert (story.headline, story.version) == ("Bridge reopens", version)
    assert kinds(story) == [Kind.PUBLISHED]


@pytest.mark.parametrize("kind", [Kind.CORRECTION, Kind.CLARIFICATION])
def test_a_correction_or_clarification_needs_a_note(kind):
    story = ArticleFactory()
    with pytest.raises(ValidationError, match="needs a note for readers"):
        story.describe_change(kind, "  ")


def test_a_minor_edit_takes_no_note():
    story = ArticleFactory()
    with pytest.raises(ValidationError, match="takes no note"):
        story.describe_change(Kind.MINOR, "Fixed a typo.")


def test_an_unknown_kind_is_refused_with_a_sentence():
    with pytest.raises(ValidationError, match="Choose the kind of change"):
        ArticleFactory().describe_change("rewrite")


def test_a_correction_is_recorded_with_its_note_and_moves_updated():
    story = ArticleFactory(body="<p>The vote was 9 to 2.</p>")
    story.body = "<p>The vote was 9 to 3.</p>"
    story.describe_change(Kind.CORRECTION, "An earlier version misstated the vote.")
    story.save()
    correction = story.public_versions.get(kind=Kind.CORRECTION)
    assert correction.note == "An earlier version misstated the vote."
    assert correction.body == "<p>The vote was 9 to 3.</p>"
    story.refresh_from_db()
    assert story.revised_at == correction.at and story.was_revised
    assert [(k, n) for k, n, _at in story.listed_notes()] == [
        ("Correction", "An earlier version misstated the vote.")
    ]


def test_an_update_may_have_no_note_and_is_then_not_among_the_notes():
    story = ArticleFactory()
    story.body += "<p>The minister has since resigned.</p>"
    story.describe_change(Kind.UPDATE)
    story.save()
    assert kinds(story) == [Kind.PUBLISHED, Kind.UPDATE]
    assert story.was_revised and story.listed_notes() == []


def test_a_minor_edit_is_recorded_but_neither_listed_nor_updated():
    story = ArticleFactory(headline="Bridge reopns")
    story.headline = "Bridge reopens"
    story.describe_change(Kind.MINOR)
    story.save()
    assert kinds(story) == [Kind.PUBLISHED, Kind.MINOR]
    story.refresh_from_db()
    assert story.revised_at is None and story.public_notes == []


def test_a_save_that_changes_no_public_text_needs_no_kind():
    story = ArticleFactory()
    story.featured = True
    story.save()
    assert kinds(story) == [Kind.PUBLISHED]


def test_the_kind_is_said_once_per_save():
    story = ArticleFactory()
    story.body += "<p>More.</p>"
    story.describe_change(Kind.UPDATE)
    story.save()
    story.body += "<p>Even more.</p>"
    with pytest.raises(ValidationError):
        story.save()


def test_drafts_before_the_first_publication_leave_no_trace():
    story = ArticleFactory(
        status=Article.Status.DRAFT, publish_at=None, body="<p>Never public.</p>"
    )
    story.body = "<p>Still a draft.</p>"
    story.save()
    assert kinds(story) == []
    story.body = "<p>What readers get.</p>"
    story.status = Article.Status.PUBLISHED
    story.save()
    assert list(story.public_versions.values_list("body", flat=True)) == [
        "<p>What readers get.</p>"
    ]


def test_drafts_between_two_public_versions_leave_no_trace_and_republishing_says_what_changed():
    editor = StaffFactory(group="Editor")
    story = ArticleFactory(body="<p>First.</p>")
    workflow.move(story, Article.Status.UNPUBLISHED, by=editor)
    story.body = "<p>Half-written.</p>"
    story.save()  # not public: no kind asked, nothing recorded
    story.body = "<p>Second.</p>"
    story.save()
    with pytest.raises(ValidationError, match="say what kind of change"):
        workflow.move(story, Article.Status.PUBLISHED, by=editor)
    story.refresh_from_db()
    assert story.status == Article.Status.UNPUBLISHED
    workflow.move(
        story,
        Article.Status.PUBLISHED,
        by=editor,
        change=(Kind.CORRECTION, "An earlier version named the wrong school."),
    )
    bodies = list(story.public_versions.order_by("at").values_list("body", flat=True))
    assert bodies == ["<p>First.</p>", "<p>Second.</p>"]
    assert story.public_versions.get(kind=Kind.CORRECTION).by == editor


def test_publishing_again_the_same_text_adds_no_version():
    editor = StaffFactory(group="Editor")
    story = ArticleFactory()
    workflow.move(story, Article.Status.UNPUBLISHED, by=editor)
    workflow.move(story, Article.Status.PUBLISHED, by=editor)
    assert kinds(story) == [Kind.PUBLISHED]


def test_a_scheduled_storys_version_waits_for_its_time_and_follows_later_edits():
    later = timezone.now() + timedelta(hours=2)
    story = ArticleFactory(status=Article.Status.SCHEDULED, publish_at=later, body="<p>A</p>")
    story.body = "<p>B</p>"
    story.save()  # not yet public: no kind asked
    [pending] = story.public_versions.all()
    assert (pending.body, pending.at) == ("<p>B</p>", later)
    assert not StoryChange.objects.public().exists()
    story.status = Article.Status.IN_REVIEW
    story.save()
    assert not story.public_versions.exists()  # unscheduled: nothing will be public
