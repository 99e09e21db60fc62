"""What the metrics and the request log cost each request, in one run.

    .venv/bin/python bench/observability.py [--requests 3000] [--rounds 5]

The smallest view (``/bench/hello/``, the ceiling of bench/load.py) goes through Django's
WSGI handler, in child processes so each variant starts alike: without the two new
middlewares (``newsroom.metrics.MetricsMiddleware`` and ``newsroom.logs.RequestIdMiddleware``);
with them but at ``LOG_LEVEL=WARNING`` (the latency histogram and the request id, no request
line); with them at INFO (one JSON line per request, written to /dev/null), values kept in
the process; and the same in prometheus-client's multiprocess mode
(``PROMETHEUS_MULTIPROC_DIR``, as gunicorn runs them). Rounds alternate the variants so
all see the same moments of a shared machine; the figure is the median microseconds per
request (CPU time of the child, so other work on a shared machine counts less) over the
rounds, and the difference to "without".
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEW = ("newsroom.metrics.MetricsMiddleware", "newsroom.logs.RequestIdMiddleware")
# name: (the two middlewares on, LOG_LEVEL, multiprocess mode)
VARIANTS = {
    "without": (False, "INFO", False),
    "with, no request line": (True, "WARNING", False),
    "with": (True, "INFO", False),
    "with, multiprocess": (True, "INFO", True),
}


def child(args):
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    if args.child == "without":
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m not in NEW]
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    handler = WSGIHandler()
    environ = (
        RequestFactory()
        .get("/bench/hello/", REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")
        .environ
    )

    def start_response(status, headers):
        assert status.startswith("200"), status

    for _ in range(200):  # warm up
        b"".join(handler(dict(environ), start_response))
    # CPU time of this process, not wall time: on a shared machine other work steals the
    # cores at random moments, which the wall clock counts and this does not.
    started = time.process_time()
    for _ in range(args.requests):
        b"".join(handler(dict(environ), start_response))
    print((time.process_time() - started) / args.requests * 1e6)


def run(variant, requests, folder):
    middlewares, level, multiprocess = VARIANTS[variant]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_BENCH": "true",
        "LOG_LEVEL": level,
        "LOG_FORMAT": "json",
        "DEBUG": "false",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    if multiprocess:
        env["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(dir=folder)
    name = "with" if middlewares else "without"
    result = subprocess.run(
        [sys.executable, __file__, "--child", name, "--requests", str(requests)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", choices=("with", "without"))
    args = parser.parse_args()
    if args.child:
        return child(args)
    figures = {variant: [] for variant in VARIANTS}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.rounds):
            for variant in VARIANTS:
                figures[variant].append(run(variant, args.requests, folder))
    base = statistics.median(figures["without"])
    print(f"{args.requests} requests of /bench/hello/ per round, {args.rounds} rounds, median")
    print(f"| {'middlewares':<22} | CPU µs per request | added | rounds (µs) |")
    print(f"| {'-' * 22} | ------------------ | ----- | ----------- |")
    for variant in VARIANTS:
        value = statistics.median(figures[variant])
        rounds = " ".join(f"{v:.0f}" for v in figures[variant])
        print(f"| {variant:<22} | {value:18.1f} | {value - base:+5.1f} | {rounds} |")


if __name__ == "__main__":
    main()
