"""The Redis cache backend: django-redis with every operation degrading when Redis is down.

django-redis's ``IGNORE_EXCEPTIONS`` turns a Redis outage into cache misses, but only for
the operations it wraps: ``touch()`` (and a few others) still raise ``ConnectionError``,
which is how a wrong admin password once became a 500. Everything in the site that uses
the cache (page cache, sitemaps, navigation, vote speed limit, health check) goes through
Django's cache API, so this backend guards that whole API in one place: an unreachable
Redis is a miss, a write that did not happen, or a counter that does not count, never an
exception. Callers that must still hold a limit without Redis (the login throttle) do
not use the cache at all.
"""

import functools
import logging

from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError)


def _degrades(on_outage):
    """Answer ``on_outage(*args, **kwargs)`` instead of raising when Redis is unreachable."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except OUTAGE_ERRORS:
                if not self._ignore_exceptions:
                    raise
                logger.warning("Cache unreachable during %s()", method.__name__, exc_info=True)
                return on_outage(*args, **kwargs)

        return wrapper

    return decorator


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


class RedisCache(DjangoRedisCache):
    """Django's cache API on Redis; an outage is a miss, never an exception."""

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
