"""Editors may unlock a colleague's account locked out of the admin sign-in.

The permission belongs to the sign-in throttle (newsroom/login_throttle.py); who holds it
is a newsroom role, so it is granted here with the other roles' permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def _unlock_permission(apps):
    app_config = apps.get_app_config("newsroom")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="newsroom", codename="unlock_signin"
    )


def let_editors_unlock(apps, schema_editor):
    editor, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editor")
    editor.permissions.add(_unlock_permission(apps))


def take_it_back(apps, schema_editor):
    for editor in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        editor.permissions.remove(_unlock_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_background_work"),
        ("newsroom", "0001_login_throttle"),
    ]

    operations = [migrations.RunPython(let_editors_unlock, take_it_back)]
