"""From a page-cache invalidation to a purge in front: queued, coalesced, never in the way.

``newsroom.pagecache.bump(groups)`` (after a save commits) calls ``queue(groups)``. The
groups are the surrogate keys the answers carry (``Surrogate-Key``: the site, the page's
group such as ``story:<slug>``, its language), so the same names are purged in front.

- Coalescing: a key whose purge is queued and not yet started is not queued again (an
  atomic ``cache.add`` marker per key, removed by the task when it starts, so a change made
  while a purge runs is purged once more). A burst of saves on one story is one purge.
- Never in the way: the web process only sends the task (the broker's short timeouts and
  its circuit breaker, as ``articles.events``); the worker talks to the CDN with
  ``CDN_PURGE_TIMEOUT``. Without a broker the task runs inline once the save has committed,
  with that timeout, and after a failure the CDN is skipped for ``CDN_BREAKER_SECONDS``.
- Twice: a page rendered while the first purge was on its way (a request that read the
  story just before the save committed) can reach the cache in front after it; the worker
  purges the same keys again ``CDN_REPURGE_SECONDS`` later.
"""

import logging

from django.conf import settings
from django.core.cache import cache

from newsroom import pagecache
from newsroom.breaker import breaker

from . import backends

logger = logging.getLogger(__name__)

# A lost task (a dropped message) holds back the purges of its keys at most this long.
QUEUED_MARKER_SECONDS = 10


def register():
    pagecache.on_bump(queue)
    pagecache.on_public_answer(label_answer)


def enabled():
    return settings.CDN_PURGE_BACKEND != "none"


def marker(key):
    return f"cdn:purge-queued:{key}"


def queue(groups):
    """Have the cache in front forget the answers filed under these groups' keys."""
    if not enabled():
        return
    keys = sorted(pagecache.surrogate_key(group) for group in groups)
    try:
        keys = [
            key for key in keys if cache.add(marker(key), 1, QUEUED_MARKER_SECONDS) is not False
        ]
    except Exception:  # no cache: send them all; a duplicate purge costs only a request
        logger.warning("Cache unavailable; purging %s without coalescing", keys)
    if keys:
        send(keys)


def forget_markers(keys):
    try:
        cache.delete_many([marker(key) for key in keys])
    except Exception:  # they expire by themselves
        logger.warning("Cache unavailable; the purge markers of %s expire by themselves", keys)


def send(keys):
    from . import tasks

    if settings.CELERY_TASK_ALWAYS_EAGER:
        tasks.purge.delay(keys)  # runs here and now, with the purge's own timeout
        return
    broker = breaker("Celery broker", settings.BROKER_BREAKER_SECONDS)
    if broker.allow():
        try:
            tasks.purge.delay(keys)
        except Exception:
            broker.failed()
            logger.exception("Could not queue the CDN purge of %s", keys)
        else:
            broker.succeeded()
            return
    else:
        logger.warning("Broker skipped after a recent failure; not purging %s in front", keys)
    # Not sent: the pages in front expire by themselves (s-maxage); the next change retries.
    forget_markers(keys)


def purge_now(keys, inline=False):
    """Send the purge to the cache in front (the task's work); PurgeFailed if it failed.

    ``inline`` (no worker: the editor's request is waiting): skipped while the CDN's
    circuit breaker is open after a failure.
    """
    backend = backends.current()
    gate = breaker("CDN purge", settings.CDN_BREAKER_SECONDS)
    if inline and not gate.allow():
        logger.warning("CDN skipped after a recent failure; not purging %s", keys)
        return
    try:
        backend.purge(keys)
    except backends.PurgeFailed:
        gate.failed()
        raise
    gate.succeeded()


# Per process: (key, path) pairs already noted for CloudFront, so a hit writes nothing.
_noted = set()


def label_answer(request, response, keys):
    """Add the headers the cache in front files answers by; note paths where it needs them."""
    if not enabled():
        return
    backend = backends.current()
    for header, value in backend.extra_headers(keys).items():
        response[header] = value
    if backend.wants_paths and response.status_code in pagecache.PROXY_STATUSES:
        query = bool(request.GET)
        for key in keys:
            # The site's key purges "/*"; a language's would note half the site's paths.
            if key == pagecache.SITE_GROUP or key.startswith("lang:"):
                continue
            if (key, request.path, query) in _noted:
                continue
            backends.note_paths(key, request.path, query)
            if len(_noted) > 10_000:
                _noted.clear()
            _noted.add((key, request.path, query))
