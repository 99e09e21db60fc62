"""GIN index on Article.search_vector, so full-text search stays fast on 100,000 stories.

PostgreSQL only: SQLite has no full-text index (the search falls back to substring
matching there), so this does nothing on other databases. The index is not declared in
the model's Meta because a GinIndex cannot be created on SQLite. Vectors of stories that
existed before this migration are filled by ``manage.py rebuild_search_index``.
"""

from django.db import migrations

INDEX_NAME = "article_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON articles_article USING gin (search_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
