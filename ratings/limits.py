"""Abuse limits on votes: a speed limit per client address, and a cap per address per story.

Clearing cookies makes a browser a new voter, so limits are keyed on the (hashed) client
address. Both are generous, because an office or a campus can share one address.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from redis.exceptions import RedisError


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

    Uses Django's cache (Redis in production, shared by all workers). If the cache is down
    the limit is not enforced: votes still work and the per-story cap still holds.
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
    if isinstance(caches["default"], RedisCache):
        # One round trip: INCR creates the counter, EXPIRE … NX gives it a life only once.
        try:
            pipeline = get_redis_connection("default").pipeline(transaction=False)
            pipeline.incr(cache.make_and_validate_key(key))
            pipeline.expire(cache.make_and_validate_key(key), 120, nx=True)
            return pipeline.execute()[0]
        except RedisError:
            return None  # as django-redis' IGNORE_EXCEPTIONS would
    # Other caches (local memory in development): two calls.
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=120)
        return 1
