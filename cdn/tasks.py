"""The worker's side of a purge (``cdn.purge`` says when it is queued)."""

import logging

from celery import shared_task
from django.conf import settings

from . import purge as purges
from .backends import PurgeFailed

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=4, ignore_result=True)
def purge(self, keys=(), again=True):
    """Purge ``keys`` and every key waiting in Redis; once more ``CDN_REPURGE_SECONDS``
    later (``again``)."""
    inline = self.request.is_eager
    keys = sorted({*keys, *([] if inline else purges.take_waiting())})
    if not keys:
        return
    try:
        purges.purge_now(keys, inline=inline)
    except PurgeFailed as exc:
        if inline:
            logger.warning("CDN purge of %s failed: %s", keys, exc)
            return
        logger.warning("CDN purge of %s failed (retrying): %s", keys, exc)
        raise self.retry(
            args=(keys,),
            kwargs={"again": again},
            exc=exc,
            countdown=2 ** (self.request.retries + 1),
        ) from exc
    if again and not inline and settings.CDN_REPURGE_SECONDS > 0:
        purge.apply_async((keys,), {"again": False}, countdown=settings.CDN_REPURGE_SECONDS)
