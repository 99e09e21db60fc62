"""The importer's models moved from ``articles`` to ``wordpress``: rows, grants and history stay."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ArticleFactory, StaffFactory
from wordpress.models import LegacyAddress, WordPressPost

# Migrations write the schema: SQLite refuses that inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

# The state of a database from before the move: the four models under articles.
BEFORE_THE_MOVE = [("articles", "0016_front_page_safe_links"), ("wordpress", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def test_migrating_a_database_from_before_the_move_keeps_rows_grants_and_admin_history():
    """A database with the models under articles keeps its rows; content types move with
    their group grants and log entries, and no second set of content types is left."""
    story = ArticleFactory()
    LegacyAddress.objects.create(path="/2019/01/old-post/", article=story)
    WordPressPost.objects.create(site="https://old.example", wp_id=7, article=story)
    _migrate(BEFORE_THE_MOVE)

    old_post_type = ContentType.objects.get(app_label="articles", model="wordpresspost")
    change = Permission.objects.get(content_type=old_post_type, codename="change_wordpresspost")
    editors = Group.objects.create(name="Imports")
    editors.permissions.add(change)
    entry = LogEntry.objects.create(
        user=StaffFactory(),
        content_type=old_post_type,
        object_id="1",
        object_repr="old post",
        action_flag=ADDITION,
    )
    # post_migrate may already have created the new app's rows: they are merged, not doubled.
    old_address_type = ContentType.objects.get(app_label="articles", model="legacyaddress")
    early = ContentType.objects.create(app_label="wordpress", model="legacyaddress")
    Permission.objects.create(content_type=early, codename="view_legacyaddress", name="View")
    granted = Permission.objects.get(content_type=old_address_type, codename="view_legacyaddress")
    editors.permissions.add(granted)

    _migrate(None)

    models = ["wordpresspost", "wordpressauthor", "wordpressattachment", "legacyaddress"]
    assert not ContentType.objects.filter(app_label="articles", model__in=models).exists()
    assert ContentType.objects.get_for_model(WordPressPost).pk == old_post_type.pk
    entry.refresh_from_db()
    assert entry.content_type_id == old_post_type.pk
    assert set(editors.permissions.values_list("content_type__app_label", "codename")) == {
        ("wordpress", "change_wordpresspost"),
        ("wordpress", "view_legacyaddress"),
    }
    assert ContentType.objects.get_for_model(LegacyAddress).pk == early.pk
    assert LegacyAddress.objects.get().article == story
    assert WordPressPost.objects.get().wp_id == 7
