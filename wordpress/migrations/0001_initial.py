"""The importer's models, taken over from ``articles`` with their tables (state only).

The tables were created by ``articles.0007_wordpress_import`` and keep their names
(``db_table``); this migration runs after ``articles.0017``, which took the models out of
the ``articles`` state, so on a fresh database and on an existing one alike the tables are
created once and never touched here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0017_wordpress_models_to_wordpress_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LegacyAddress",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "path",
                            models.CharField(max_length=500, unique=True, verbose_name="old path"),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="articles.article",
                                verbose_name="story",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "old WordPress address",
                        "verbose_name_plural": "old WordPress addresses",
                        "db_table": "articles_legacyaddress",
                    },
                ),
                migrations.CreateModel(
                    name="WordPressAttachment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("site", models.CharField(max_length=200, verbose_name="WordPress site")),
                        (
                            "wp_id",
                            models.PositiveBigIntegerField(verbose_name="WordPress attachment id"),
                        ),
                        ("source_digest", models.CharField(max_length=64)),
                        (
                            "photo",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="articles.photo",
                                verbose_name="photo",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "imported WordPress image",
                        "verbose_name_plural": "imported WordPress images",
                        "db_table": "articles_wordpressattachment",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("site", "wp_id"), name="unique_wordpress_attachment"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="WordPressAuthor",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("site", models.CharField(max_length=200, verbose_name="WordPress site")),
                        ("login", models.CharField(max_length=200, verbose_name="WordPress login")),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="articles.author",
                                verbose_name="author",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "imported WordPress author",
                        "verbose_name_plural": "imported WordPress authors",
                        "db_table": "articles_wordpressauthor",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("site", "login"), name="unique_wordpress_author"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="WordPressPost",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("site", models.CharField(max_length=200, verbose_name="WordPress site")),
                        ("wp_id", models.PositiveBigIntegerField(verbose_name="WordPress post id")),
                        ("source_digest", models.CharField(max_length=64)),
                        ("imported_version", models.PositiveIntegerField(default=1)),
                        (
                            "imported_at",
                            models.DateTimeField(auto_now=True, verbose_name="imported at"),
                        ),
                        ("derived_pending", models.BooleanField(default=True)),
                        (
                            "article",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="wordpress_post",
                                to="articles.article",
                                verbose_name="story",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "imported WordPress post",
                        "verbose_name_plural": "imported WordPress posts",
                        "db_table": "articles_wordpresspost",
                        "indexes": [models.Index(fields=["wp_id"], name="wordpress_post_id_idx")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("site", "wp_id"), name="unique_wordpress_post"
                            )
                        ],
                    },
                ),
            ],
            # The tables exist already (articles.0007): nothing to do in the database.
            database_operations=[],
        ),
    ]
