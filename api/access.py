"""Who may read the API and how often: partners' keys, and limits per client or per key.

A middleware rather than DRF's authentication and throttles: the page cache
(``newsroom.pagecache``) serves a kept answer from its ``process_view``, before any view
runs, and that answer must still be counted and refused like one. This middleware decides
in its ``__call__``, which runs before every ``process_view``. The content is the same
for everyone (published stories only), so a key changes the limit, not the answer, and keyed
and anonymous reads share the cached copies.

- No key: at most ``API_ANONYMOUS_REQUESTS_PER_MINUTE`` per client address (hashed, as the
  votes' limit is; an IPv6 client counts by its /64).
- ``Authorization: Bearer <key>`` or ``X-Api-Key: <key>``: at most the key's own limit, or
  ``API_KEY_REQUESTS_PER_MINUTE``. An unknown or revoked key is a 401, never a silent
  fall-back to the anonymous limit (a partner whose key was revoked should find out).
- Over the limit: 429 with a sentence and ``Retry-After``.

Counts are kept in Redis (the default cache), one counter per minute. While Redis is down
or skipped by its circuit breaker the limits are not enforced (they fail open, at once): the
API stays up, slower, as the pages do.
"""

import json
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from newsroom.addresses import address_hash, client_address
from newsroom.cache import count

from .keys import find_key

API_PREFIX = "/api/"
WINDOW_SECONDS = 60


def presented_key(request):
    """The key the request carries (``Authorization: Bearer`` or ``X-Api-Key``), or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    value = request.headers.get("X-Api-Key", "").strip()
    return value or None


def refusal(status, sentence, **headers):
    response = HttpResponse(
        json.dumps({"detail": sentence}), status=status, content_type="application/json"
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    response["Cache-Control"] = "no-store"
    return response


def over_limit(who, limit):
    """Count one request for ``who`` in this minute; seconds to wait when over ``limit``."""
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    seen = count(f"api:rate:{who}:{window}", WINDOW_SECONDS * 2)
    if seen is None or seen <= limit:
        return None
    return max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)


class ApiAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        raw = presented_key(request)
        request.api_key = None
        if raw is not None:
            key = find_key(raw)
            if key is None:
                return refusal(
                    401,
                    _(
                        "This API key is unknown or has been revoked. Ask the newsroom's "
                        "editors for a new one, or read without a key at the public limit."
                    ),
                    WWW_Authenticate='Bearer realm="api"',
                )
            request.api_key = key
            who, limit = f"key:{key.pk}", key.limit_per_minute()
        else:
            limit = settings.API_ANONYMOUS_REQUESTS_PER_MINUTE
            # The hash is worked out only when there is a limit to count against.
            who = f"address:{address_hash(client_address(request), 'api')}" if limit > 0 else ""
        wait = over_limit(who, limit)
        if wait is not None:
            if raw is not None:
                sentence = _(
                    "This key has made more than %(limit)d requests this minute. Try again "
                    "in %(seconds)d seconds, or ask the newsroom for a higher limit."
                )
            else:
                sentence = _(
                    "This address has made more than %(limit)d requests this minute. Try "
                    "again in %(seconds)d seconds, or ask the newsroom for a partner key."
                )
            return refusal(429, sentence % {"limit": limit, "seconds": wait}, Retry_After=str(wait))
        return self.get_response(request)
