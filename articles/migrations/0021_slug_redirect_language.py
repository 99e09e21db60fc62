"""Old addresses (SlugRedirect) per language, like slugs: unique per (language, old_slug).

``old_slug`` was unique across languages, so a French story renamed away from a slug that
was an English story's old slug took that redirect over. Each existing row gets its story's
language; no two rows can collide, since old_slug was unique.
"""

from django.db import migrations, models


def language_of_story(apps, schema_editor):
    SlugRedirect = apps.get_model("articles", "SlugRedirect")
    Article = apps.get_model("articles", "Article")
    for language in Article.objects.values_list("language", flat=True).distinct():
        SlugRedirect.objects.filter(article__language=language).update(language=language)


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_front_page_id_sequence")]

    operations = [
        migrations.AddField(
            model_name="slugredirect",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("fr", "French")],
                default="en",
                max_length=2,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(language_of_story, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="slugredirect",
            name="old_slug",
            field=models.SlugField(max_length=200),
        ),
        migrations.AddConstraint(
            model_name="slugredirect",
            constraint=models.UniqueConstraint(
                fields=("language", "old_slug"), name="slug_redirect_per_language"
            ),
        ),
        migrations.AddConstraint(
            model_name="slugredirect",
            constraint=models.CheckConstraint(
                condition=models.Q(("language__in", ("en", "fr"))),
                name="slug_redirect_known_language",
            ),
        ),
    ]
