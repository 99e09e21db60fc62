"""Gunicorn settings for production: ``gunicorn -c newsroom/gunicorn.conf.py``.

Threaded workers: one process per CPU core plus one, four threads each. Threads overlap
the waits on PostgreSQL and Redis, and a threaded worker keeps idle keep-alive
connections (from the proxy, the CDN or a load generator) without tying up a thread, so
no request pays for a new TCP connection. Measured on the 2-core benchmark machine, this
served about twice the requests per second of the classic 2 × cores + 1 sync workers
(bench/load.py). Environment variables override: ``WEB_CONCURRENCY`` (processes),
``GUNICORN_THREADS`` (1 means sync workers), ``BIND`` or ``PORT``.
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is stuck: kill the worker and start a fresh one.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound. Not too often: cached
# pages go out by the thousand per second at peak, and at 5,000 every worker was restarting
# every few seconds in bench/load.py, each restart a burst of slow requests.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# Import the app once in the master: faster start, a broken setting fails before forking.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# Behind a proxy on the same host; set FORWARDED_ALLOW_IPS to the proxy's address otherwise.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
