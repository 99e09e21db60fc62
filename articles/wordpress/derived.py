"""The work that follows an import: related lists, the search index, photo renditions.

Every story save normally does this work once it commits (``Article.save()`` sends
``article_changed``: related lists per ``RELATED_STORIES['REFRESH']``, the search vector,
cached pages). Fifty thousand imported stories would mean fifty thousand refreshes, one
after the other, each scoring the story against the whole archive. So the importer writes
stories with the model's derived fields but without that signal, keeps the per-story related
refresh off for anything else it saves (:func:`per_story_related_refresh_off`), and, at the
end, does the work once for the whole archive (:func:`after_import`).

With the background worker, the rebuild and the renditions are queued (``articles.tasks``):
without a broker (the first run) they run here, in-process, as every task does.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from articles import events, tasks
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

    1. the full-text search index on PostgreSQL (``rebuild_search_index``, one statement
       per batch, here: search must find the imported stories at once);
    2. every cached page (the import wrote stories without invalidating them one by one);
    3. queued for the worker: renditions of the imported photos, then one full related
       rebuild (every list and the index) instead of one refresh per story.
    """
    if connection.vendor == "postgresql":
        call_command("rebuild_search_index", stdout=stdout)
    pagecache.clear_all()
    photos = Photo.objects.exclude(image="").exclude(renditions_of=F("image"))
    if photo_ids is not None:
        photos = photos.filter(pk__in=list(photo_ids))
    for photo_id in photos.values_list("pk", flat=True).iterator(chunk_size=2000):
        events.queue("renditions", photo_id)
    if stdout:
        stdout.write("Renditions and the related-stories rebuild are queued for the worker.")
    tasks.rebuild_related.delay(fresh=True)
    WordPressPost.objects.filter(derived_pending=True).update(derived_pending=False)
