"""Logs as JSON lines, each with the request id that follows a save from the click to the worker.

A request's id comes from the proxy in front (``X-Request-ID``: nginx sets it from its own
``$request_id``, deploy/nginx/newsroom-locations.conf), believed only from ``TRUSTED_PROXIES``
and only when it looks like an id; otherwise one is made up here. ``RequestIdMiddleware``
(first in MIDDLEWARE) keeps it for the request's time in a context variable, returns it in
the response's ``X-Request-ID`` header and writes one line per request (logger
``newsroom.logs``: method, path, view, status, milliseconds).

Every log line of the process carries the current id (``RequestIdFilter``, on the handler).
Tasks queued while a request is served take it along in a message header
(``newsroom.signal_handlers``: Celery's ``before_task_publish``), and the worker sets it
again around the task (``task_prerun``/``task_postrun``), so the worker's lines for that task
carry the id of the request that queued it.

``LOG_FORMAT``: ``json`` (the default in production and in the image) or ``text``.
``SENTRY_DSN``: when set and the Sentry SDK is installed (``pip install -e ".[sentry]"``, or
the image built with ``--build-arg EXTRAS="--extra sentry"``), errors also go to Sentry.
"""

import contextvars
import logging
import re
import secrets
import time

from .addresses import is_trusted_proxy

logger = logging.getLogger(__name__)

HEADER = "X-Request-ID"
_current = contextvars.ContextVar("newsroom_request_id", default=None)
# nginx's $request_id is 32 hex digits; other proxies send UUIDs or similar. Anything else
# (too long, spaces, quotes) is not written into logs as it is.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def current():
    """The id of the request (or task) this code runs for, or None."""
    return _current.get()


def new_id():
    return secrets.token_hex(16)


def begin(request_id):
    """Make ``request_id`` the current id; returns the token ``end()`` takes."""
    return _current.set(request_id)


def end(token):
    _current.reset(token)


def request_id_of(request):
    """The proxy's id when a proxy of ours sent a well-formed one, else a new one."""
    given = request.headers.get(HEADER, "")
    if given and _ACCEPTED.fullmatch(given) and is_trusted_proxy(request.META.get("REMOTE_ADDR")):
        return given
    return new_id()


class RequestIdMiddleware:
    """Sets the request's id, returns it in the response, logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        token = begin(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            match = getattr(request, "resolver_match", None)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            end(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (None outside a request or task)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True


class RefusalOnOneLine(logging.Filter):
    """A refused request (403) is one line, not a traceback: Django's request logger
    attaches the ``PermissionDenied`` it caught, which says nothing a reader of the log
    needs beyond the path already in the message."""

    def filter(self, record):
        if record.name == "django.request" and getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


def logging_config(level, log_format):
    """Django's LOGGING: one console handler, JSON lines or text, the request id on each."""
    if log_format not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT must be json or text, got {log_format!r}.")
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "newsroom.logs.RequestIdFilter"},
            "refusal_on_one_line": {"()": "newsroom.logs.RefusalOnOneLine"},
        },
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id", "refusal_on_one_line"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request is the access log at INFO; quieter levels leave it out.
            __name__: {"level": level},
            # Django's records go to the console above, once: its own console handler (on
            # while DEBUG) printed each of them a second time.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
        },
    }


def start_sentry(dsn, environment):
    """Send errors to Sentry when a DSN is set; a sentence in the log when the SDK is missing."""
    if not dsn:
        return False
    try:
        import sentry_sdk
    except ImportError:
        logger.warning(
            "SENTRY_DSN is set but the Sentry SDK is not installed "
            '(pip install -e ".[sentry]"): errors are only logged.'
        )
        return False
    sentry_sdk.init(dsn=dsn, environment=environment, send_default_pii=False)
    return True
