"""The Redis cache backend: django-redis with every operation degrading when Redis is down.

django-redis's ``IGNORE_EXCEPTIONS`` turns a Redis outage into cache misses, but only for
the operations it wraps: ``touch()`` (and a few others) still raise ``ConnectionError``,
which is how a wrong admin password once became a 500. Everything in the site that uses
the cache (page cache, sitemaps, navigation, vote speed limit, health check) goes through
Django's cache API, so this backend guards that whole API in one place: an unreachable
Redis is a miss, a write that did not happen, or a counter that does not count, never an
exception. Callers that must still hold a limit without Redis (the login throttle) do
not use the cache at all.

A hung Redis (it accepts connections and never answers) is worse than a stopped one: each
call waits its socket timeout, and a page makes several, so every page took seconds. Hence a
circuit breaker (newsroom/breaker.py) around the same API: after one failure this process
skips Redis for ``CACHE_BREAKER_SECONDS`` (every call answers its outage value at once), then
one call probes it. So a hung Redis costs each process one timeout per period, not one per
call.
"""

import functools
import logging

from django.conf import settings
from django.core.cache import caches
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .breaker import breaker

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError)


class CacheSkipped(RedisConnectionError):
    """Redis was not asked: its circuit breaker is open after a recent failure."""


def _degrades(on_outage):
    """Answer ``on_outage(*args, **kwargs)`` instead of raising when Redis is unreachable,
    and at once, without asking Redis, while its breaker is open."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return self._guarded(method, *args, **kwargs)
            except OUTAGE_ERRORS:
                if not self.degrades:
                    raise
                return on_outage(*args, **kwargs)

        return wrapper

    return decorator


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


class RedisCache(DjangoRedisCache):
    """Django's cache API on Redis; an outage is a miss, never an exception, and a quick one."""

    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        # This class degrades on outages itself (``IGNORE_EXCEPTIONS``), so django-redis must
        # let every error through: swallowed there, the breaker would never see a failure.
        self.degrades = options.get(
            "IGNORE_EXCEPTIONS", getattr(settings, "DJANGO_REDIS_IGNORE_EXCEPTIONS", False)
        )
        params = {**params, "OPTIONS": {**options, "IGNORE_EXCEPTIONS": False}}
        super().__init__(server, params)
        self.breaker = breaker(
            f"Redis cache {server}", getattr(settings, "CACHE_BREAKER_SECONDS", 10.0)
        )

    @property
    def circuit_open(self):
        """True while this process skips Redis after a failure (``/healthz`` reports it)."""
        return self.breaker.is_open

    def _guarded(self, method, *args, **kwargs):
        if not self.breaker.allow():
            raise CacheSkipped(f"skipped {method.__name__}(): the cache failed recently")
        try:
            result = method(self, *args, **kwargs)
        except OUTAGE_ERRORS:
            logger.warning("Cache unreachable during %s()", method.__name__, exc_info=True)
            self.breaker.failed()
            raise
        except Exception:
            self.breaker.succeeded()  # Redis answered, with an error of the caller's making
            raise
        self.breaker.succeeded()
        return result

    def count(self, key, timeout):
        """Add one to the counter at ``key`` (created with a life of ``timeout`` seconds) in
        one round trip; its new value, or None when Redis is unreachable or skipped."""
        try:
            return self._guarded(RedisCache._count, key, timeout)
        except OUTAGE_ERRORS:
            return None

    def _count(self, key, timeout):
        # INCR creates the counter, EXPIRE … NX gives it a life only once.
        full_key = self.make_and_validate_key(key)
        pipeline = self.client.get_client(write=True).pipeline(transaction=False)
        pipeline.incr(full_key)
        pipeline.expire(full_key, timeout, nx=True)
        return pipeline.execute()[0]

    @_degrades(lambda key, default=None, *args, **kwargs: default)
    def get(self, key, default=None, version=None, client=None):
        return super().get(key, default=default, version=version, client=client)

    @_degrades(lambda *args, **kwargs: {})
    def get_many(self, *args, **kwargs):
        return super().get_many(*args, **kwargs)

    @_degrades(_nothing)
    def set(self, *args, **kwargs):
        return super().set(*args, **kwargs)

    @_degrades(_nothing)  # as django-redis answers: neither "added" nor "taken"
    def add(self, *args, **kwargs):
        return super().add(*args, **kwargs)

    @_degrades(lambda data, *args, **kwargs: list(data))  # every key failed
    def set_many(self, data, *args, **kwargs):
        return super().set_many(data, *args, **kwargs)

    @_degrades(_false)
    def delete(self, *args, **kwargs):
        return super().delete(*args, **kwargs)

    @_degrades(_nothing)
    def delete_many(self, *args, **kwargs):
        return super().delete_many(*args, **kwargs)

    @_degrades(_nothing)  # a counter that did not count
    def incr(self, *args, **kwargs):
        return super().incr(*args, **kwargs)

    @_degrades(_nothing)
    def decr(self, *args, **kwargs):
        return super().decr(*args, **kwargs)

    @_degrades(_false)
    def touch(self, *args, **kwargs):
        return super().touch(*args, **kwargs)

    @_degrades(_false)
    def has_key(self, *args, **kwargs):
        return super().has_key(*args, **kwargs)

    @_degrades(_nothing)
    def clear(self, *args, **kwargs):
        return super().clear(*args, **kwargs)


# The rest of django-redis' API (versions, patterns, TTLs, sets, hashes, sorted sets): None on
# an outage, as django-redis itself answers with IGNORE_EXCEPTIONS, behind the same breaker.
_MORE = (
    "incr_version delete_pattern keys ttl pttl persist expire expire_at pexpire pexpire_at "
    "sadd scard sdiff sdiffstore sinter sinterstore sismember smembers smove spop srandmember "
    "srem sscan smismember sunion sunionstore hset hdel hlen hkeys hexists zadd zcard zcount "
    "zincrby zpopmax zpopmin zrange zrangebyscore zrank zrem zremrangebyscore zrevrange "
    "zrevrangebyscore zscore"
).split()
for _name in _MORE:
    if hasattr(DjangoRedisCache, _name):
        setattr(RedisCache, _name, _degrades(_nothing)(getattr(DjangoRedisCache, _name)))


def count(key, timeout, alias="default"):
    """Add one to the counter at ``key`` (kept ``timeout`` seconds); its new value, or None
    when the cache cannot say (Redis down or skipped: callers fail open).

    One round trip on Redis (``RedisCache.count``); two calls on other caches (local memory
    in development and tests).
    """
    backend = caches[alias]
    if isinstance(backend, RedisCache):
        try:
            return backend.count(key, timeout)
        except RedisError:
            return None
    backend.add(key, 0, timeout=timeout)
    try:
        return backend.incr(key)
    except ValueError:  # evicted between add() and incr()
        backend.set(key, 1, timeout=timeout)
        return 1
