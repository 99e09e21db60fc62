"""``/healthz`` for load balancers: is this app server able to serve?

It checks the two things a page needs: the database answers a query, and the cache
takes and returns a value. 200 with ``{"status": "ok", ...}`` when both work, 503 naming
the part that failed otherwise. Never cached, never redirected to HTTPS
(``SECURE_REDIRECT_EXEMPT``), and it does not touch the session.
"""

import logging
import secrets

from django.core.cache import cache
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
    key, value = "healthz:probe", secrets.token_hex(8)
    try:
        cache.set(key, value, 10)
        return cache.get(key) == value
    except Exception:
        logger.warning("Health check: the cache did not answer", exc_info=True)
        return False


@never_cache
@require_safe
def healthz(request):
    checks = {"database": database_ok(), "cache": cache_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{part: "ok" if fine else "unreachable" for part, fine in checks.items()},
    }
    if not healthy:
        body["failed"] = [part for part, fine in checks.items() if not fine]
    return JsonResponse(body, status=200 if healthy else 503)
