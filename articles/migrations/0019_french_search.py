"""French full-text search on PostgreSQL: the ``unaccent`` extension and a ``french_unaccent``
text search configuration (French stemming, accents ignored: "ecole" finds "école").

``french_unaccent`` is PostgreSQL's ``french`` with ``unaccent`` run before the French
stemmer on words (the documented recipe of the unaccent module). French stories' search
vectors are built with it (``articles.search``), and French queries are parsed with it. On
SQLite this migration does nothing (search there is a substring match). The vectors of
stories that existed before are English and stay right; ``manage.py rebuild_search_index``
rebuilds all of them.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CONFIG = "french_unaccent"


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION {CONFIG}
              ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
          END IF;
        END $$;
        """
    )


class UnaccentOnPostgreSQL(UnaccentExtension):
    """Django's operation skips other databases going forwards but not backwards (it asks
    ``pg_extension``, which SQLite does not have): unapplying on SQLite does nothing too."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_languages")]

    operations = [
        UnaccentOnPostgreSQL(),
        migrations.RunPython(create_config, drop_config, elidable=False),
    ]
