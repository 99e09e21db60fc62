"""The related-stories index kept in the database, where every worker on every machine can
read it (media would do for reach, but they are public and the index holds drafts' text
statistics). A snapshot is written in chunks under a new build id and switched to only when
complete, so a reader never sees half of one."""

import logging
import tempfile

from django.db import transaction

from ..models import RelatedIndexChunk, RelatedIndexSnapshot
from .index import RelatedIndex

logger = logging.getLogger(__name__)

CHUNK_BYTES = 8 * 1024 * 1024


def save(index, next_row=None):
    """Store ``index`` as the current snapshot (``next_row``: rebuild progress, see model)."""
    with tempfile.TemporaryFile() as file:
        index.write(file)
        file.seek(0)
        with transaction.atomic():
            snapshot = RelatedIndexSnapshot.objects.create(
                build_id=index.build_id, stories=int(index.exists.sum()), next_row=next_row
            )
            position = 0
            while chunk := file.read(CHUNK_BYTES):
                RelatedIndexChunk.objects.create(snapshot=snapshot, position=position, data=chunk)
                position += 1
            snapshot.complete = True
            snapshot.save(update_fields=["complete"])
            # Older snapshots are superseded; one at a time is kept.
            RelatedIndexSnapshot.objects.exclude(pk=snapshot.pk).delete()
    return snapshot


def record_progress(build_id, next_row):
    RelatedIndexSnapshot.objects.filter(build_id=build_id).update(next_row=next_row)


def latest():
    return RelatedIndexSnapshot.objects.filter(complete=True).order_by("-created_at").first()


def load(snapshot):
    with tempfile.TemporaryFile() as file:
        for data in (
            snapshot.chunks.order_by("position")
            .values_list("data", flat=True)
            .iterator(chunk_size=1)
        ):
            file.write(data)
        file.seek(0)
        return RelatedIndex.read(file)


def load_latest():
    """The latest complete snapshot's index, or None."""
    snapshot = latest()
    if snapshot is None:
        return None
    try:
        return load(snapshot)
    except (ValueError, OSError, KeyError) as exc:  # unreadable: rebuilt rather than trusted
        logger.error("The related-stories snapshot %s cannot be read (%s)", snapshot, exc)
        return None
