"""From a page-cache invalidation to a purge in front: queued, coalesced, never in the way.

``newsroom.pagecache.bump(groups)`` (after a save commits) calls ``queue(groups)``. The
groups are the surrogate keys the answers carry (``Surrogate-Key``: the site, the page's
group such as ``story:<slug>``, its language), so the same names are purged in front.

- Coalescing: the keys wait in one Redis set (``PENDING``) and one purge task at a time is
  queued (an atomic ``cache.add`` marker, removed by the worker when it starts). The task
  takes every key waiting (``SPOP``: each key is taken by one task only) and purges them in
  one request; keys added while it runs queue the next task. So a burst of saves, or an
  import of a thousand stories, is a handful of purges, not one per save.
- Never in the way: the web process only adds the keys and, at most once per task, sends
  it (the broker's short timeouts and its circuit breaker, as ``articles.events``); the
  worker talks to the CDN with ``CDN_PURGE_TIMEOUT`` and retries with back-off. Without a
  broker the task runs inline once the save has committed, with that timeout, and after a
  failure the CDN is skipped for ``CDN_BREAKER_SECONDS``. Without Redis (or with Redis
  unreachable) the keys travel in the task's message instead.
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

PENDING = "cdn:pending"
FLUSH_QUEUED = "cdn:flush-queued"
# A lost task (a dropped message) holds back the purge of waiting keys at most this long.
QUEUED_MARKER_SECONDS = 10
TAKE_AT_MOST = 10_000


def register():
    pagecache.on_bump(queue)
    pagecache.on_public_answer(label_answer)


def enabled():
    return settings.CDN_PURGE_BACKEND != "none"


def queue(groups):
    """Have the cache in front forget the answers filed under these groups' keys."""
    if not enabled():
        return
    keys = sorted(pagecache.surrogate_key(group) for group in groups)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        send(keys)  # no worker: purged here and now, with the purge's own timeout
        return
    if not _wait(keys):
        send(keys)  # no shared set to wait in: the keys go in the message
        return
    try:
        first = cache.add(FLUSH_QUEUED, 1, QUEUED_MARKER_SECONDS) is not False
    except Exception:  # the keys wait in Redis; a second task only finds nothing to take
        first = True
    if first:
        send([])


def _wait(keys):
    """Add the keys to the set of keys waiting for a purge; False if there is no such set."""
    if not hasattr(cache, "sadd") or not settings.REDIS_URL:
        return False
    try:
        return cache.sadd(PENDING, *keys) is not None  # None: Redis unreachable or skipped
    except Exception:
        logger.warning("Cache unavailable; %s travel in the purge task", keys)
        return False


def take_waiting():
    """Every key waiting for a purge, taken (another task will not get them)."""
    try:
        cache.delete(FLUSH_QUEUED)  # a change from now on queues the next task
        if not hasattr(cache, "spop") or not settings.REDIS_URL:
            return []
        return list(cache.spop(PENDING, TAKE_AT_MOST) or [])
    except Exception:
        logger.warning("Cache unavailable; no waiting keys taken", exc_info=True)
        return []


def send(keys):
    from . import tasks

    if settings.CELERY_TASK_ALWAYS_EAGER:
        tasks.purge.delay(keys)  # runs here and now
        return
    broker = breaker("Celery broker", settings.BROKER_BREAKER_SECONDS)
    if broker.allow():
        try:
            tasks.purge.delay(keys)
        except Exception:
            broker.failed()
            logger.exception("Could not queue the CDN purge of %s", keys or "the waiting keys")
        else:
            broker.succeeded()
            return
    else:
        logger.warning("Broker skipped after a recent failure; not purging %s now", keys)
    # Not sent: the keys wait in Redis for the next change's task, or the pages in front
    # expire by themselves (s-maxage).
    try:
        cache.delete(FLUSH_QUEUED)
    except Exception:  # it expires by itself
        logger.warning("Cache unavailable; the purge marker expires by itself")


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
