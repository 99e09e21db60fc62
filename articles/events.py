"""What follows a change to a story or a photo, said once, in order.

``Article.save()`` and ``Photo.save()`` call these inside the transaction that made the
change, and so do the delete receivers (``articles.signal_handlers``), whatever path deleted
the row. Nothing runs until that transaction commits; then:

1. the story's search vector is refreshed (the data pages are rendered from);
2. ``article_changed`` is sent in this process: its receivers (the cached pages showing the
   story: ``articles.cached_pages``, connected in ``articles.signal_handlers``) run on data
   already updated, whatever the order of ``INSTALLED_APPS`` or of their connection;
3. the heavy work is queued for the background worker (``articles.tasks``): related lists
   for a story, renditions and crops for a new image or a moved focal point.

The queued work is durable without an outbox table: a story whose ``derived_version`` is
behind its ``version``, or a photo whose ``renditions_of`` is not its image, is still due,
and the worker's reconciliation sweep (``tasks.reconcile``) queues it again if the message
or the worker was lost.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from newsroom.breaker import breaker

from .signals import article_changed

logger = logging.getLogger(__name__)

# How long a "refresh already queued" marker lives: long enough to fold a burst of saves into
# one task, short enough that a lost task only delays the next save's refresh, not blocks it.
QUEUED_MARKER_SECONDS = 300


def story_changed(article_id, *, deleted=False):
    """A story was saved or deleted in the current transaction."""
    transaction.on_commit(partial(_story_committed, article_id, deleted))


def photo_uploaded(photo_id):
    """A photo got a new image file in the current transaction: its renditions are due."""
    transaction.on_commit(partial(queue, "renditions", photo_id))


def photo_focal_point_moved(photo_id):
    """A photo's focal point moved in the current transaction: its crops are due again.

    The same background work as a new upload (the worker makes renditions and crops in
    one run); pages keep the current copies until the new ones are stored.
    """
    transaction.on_commit(partial(queue, "renditions", photo_id))


def photo_deleted(photo_id, article_ids, file_names, storage):
    """A photo is being deleted in the current transaction (called before its row goes).

    Once that commits, every story that showed it (``Photo.stories_using()``, found before
    the foreign keys were emptied) changed: its pages and the lists showing its card are
    invalidated like after a save. Then its files go, so no cached copy elsewhere (a CDN,
    a reader's page) keeps showing a photo the newsroom removed.
    """
    transaction.on_commit(partial(_photo_deleted_committed, list(article_ids), file_names, storage))


def _photo_deleted_committed(article_ids, file_names, storage):
    from .images import delete_files

    for article_id in article_ids:
        _story_data_committed(article_id, deleted=False)
    delete_files(file_names, storage)


def _story_committed(article_id, deleted):
    _story_data_committed(article_id, deleted)
    queue("story", article_id, deleted=deleted)


def _story_data_committed(article_id, deleted):
    """Steps 1 and 2 of the module's docstring, in that order: the order is said here."""
    from .models import Article
    from .search import update_search_vectors

    if not deleted:
        update_search_vectors([article_id])
    article_changed.send(sender=Article, article_id=article_id, deleted=deleted)


def queued_marker(kind, object_id):
    return f"tasks:queued:{kind}:{object_id}"


def queue(kind, object_id, **kwargs):
    """Send the task unless one for the same object is already waiting (coalescing).

    A deletion is always sent: it must reach the index even if an edit is waiting.
    """
    from . import tasks

    task = {"story": tasks.refresh_story, "renditions": tasks.make_renditions}[kind]
    if not kwargs.get("deleted"):
        try:
            # add() is atomic: only the first save of a burst sends a task. The worker removes
            # the marker when it starts, so a save during the work queues another run.
            if cache.add(queued_marker(kind, object_id), 1, QUEUED_MARKER_SECONDS) is False:
                return
        except Exception:  # no cache: send anyway; duplicates are harmless, only wasted work
            logger.warning("Cache unavailable; queuing %s %s without coalescing", kind, object_id)
    # A hung broker costs one send's timeouts (settings: CELERY_BROKER_TRANSPORT_OPTIONS),
    # then this process stops trying for a while: a save never waits on it twice in a row.
    broker = _broker_breaker()
    sent = False
    if broker.allow():
        try:
            task.delay(object_id, **kwargs)
            sent = True
        except Exception:
            broker.failed()
            logger.exception(
                "Could not queue %s work for %s; the sweep will retry", kind, object_id
            )
        else:
            broker.succeeded()
    else:
        logger.warning(
            "Broker skipped after a recent failure; the sweep will queue %s %s", kind, object_id
        )
    if not sent:
        # The change is committed and the sweep will find the work still due (see the
        # module docstring), so the editor's save must not fail here.
        try:
            cache.delete(queued_marker(kind, object_id))
        except Exception:  # the marker expires by itself
            logger.warning(
                "Cache unavailable; the queued marker of %s expires by itself", object_id
            )


def _broker_breaker():
    return breaker("Celery broker", settings.BROKER_BREAKER_SECONDS)
