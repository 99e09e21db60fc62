"""What the background worker does for related stories: refresh after a save, full rebuild.

The engine has one owner at a time across every worker on every machine: both entry points
hold a PostgreSQL advisory lock while they compute and write lists (a lock that dies with its
connection, so a killed worker never leaves it held). On SQLite, a single-machine set-up, a
process lock is enough.
"""

import logging
import threading
from contextlib import contextmanager

from django.db import connection
from django.db.models import F
from django.utils import timezone

from ..models import Article, RelatedArticle
from ..search import update_search_vectors
from . import index as index_module
from . import snapshots
from .conf import config
from .index import IndexMissing, RelatedIndex
from .rebuild import rebuild_all
from .refresh import refresh_related

logger = logging.getLogger(__name__)

# Any fixed 64-bit number, the same in every process: "the related-stories engine".
ENGINE_LOCK_KEY = 0x6E65777372656C  # "newsrel"
_process_lock = threading.RLock()


@contextmanager
def engine_lock():
    """Hold the related engine for the duration of the block (waits for the current owner)."""
    with _process_lock:
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [ENGINE_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ENGINE_LOCK_KEY])


def refresh_story(article_id, deleted=False):
    """Search vector and related lists of one story, then mark its derived data current.

    Returns True if it did the work, False if that version was already done (a duplicate
    task, or a burst of saves already folded into an earlier run).
    """
    with engine_lock():
        current = (
            Article.objects.filter(pk=article_id).values_list("version", "derived_version").first()
        )
        if current is None:
            deleted = True
        elif current[0] == current[1]:
            return False
        if not deleted:
            update_search_vectors([article_id])
        if config()["REFRESH"] != "off":
            try:
                refresh_related(article_id, deleted)
            except IndexMissing as exc:
                # A fresh machine with a large archive and no snapshot: the full rebuild
                # computes this story's list too, and marks it done.
                logger.warning("%s Queuing a full rebuild.", exc)
                from ..tasks import rebuild_related

                rebuild_related.delay()
                return False
        if current is not None:
            Article.objects.filter(pk=article_id, version=current[0]).update(
                derived_version=current[0]
            )
        return True


def warm():
    """Load this process's index as the worker starts. Returns True when a full rebuild is
    needed instead: one a killed worker left half done, or no snapshot and an archive too large
    to index while a task waits (the caller queues it)."""
    snapshot = snapshots.latest()
    if snapshot is not None and snapshot.next_row is not None:
        # Its message waits out the broker's visibility timeout (an hour); resume it now.
        logger.warning("Resuming the related-lists rebuild cut off at story %s.", snapshot.next_row)
        return True
    try:
        index_module.get_index()
    except IndexMissing as exc:
        logger.warning("%s Queuing a full rebuild.", exc)
        return True
    return False


def rebuild(fresh=False, block=256, progress=None, say=logger.info):
    """Every story's list and a new index snapshot; resumes a cut-off rebuild unless ``fresh``.

    Returns the number of stories indexed.
    """
    with engine_lock():
        conf = config()
        started_at = timezone.now()
        index, start = None, 0
        snapshot = None if fresh else snapshots.latest()
        if snapshot is not None and snapshot.next_row is not None:
            index, start = snapshots.load(snapshot), snapshot.next_row
            say(
                f"Resuming an interrupted rebuild at story {start:,} of {len(index.ids):,} "
                "(use --fresh to start over)."
            )
        if index is None:
            say("Reading stories and learning the text model…")
            index = RelatedIndex.build(conf, progress=progress)
            if not len(index.ids):
                say("No stories yet: nothing to rebuild.")
                return 0
            snapshots.save(index, next_row=0)
            say(f"Index of {len(index.ids):,} stories stored in the database.")
        say("Scoring and storing related lists…")
        rebuild_all(
            index,
            conf,
            start=start,
            block=block,
            progress=progress,
            checkpoint=lambda next_row: snapshots.record_progress(index.build_id, next_row),
        )
        snapshots.record_progress(index.build_id, None)
        index_module.use_index(index)
        _mark_derived(before=started_at)
        if connection.vendor == "postgresql":
            # Fresh planner statistics for the rewritten table (and the stories, after a bulk
            # load or an import), or the page's one query may scan instead of using the index
            # until autovacuum gets round to it (155 ms instead of 15 ms at 10,000 stories).
            with connection.cursor() as cursor:
                for model in (RelatedArticle, Article):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        return len(index.ids)


def _mark_derived(before):
    """Stories unchanged since the rebuild started have current lists: mark them done, with
    their search vectors refreshed if a lost task had left those behind too."""
    stale = Article.objects.exclude(derived_version=F("version")).filter(updated_at__lt=before)
    ids = list(stale.values_list("pk", flat=True))
    for first in range(0, len(ids), 5000):
        batch = ids[first : first + 5000]
        update_search_vectors(batch)
        Article.objects.filter(pk__in=batch, updated_at__lt=before).update(
            derived_version=F("version")
        )
