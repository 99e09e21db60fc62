"""Editors get the ratings tools: the story ratings list and report (with its CSV) and the
reader-feedback inbox, where they mark feedback as handled.

Reporters get none of it: the report ranks colleagues' stories against each other and the
inbox holds readers' own words, both for the desk to act on. (The groups themselves come
from articles/migrations/0003_newsroom_groups.py.)
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = {
    "ratingsummary": ["view"],
    "feedback": ["view", "change"],
}


def _permissions(apps):
    # Permissions are normally created after all migrations run; make sure they exist now.
    app_config = apps.get_app_config("ratings")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in EDITOR.items() for action in actions]
    return Permission.objects.filter(content_type__app_label="ratings", codename__in=codenames)


def give_editors_the_ratings_tools(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*_permissions(apps))


def take_them_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for editor in Group.objects.filter(name="Editor"):
        editor.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0001_votes_and_summaries"),
        ("articles", "0003_newsroom_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(give_editors_the_ratings_tools, take_them_back)]
