"""The work that follows an import: related lists, cached pages, photo renditions.

Every story save normally does this work once it commits (``Article.save()`` sends
``article_changed``: related lists per ``RELATED_STORIES['REFRESH']``, the search vector,
cached pages). Fifty thousand imported stories would mean fifty thousand refreshes, one
after the other, each scoring the story against the whole archive. So the importer writes
stories in batches with the model's derived fields but without ``Article.save()`` (no
per-story event is sent, so nothing is queued per story): each batch's search vectors are
written in the batch's transaction, and the rest is done once for the whole archive at the
end (:func:`after_import`).

With the background worker, the rebuild and the renditions are queued (``articles.tasks``):
without a broker (the first run) they run here, in-process, as every task does.
"""

from django.db import connection
from django.db.models import F

from articles import events, tasks
from articles.models import Article, Photo
from newsroom import pagecache

from .models import WordPressPost


def pending():
    """True when imported stories still wait for the work below (new, or interrupted)."""
    return WordPressPost.objects.filter(derived_pending=True).exists()


def after_import(stdout=None, photo_ids=None):
    """Derived work for the whole archive, once, after an import.

    1. fresh planner statistics for the stories table on PostgreSQL (it may have grown
       from nothing to tens of thousands of rows; the search vectors are already written);
    2. every cached page (the import wrote stories without invalidating them one by one);
    3. queued for the worker: renditions of the imported photos, then one full related
       rebuild (every list and the index) instead of one refresh per story.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Article._meta.db_table)}")
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
