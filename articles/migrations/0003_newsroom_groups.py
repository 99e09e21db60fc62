"""The newsroom's two roles as groups with their permissions.

Reporter: write stories and their photos, bylines and tags; see sections and authors.
Editor: everything on stories and tags. Which *status changes* each role may make is
decided in articles/workflow.py; these permissions only open the admin's doors.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = {
    "articles": {
        "article": ["add", "change", "view"],
        "byline": ["add", "change", "delete", "view"],
        "photo": ["add", "change", "view"],
        "taggedarticle": ["add", "change", "delete", "view"],
        "section": ["view"],
        "author": ["view"],
    },
    "taggit": {"tag": ["add", "view"]},
}
EDITOR_APPS = ("articles", "taggit")


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    reporter, _ = Group.objects.get_or_create(name="Reporter")
    wanted = []
    for app_label, models in REPORTER.items():
        for model, actions in models.items():
            wanted += [f"{action}_{model}" for action in actions]
    reporter.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=REPORTER.keys(), codename__in=wanted
        )
    )

    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_vector_gin"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
