"""Receivers that turn deletions into the events of ``articles.events``.

A story or photo can be deleted by paths that never call the model's own ``delete()``: the
admin's "Delete selected" action (``QuerySet.delete()``), a cascade, a management command.
Django sends ``pre_delete`` and ``post_delete`` for each row on every one of those paths (a
receiver also keeps Django from deleting the rows in bulk without loading them), so the
events are sent from here and nowhere else. Connected in ``ArticlesConfig.ready()``.
"""

from django.db.models.signals import post_delete, pre_delete

from . import events
from .models import Article, Photo


def _story_deleted(sender, instance, **kwargs):
    events.story_changed(instance.pk, deleted=True)


def _photo_deleting(sender, instance, **kwargs):
    # Before the row goes: Django empties the stories' lead_photo (SET NULL) before
    # post_delete, and the stories that showed the photo could not be found then.
    events.photo_deleted(
        instance.pk,
        instance.stories_using().values_list("pk", flat=True),
        instance.file_names(),
        instance.image.storage,
    )


def connect():
    post_delete.connect(_story_deleted, sender=Article, dispatch_uid="articles-story-deleted")
    pre_delete.connect(_photo_deleting, sender=Photo, dispatch_uid="articles-photo-deleting")
