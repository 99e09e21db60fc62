"""Gunicorn settings for production: ``gunicorn -c newsroom/gunicorn.conf.py``.

Sync workers, two processes per CPU core plus one, each serving one request at a time: a
vote or an uncached page spends a good part of its time waiting for PostgreSQL, and while
one worker waits another can use the core (with nginx answering the busy story, 64 voting
clients got 16 % of the ceiling with five workers on two cores against 12 % with three, and
uncached story pages p99 109 ms against 134 ms; bench/load.py, docs/benchmarks.md). Every
request then goes to whichever worker is free, first come first served, so no reader waits
behind a busy worker while another idles. Threaded workers with keep-alive were tried and
measured worse (bench/load.py): a keep-alive connection stays with the worker that accepted
it, and 16 connections landed 11/3/2 on three workers, so the busiest worker's readers
waited three times as long (story page p99 200+ ms against 66 ms with sync workers, at a
similar rate). Behind a proxy (nginx, a load balancer, the CDN) connections to the app are
short-lived anyway. Environment variables override: ``WEB_CONCURRENCY`` (processes),
``GUNICORN_THREADS`` (more than 1 means threaded workers), ``GUNICORN_KEEPALIVE``
(seconds, threaded workers only), ``BIND`` or ``PORT``.

It listens on 127.0.0.1 only, for nginx on the same machine: an app server reachable by
readers directly would skip the proxy's buffering and cache, and they could talk to it as
if they were the proxy. ``BIND=0.0.0.0:8000`` (or the address of a private interface)
opens it to a proxy on another machine, whose address then goes in ``TRUSTED_PROXIES``.
"""

import multiprocessing
import os

from newsroom.addresses import parse_networks

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is stuck: kill the worker and start a fresh one.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak cannot grow without bound. Not too often: cached
# pages go out by the thousand per second at peak, and at 5,000 every worker was restarting
# every few seconds in bench/load.py, each restart a burst of slow requests. A million is a
# few minutes of a worker's life at the benchmark's peak, hours on a normal day.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000000"))
max_requests_jitter = max_requests // 10
# Import the app once in the master: faster start, a broken setting fails before forking.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# gunicorn believes X-Forwarded-Proto (for wsgi.url_scheme) from the same proxies as Django
# does (TRUSTED_PROXIES, newsroom/addresses.py): none when it is empty. FORWARDED_ALLOW_IPS,
# gunicorn's own variable, still wins when set.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or ",".join(
    str(network) for network in parse_networks(os.environ.get("TRUSTED_PROXIES", "").split(","))
)


def post_worker_init(worker):
    """Warm the new worker (database connection, story-page queries) before it serves."""
    from newsroom.wsgi import warm_up_worker

    warm_up_worker()


def on_starting(server):
    """Empty PROMETHEUS_MULTIPROC_DIR: files left by a previous run's workers are stale."""
    from newsroom import metrics

    metrics.clear_multiprocess_dir()


def child_exit(server, worker):
    """A worker exited (recycled, killed): its live gauges stop counting (newsroom/metrics.py)."""
    from newsroom import metrics

    metrics.process_gone(worker.pid)
