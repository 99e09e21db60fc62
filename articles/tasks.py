"""Background work for stories and photos, run by the worker (`scripts/worker`).

Each task is a thin call into the module that does the work, so tests call that work directly
and the queue is only transport. Every task is idempotent: running it twice stores the same
result. Importing this module loads no numpy: web processes import it to queue work, so the
related engine is imported inside the tasks, from ``articles.related.worker`` only (the one
import the web-process contract in pyproject.toml allows, see docs/architecture/related.md).
"""

import logging
import time

from celery import Task, current_task, shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from newsroom import metrics

from . import events
from .metrics import RELATED_LAG

logger = logging.getLogger(__name__)

# Failures worth retrying: the database or the broker briefly gone.
TRANSIENT = (OperationalError, InterfaceError, BrokerError, ConnectionError, TimeoutError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,  # 2, 4, 8 … seconds, with jitter
    "retry_backoff_max": 300,
    "max_retries": 8,
}
# Work this old and still due was lost (a killed worker, a dropped message): the sweep
# queues it again. Younger work is probably still on its way. (Setting RECONCILE_GRACE_SECONDS.)
RECONCILE_GRACE_SECONDS = settings.RECONCILE_GRACE_SECONDS
RECONCILE_BATCH = 500


class LoggedTask(Task):
    """Logs a task that gave up, naming what it was for; the worker moves on to the next."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        logger.error(
            "Task %s gave up on %s after %s retries: %r",
            self.name,
            args[0] if args else kwargs,
            self.request.retries,
            exc,
        )


@shared_task(base=LoggedTask, **RETRY)
def refresh_story(article_id, deleted=False):
    """A story changed: its search vector, its related list and the lists it enters or leaves."""
    from .related.worker import refresh_story as refresh

    _clear_marker("story", article_id)
    if refresh(article_id, deleted=deleted) and not deleted:
        sent_at = metrics.sent_at(current_task.request) if current_task else None
        if sent_at is not None:
            RELATED_LAG.observe(max(0.0, time.time() - sent_at))


@shared_task(base=LoggedTask, **RETRY)
def make_renditions(photo_id):
    """The resized copies of a photo's new image (pages show the original until then)."""
    from .models import Photo

    _clear_marker("renditions", photo_id)
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is not None and photo.refresh_renditions():
        from .cached_pages import invalidate_story_pages_and_lists

        ids = list(photo.articles.values_list("pk", flat=True))
        if ids:
            invalidate_story_pages_and_lists(ids)


@shared_task(base=LoggedTask, **RETRY)
def rebuild_related(fresh=False):
    """Every related list and the index, as `manage.py rebuild_related --queue` asks."""
    from .related.worker import rebuild

    rebuild(fresh=fresh)


@shared_task(base=LoggedTask, **RETRY)
def reconcile():
    """Queue again the work that is due but was lost (see ``articles.events``).

    Runs every ``RECONCILE_INTERVAL`` seconds (the worker's beat) and when a worker starts.
    Returns how many stories and photos it queued.
    """
    from .models import Article, Photo

    cutoff = timezone.now() - timezone.timedelta(seconds=RECONCILE_GRACE_SECONDS)
    stories = list(
        Article.objects.exclude(derived_version=F("version"))
        .filter(updated_at__lt=cutoff)
        .order_by("updated_at")
        .values_list("pk", flat=True)[:RECONCILE_BATCH]
    )
    photos = list(
        Photo.objects.exclude(image="")
        .exclude(renditions_of=F("image"))
        .filter(uploaded_at__lt=cutoff)
        .values_list("pk", flat=True)[:RECONCILE_BATCH]
    )
    for article_id in stories:
        _clear_marker("story", article_id)  # the marker may belong to the lost task
        events.queue("story", article_id)
    for photo_id in photos:
        _clear_marker("renditions", photo_id)
        events.queue("renditions", photo_id)
    if stories or photos:
        logger.warning(
            "Reconciliation queued %d stories and %d photos whose work was due",
            len(stories),
            len(photos),
        )
    return len(stories), len(photos)


def _clear_marker(kind, object_id):
    try:
        cache.delete(events.queued_marker(kind, object_id))
    except Exception:  # no cache: the marker expires by itself
        logger.warning("Cache unavailable; could not clear the queued marker of %s", object_id)


@shared_task(base=LoggedTask, **RETRY)
def warm_related_index():
    """Load the related index into the worker that owns it (or have it rebuilt), or finish
    the rebuild a killed worker left half done."""
    from .related.worker import warm

    if warm():
        rebuild_related.delay()


@worker_ready.connect
def _on_worker_ready(sender=None, **kwargs):
    """A worker that starts (a fresh machine, a restart after a crash) catches up by itself."""
    warm_related_index.delay()
    reconcile.delay()
