"""Speed limits on sign-ups: per client address and per email address, counted in Redis.

A flood of sign-ups from one network (a script) or for one address (someone made to receive
confirmation mail they never asked for) is refused with 429 before anything is stored. Both
are counted per hour. Like the ratings' speed limit, the counters live in Django's cache
(Redis in production, shared by every app server) and the limit fails open while the cache
is down: refusing every reader's sign-up during an outage would be worse than a flood, which
the per-email limit of the confirmation mails' own queue still bounds.

Neither the client address nor the email is written into a key: both go through the keyed
hash of ``newsroom.addresses`` (nothing about a subscriber in Redis in clear).
"""

from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

from newsroom import addresses
from newsroom.cache import RedisCache

WINDOW_SECONDS = 60 * 60
ADDRESS_PURPOSE = "newsletters.signup-address"
EMAIL_PURPOSE = "newsletters.signup-email"


def over_address_limit(client_address):
    """Count one sign-up attempt from this network address; True once over the hourly limit."""
    limit = settings.NEWSLETTER_SIGNUPS_PER_ADDRESS
    hashed = addresses.address_hash(client_address, ADDRESS_PURPOSE)
    return _over(f"newsletters:signup:address:{hashed}", limit)


def over_email_limit(email):
    """Count one sign-up for this email address; True once over the hourly limit."""
    limit = settings.NEWSLETTER_SIGNUPS_PER_EMAIL
    hashed = salted_hmac(EMAIL_PURPOSE, email.strip().lower(), algorithm="sha256").hexdigest()
    return _over(f"newsletters:signup:email:{hashed}", limit)


def _over(prefix, limit):
    if limit <= 0:
        return False
    window = int(timezone.now().timestamp() // WINDOW_SECONDS)
    attempts = _count(f"{prefix}:{window}")
    return attempts is not None and attempts > limit


def _count(key):
    """Add one to the counter at ``key``; its new value, or None when the cache is out."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        try:  # one round trip, behind the cache's circuit breaker and its short timeouts
            return backend.count(key, WINDOW_SECONDS * 2)
        except RedisError:
            return None
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)  # local memory (development, tests)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        return 1
