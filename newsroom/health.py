"""``/healthz`` for load balancers: is this app server able to serve?

Only the database decides: without it nothing is served, so 503 naming it. The cache
(Redis) is checked and reported, but a cache outage answers 200 with
``{"status": "degraded", "cache": "unreachable"}``: pages are then rendered fresh and votes
still count, and since every app server shares the one Redis, a 503 would take all of them
out of the load balancer at once for an outage that only makes the site slower. Alert on
"degraded" from monitoring instead. The status is also in the ``X-Health-Status`` header
(``ok``, ``degraded``, ``unavailable``), for balancers that match headers but not bodies.

``/healthz?strict=1`` answers 503 for any failed part, the cache included: for a check that
must know every dependency answers (a deploy's smoke test, monitoring), never for taking
servers out of rotation.

A hung cache does not make the check hang: while the cache's circuit breaker is open
(newsroom/cache.py) the cache is reported unreachable without asking Redis, and otherwise
the probe waits at most the cache's short socket timeouts. Never cached, never redirected
to HTTPS (``SECURE_REDIRECT_EXEMPT``), and it does not touch the session.
"""

import logging
import secrets

from django.core.cache import cache, caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("Health check: the database did not answer", exc_info=True)
        return False


def cache_ok():
    # django-redis ignores outages (IGNORE_EXCEPTIONS), so a failed write only shows as
    # the value not coming back.
    if getattr(caches["default"], "circuit_open", False):
        return False  # failed moments ago; asking again would only wait for the timeout
    key, value = "healthz:probe", secrets.token_hex(8)
    try:
        cache.set(key, value, 10)
        return cache.get(key) == value
    except Exception:
        logger.warning("Health check: the cache did not answer", exc_info=True)
        return False


# Parts without which this server cannot serve; the others only make it slower.
REQUIRED = ("database",)


@never_cache
@require_safe
def healthz(request):
    checks = {"database": database_ok(), "cache": cache_ok()}
    failed = [part for part, fine in checks.items() if not fine]
    serving = not any(part in REQUIRED for part in failed)
    if not failed:
        status = "ok"
    else:
        status = "degraded" if serving else "unavailable"
    body = {
        "status": status,
        **{part: "ok" if fine else "unreachable" for part, fine in checks.items()},
    }
    if failed:
        body["failed"] = failed
    strict = request.GET.get("strict") not in (None, "", "0")
    response = JsonResponse(body, status=503 if failed and (strict or not serving) else 200)
    response["X-Health-Status"] = status
    return response
