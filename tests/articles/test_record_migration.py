"""The migration that starts the public record moves the old free-text notes into it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("articles", "0021_slug_redirect_language")]
AFTER = [("articles", "0022_public_record")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_correction_notes_are_moved_into_the_record():
    """A live story's note becomes a correction readers see; a hidden story's note becomes
    a newsroom note; going back puts both notes back in the old field."""
    old = migrate(BEFORE)
    try:
        section = old.get_model("articles", "Section").objects.create(name="Canada", slug="canada")
        Story = old.get_model("articles", "Article")
        now = timezone.now()
        common = {"section_id": section.pk, "body": "<p>Text.</p>", "publish_at": now}
        live = Story.objects.create(
            headline="Live",
            slug="live",
            status="published",
            correction="Misnamed the town.",
            revised_at=now,
            **common,
        )
        hidden = Story.objects.create(
            headline="Hidden", slug="hidden", status="unpublished", correction="Kept.", **common
        )
        new = migrate(AFTER)
        Change = new.get_model("articles", "StoryChange")
        record = Change.objects.filter(article_id=live.pk).order_by("at", "pk")
        assert list(record.values_list("kind", "note", "carried_over")) == [
            ("published", "", True),
            ("correction", "Misnamed the town.", True),
        ]
        assert not Change.objects.filter(article_id=hidden.pk).exists()
        note = new.get_model("articles", "StoryNote").objects.get(article_id=hidden.pk)
        assert note.text.endswith("Kept.")
        story = new.get_model("articles", "Article").objects.get(pk=live.pk)
        assert story.public_notes[0]["note"] == "Misnamed the town."
        back = migrate(BEFORE)
        notes = back.get_model("articles", "Article").objects.order_by("slug")
        assert list(notes.values_list("correction", flat=True)) == ["Kept.", "Misnamed the town."]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
