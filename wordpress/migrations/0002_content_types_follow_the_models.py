"""The four models' content types move from ``articles`` to ``wordpress`` with them.

Permissions and admin history point at a content type, not at a model: without this, a
database that had the models under ``articles`` would keep the old rows (their permissions
granted to groups, their log entries) and get new, empty ones under ``wordpress``. On a
fresh database the rows exist too (``articles.0012`` creates the app's permissions), so
this runs there as well.
"""

from django.db import migrations

MODELS = ["wordpresspost", "wordpressauthor", "wordpressattachment", "legacyaddress"]


def _move(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both rows exist (post_migrate ran between the two migrations and created the
        # target's): keep the target's, carry the old one's grants and history over to it.
        for permission in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(
                content_type=new, codename=permission.codename
            ).first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
            else:
                twin.group_set.add(*permission.group_set.all())
                twin.user_set.add(*permission.user_set.all())
        LogEntry.objects.filter(content_type=old).update(content_type=new)
        old.delete()


def forwards(apps, schema_editor):
    _move(apps, "articles", "wordpress")


def backwards(apps, schema_editor):
    _move(apps, "wordpress", "articles")


class Migration(migrations.Migration):
    dependencies = [
        ("wordpress", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
