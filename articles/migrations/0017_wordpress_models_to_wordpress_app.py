"""The WordPress importer's four models move to the ``wordpress`` app.

State only: their tables (``articles_wordpresspost``, ``articles_wordpressauthor``,
``articles_wordpressattachment``, ``articles_legacyaddress``) stay where they are, with their
rows; ``wordpress.0001_initial`` takes the models over under the same table names, and
``wordpress.0002`` moves their content types (permissions and admin history follow).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_front_page_safe_links"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="LegacyAddress"),
                migrations.DeleteModel(name="WordPressAttachment"),
                migrations.DeleteModel(name="WordPressAuthor"),
                migrations.DeleteModel(name="WordPressPost"),
            ],
            # No database operation: the tables are kept, as they are, for wordpress.0001.
            database_operations=[],
        ),
    ]
