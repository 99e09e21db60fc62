"""The work that follows an import: related lists, the search index, photo renditions.

Every story save normally refreshes related lists once it commits (``RELATED_STORIES
['REFRESH']``). Fifty thousand imported stories would mean fifty thousand refreshes, one
after the other, each scoring the story against the whole archive. So the import turns
that per-story refresh off (:func:`per_story_related_refresh_off`) and, at the end, does
the work once for the whole archive (:func:`after_import`).

When story changes become queued background tasks (``articles/events.py``), this module is
the one place to switch: ``after_import`` would queue one rebuild instead of running it.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from articles.images import make_renditions
from articles.models import Photo


@contextmanager
def per_story_related_refresh_off():
    """Within the block, saving a story does not refresh related lists (they are rebuilt
    once afterwards). Other after-save work (search vector, cached pages) goes on."""
    previous = getattr(settings, "RELATED_STORIES", {})
    settings.RELATED_STORIES = {**previous, "REFRESH": "off"}
    try:
        yield
    finally:
        settings.RELATED_STORIES = previous


def after_import(stdout=None, photo_ids=None):
    """Derived work for the whole archive, once, after an import.

    1. renditions of the imported photos that have none yet;
    2. every related list and the related index (``rebuild_related``);
    3. the full-text search index on PostgreSQL (``rebuild_search_index``).
    """
    photos = Photo.objects.filter(renditions=[])
    if photo_ids is not None:
        photos = photos.filter(pk__in=list(photo_ids))
    for photo in photos.iterator(chunk_size=200):
        if photo.image:
            Photo.objects.filter(pk=photo.pk).update(renditions=make_renditions(photo))
    call_command("rebuild_related", fresh=True, stdout=stdout)
    if connection.vendor == "postgresql":
        call_command("rebuild_search_index", stdout=stdout)
