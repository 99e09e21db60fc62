"""Search vectors kept in the story's row (PostgreSQL ``STORAGE MAIN``), not in its TOAST table.

Search ranks every matching story (``ts_rank``), so it reads the vector of each one. Stored
the default way (``EXTENDED``) a story's row was over PostgreSQL's 2 kB threshold and its
vector went out of line: each ranked story cost a TOAST index lookup and two more pages
(3,955 buffers instead of 837 to rank the 1,029 stories matching "wildfire" in the 10,000-story
bench archive, twice the time). With ``MAIN`` the body, which only the story page reads, is
moved out of line first and the vector stays in the row (compressed if need be) unless the row
cannot fit in a page.

Existing rows keep their layout until their vector is next written: run
``manage.py rebuild_search_index`` once after this migration to move them all. On SQLite this
does nothing.
"""

from django.db import migrations

TABLE, COLUMN = "articles_article", "search_vector"


def storage(strategy):
    def change(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE {strategy}")

    return change


class Migration(migrations.Migration):
    dependencies = [("articles", "0022_public_record")]

    operations = [
        migrations.RunPython(storage("MAIN"), storage("EXTENDED"), elidable=False),
    ]
