"""Tags made before articles/tags.py whose name gave no slug ("!!!", "🔥") get one now.

Their pages could not be linked to, and the story pages and the tags sitemap that link
them failed. Same rule as articles.tags.fallback_slug (kept here so the migration does not
change if that module does).
"""

import hashlib

from django.db import migrations


def give_empty_slugs_an_address(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    for tag in Tag.objects.filter(slug=""):
        tag.slug = f"tag-{hashlib.sha256(tag.name.encode()).hexdigest()[:10]}"
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_story_social_fields"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(give_empty_slugs_an_address, migrations.RunPython.noop)]
