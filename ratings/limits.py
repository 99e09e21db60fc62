"""Abuse limits on votes: a speed limit per client address, and a cap per address per story.

Clearing cookies makes a browser a new voter, so limits are keyed on the (hashed) client
address. Both are generous, because an office or a campus can share one address.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone
from redis.exceptions import RedisError

from newsroom.cache import RedisCache


def votes_per_minute():
    return getattr(settings, "RATINGS_VOTES_PER_MINUTE", 60)


def address_cap():
    """``(max new voters per address per story, start of the window)``, or None when off."""
    limit = getattr(settings, "RATINGS_VOTERS_PER_ADDRESS", 300)
    if limit <= 0:
        return None
    hours = getattr(settings, "RATINGS_ADDRESS_WINDOW_HOURS", 24)
    return limit, timezone.now() - timedelta(hours=hours)


def over_rate_limit(address_hash):
    """Count one vote attempt for this address; True once it is over the per-minute limit.

    Uses Django's cache (Redis in production, shared by all workers). If the cache is down,
    hung or skipped by its circuit breaker, the limit is not enforced (it fails open, at once):
    a speed limit is worth less than the votes of every reader during an outage, and the
    per-story cap per address, kept in the database, still holds.
    """
    limit = votes_per_minute()
    if limit <= 0:
        return False
    window = int(timezone.now().timestamp() // 60)
    key = f"ratings:rate:{address_hash}:{window}"
    attempts = _count_attempt(key)
    return attempts is not None and attempts > limit


def _count_attempt(key):
    """Add one to the counter at ``key`` (kept two minutes); its new value, or None."""
    # caches["default"], not the ``cache`` proxy: isinstance() sees the proxy's own class,
    # so checking ``cache`` sent every vote down the two-call path below.
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # One round trip, behind the cache's circuit breaker (None while Redis is out).
        try:
            return backend.count(key, 120)
        except RedisError:
            return None  # as django-redis' IGNORE_EXCEPTIONS would
    # Other caches (local memory in development): two calls.
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=120)
        return 1
