"""Move PostgreSQL's id counter of front pages past the row migration 0012 wrote.

0012 created the (then only) front page with an explicit id 1, which does not move a
PostgreSQL sequence; since front pages exist per language (0018), the first French front
page took id 1 from the sequence and failed as a duplicate. The same reset ``loaddata``
does, through the database's own ``sequence_reset_sql``; nothing to do on SQLite.
"""

from django.core.management.color import no_style
from django.db import migrations


def reset_sequence(apps, schema_editor):
    FrontPage = apps.get_model("articles", "FrontPage")
    for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [FrontPage]):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_french_search")]

    operations = [migrations.RunPython(reset_sequence, migrations.RunPython.noop)]
