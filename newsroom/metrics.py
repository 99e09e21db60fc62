"""Prometheus metrics: the series, how apps add theirs, and the ``/metrics`` endpoint.

The mechanism (this module) owns the series every request and every cached page feeds:

- ``newsroom_request_duration_seconds`` (histogram; ``view``, ``method``, ``status``): time
  from the first middleware to the response, per URL name (``MetricsMiddleware``);
- ``newsroom_page_cache_requests_total`` (counter; ``result``): public pages served from the
  worker's own copy (``local``), from Redis (``hit``), an outdated copy while another request
  re-renders it (``stale``), or rendered (``miss``) (``newsroom.pagecache``);
- ``newsroom_queue_depth`` and ``newsroom_queue_oldest_task_age_seconds`` (gauges; ``queue``),
  read from the broker at each scrape with short timeouts behind a circuit breaker, and
  ``newsroom_broker_up`` (``QueueCollector``); the age comes from the time each task was sent
  (a header ``newsroom.signal_handlers`` adds), readable on the Redis broker only;
- ``newsroom_task_wait_seconds`` (histogram; ``queue``): from a task's sending to its start.

Apps add their own with ``counter()`` and ``histogram()`` (ratings counts votes; articles
measures the time from a save to its related list; newsletters counts copies by outcome)
from the receivers they connect; this package imports no app.

gunicorn runs several worker processes and Celery several children, so the values are kept
in prometheus-client's multiprocess mode when ``PROMETHEUS_MULTIPROC_DIR`` is set (the
image sets it): each process writes its own file there and a scrape adds them up.
gunicorn's configuration empties the folder at start and drops a dead worker's gauges; each
process tree (a web container, a worker container) needs a folder of its own. Without it
(development, tests) the values live in this process.

``/metrics`` is not public: it answers only clients in ``METRICS_ALLOWED_ADDRESSES``
(networks; the client address as ``newsroom.addresses`` works it out) or requests carrying
``Authorization: Bearer <METRICS_TOKEN>``, and 404 to everyone else. A worker can serve
its own on ``WORKER_METRICS_PORT`` (``serve_worker_metrics``), for its tasks' series.
"""

import hmac
import json
import logging
import os
import shutil
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache

from . import breaker as breakers
from .addresses import client_address, in_networks

MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if MULTIPROCESS_DIR:
    # prometheus-client writes a file there as soon as a series is made (just below).
    os.makedirs(MULTIPROCESS_DIR, exist_ok=True)

from prometheus_client import (  # noqa: E402 - after the folder exists
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily  # noqa: E402

logger = logging.getLogger(__name__)

# Page and vote latencies sit between a millisecond and a second; the tail to 10 s.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10)
# Background work: from a fraction of a second to the visibility timeout.
WAIT_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600)

_series = {}
_series_lock = threading.Lock()


def _made(kind, name, documentation, labelnames, **options):
    with _series_lock:
        found = _series.get(name)
        if found is None:
            found = _series[name] = kind(name, documentation, labelnames, **options)
        return found


def counter(name, documentation, labelnames=()):
    """The process's counter ``name``, made on first use (an app's ``ready()`` may call twice)."""
    return _made(Counter, name, documentation, tuple(labelnames))


def histogram(name, documentation, labelnames=(), buckets=LATENCY_BUCKETS):
    """The process's histogram ``name``, made on first use."""
    return _made(Histogram, name, documentation, tuple(labelnames), buckets=buckets)


REQUEST_SECONDS = histogram(
    "newsroom_request_duration_seconds",
    "Time to answer a request, per URL name, method and status class.",
    ("view", "method", "status"),
)
PAGE_CACHE = counter(
    "newsroom_page_cache_requests_total",
    "Public pages by where they came from: local, hit, stale (served while re-rendered), miss.",
    ("result",),
)
TASK_WAIT_SECONDS = histogram(
    "newsroom_task_wait_seconds",
    "Time from a task's sending to its start in a worker, per queue.",
    ("queue",),
    buckets=WAIT_BUCKETS,
)


def page_cache(result):
    PAGE_CACHE.labels(result).inc()


# --------------------------------------------------------------------------- requests


class MetricsMiddleware:
    """Times every request into ``newsroom_request_duration_seconds`` (first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # The URL's name, never its path: one series per view, not one per story.
        view = (match.view_name or "unnamed") if match else "unmatched"
        method = request.method if request.method in _METHODS else "other"
        status = f"{response.status_code // 100}xx"
        REQUEST_SECONDS.labels(view, method, status).observe(time.perf_counter() - started)
        return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


# --------------------------------------------------------------------------- the broker

# kombu's Redis transport keeps a queue in a list of that name, one more per priority step
# ("<queue>\x06\x16<step>"); new messages are pushed on the left, workers take from the right.
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (0, 3, 6, 9)
BROKER_TIMEOUT = 0.5
SENT_AT_HEADER = "newsroom_sent_at"


def sent_at(task_request):
    """When the task being run was sent (a float of seconds), or None if it does not say."""
    value = getattr(task_request, SENT_AT_HEADER, None)
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def queues():
    """The queues tasks go to: the default one and every one a route names."""
    names = {settings.CELERY_TASK_DEFAULT_QUEUE}
    for route in getattr(settings, "CELERY_TASK_ROUTES", {}).values():
        if isinstance(route, dict) and route.get("queue"):
            names.add(route["queue"])
    return sorted(names)


def _sent_at(raw):
    """The time a task was sent, from one message as kombu stores it in Redis; None if unknown."""
    try:
        return float(json.loads(raw)["headers"][SENT_AT_HEADER])
    except (KeyError, TypeError, ValueError):
        return None


def read_redis_queues(url, names, now=None):
    """``{queue: (depth, oldest age in seconds or None)}`` from a Redis broker."""
    import redis

    now = time.time() if now is None else now
    client = redis.Redis.from_url(
        url, socket_timeout=BROKER_TIMEOUT, socket_connect_timeout=BROKER_TIMEOUT
    )
    try:
        found = {}
        for name in names:
            keys = [name] + [f"{name}{_PRIORITY_SEPARATOR}{step}" for step in _PRIORITY_STEPS[1:]]
            with client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.llen(key)
                    pipe.lindex(key, -1)
                answers = pipe.execute()
            depth = sum(answers[0::2])
            times = [t for t in (_sent_at(raw) for raw in answers[1::2] if raw) if t]
            found[name] = (depth, max(0.0, now - min(times)) if times else None)
        return found
    finally:
        client.close()


def read_amqp_queues(url, names):
    """``{queue: (depth, None)}`` from RabbitMQ (an age cannot be read without taking a task)."""
    from kombu import Connection

    found = {}
    with Connection(url, connect_timeout=BROKER_TIMEOUT, transport_options={"max_retries": 0}) as c:
        channel = c.default_channel
        for name in names:
            try:
                _, depth, _ = channel.queue_declare(queue=name, passive=True)
            except Exception:  # noqa: BLE001 - a queue not declared yet holds nothing
                channel = c.channel()
                depth = 0
            found[name] = (depth, None)
    return found


def read_queues():
    """Depth and oldest age per queue, or None without a broker (tasks run in-process)."""
    url = settings.CELERY_BROKER_URL
    scheme = urlsplit(url).scheme
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or scheme == "memory":
        return None
    if scheme in ("redis", "rediss"):
        return read_redis_queues(url, queues())
    if scheme in ("amqp", "amqps", "pyamqp"):
        return read_amqp_queues(url, queues())
    return None


class QueueCollector:
    """The broker's queues, read when Prometheus scrapes (never on a request's path)."""

    def collect(self):
        up = GaugeMetricFamily("newsroom_broker_up", "1 when the broker answered this scrape.")
        depth = GaugeMetricFamily(
            "newsroom_queue_depth", "Tasks waiting in each queue.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "newsroom_queue_oldest_task_age_seconds",
            "Age of the oldest task waiting in each queue (0 when empty; Redis broker only).",
            labels=["queue"],
        )
        guard = breakers.breaker("broker (metrics)", settings.BROKER_BREAKER_SECONDS)
        found = None
        if guard.allow():
            try:
                found = read_queues()
                guard.succeeded()
            except Exception as error:  # noqa: BLE001 - any broker failure is "down"
                guard.failed()
                logger.warning("Metrics: the broker did not answer: %s", error)
                found = False
        if found is None:  # no broker configured: nothing to report
            return
        up.add_metric([], 1 if found else 0)
        yield up
        for name, (count, oldest) in sorted((found or {}).items()):
            depth.add_metric([name], count)
            if oldest is not None or count == 0:
                age.add_metric([name], oldest or 0.0)
        yield depth
        yield age


_live = CollectorRegistry(auto_describe=False)
_live.register(QueueCollector())


# --------------------------------------------------------------------------- the endpoint


def _allowed(request):
    token = getattr(settings, "METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if (
        token
        and given.startswith("Bearer ")
        and hmac.compare_digest(given.removeprefix("Bearer ").strip().encode(), token.encode())
    ):
        return True
    allowed = tuple(getattr(settings, "METRICS_ALLOWED_ADDRESSES", ()))
    return in_networks(client_address(request), allowed)


def exposition():
    """Every series of this server (all its processes), then the broker's, as text."""
    if MULTIPROCESS_DIR:
        gathered = CollectorRegistry()
        multiprocess.MultiProcessCollector(gathered)
    else:
        gathered = REGISTRY
    return generate_latest(gathered) + generate_latest(_live)


@never_cache
def metrics_view(request):
    if not _allowed(request):
        raise Http404  # the same answer as any address that does not exist
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


# --------------------------------------------------------------------------- processes


def clear_multiprocess_dir():
    """Empty the folder at a server's start: the files of processes gone before are stale."""
    if MULTIPROCESS_DIR and os.path.isdir(MULTIPROCESS_DIR):
        for entry in os.scandir(MULTIPROCESS_DIR):
            if entry.is_file():
                os.unlink(entry.path)
            else:
                shutil.rmtree(entry.path, ignore_errors=True)


def process_gone(pid):
    """A worker process exited: its live gauges no longer count (counters are kept)."""
    if MULTIPROCESS_DIR:
        multiprocess.mark_process_dead(pid)


def serve_worker_metrics(port, address="0.0.0.0"):  # noqa: S104 - inside its container
    """Serve this Celery worker's series (all its children) on ``port``, for Prometheus."""
    from prometheus_client import start_http_server

    registry = CollectorRegistry()
    if MULTIPROCESS_DIR:
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    start_http_server(port, addr=address, registry=registry)
