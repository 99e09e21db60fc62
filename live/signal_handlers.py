"""Every receiver of the live app, connected in ``LiveConfig.ready()``.

A photo deleted by any path leaves the entries that showed it (``SET_NULL``, an SQL update
that bypasses ``save()``): their stories' live pages are made stale after commit.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import pre_delete

from articles.models import Photo

from . import cached_pages
from .models import LiveEntry


def on_photo_deleting(sender, instance, **kwargs):
    story_ids = set(
        LiveEntry.objects.filter(photo_id=instance.pk).values_list(
            "coverage__article_id", flat=True
        )
    )
    for story_id in story_ids:
        transaction.on_commit(partial(cached_pages.coverage_changed, story_id))


def connect():
    pre_delete.connect(on_photo_deleting, sender=Photo, dispatch_uid="live-photo-deleting")
