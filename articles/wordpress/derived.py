"""The work that follows an import: related lists, the search index, photo renditions.

Every story save normally does this work once it commits (``Article.save()`` sends
``article_changed``: related lists per ``RELATED_STORIES['REFRESH']``, the search vector,
cached pages). Fifty thousand imported stories would mean fifty thousand refreshes, one
after the other, each scoring the story against the whole archive. So the importer writes
stories with the model's derived fields but without that signal, keeps the per-story related
refresh off for anything else it saves (:func:`per_story_related_refresh_off`), and, at the
end, does the work once for the whole archive (:func:`after_import`).

When story changes become queued background tasks (``articles/events.py``), this module is
the one place to switch: ``after_import`` would queue one rebuild instead of running it.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from articles.images import make_renditions
from articles.models import Photo
from newsroom import pagecache

from .models import WordPressPost


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


def pending():
    """True when imported stories still wait for the work below (new, or interrupted)."""
    return WordPressPost.objects.filter(derived_pending=True).exists()


def after_import(stdout=None, photo_ids=None):
    """Derived work for the whole archive, once, after an import.

    1. renditions of the imported photos that have none yet;
    2. every related list and the related index (``rebuild_related``);
    3. the full-text search index on PostgreSQL (``rebuild_search_index``);
    4. every cached page (the import wrote stories without invalidating them one by one).
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
    pagecache.clear_all()
    WordPressPost.objects.filter(derived_pending=True).update(derived_pending=False)
