"""Live coverage at scale: many readers polling one live story while a reporter posts.

    .venv/bin/python bench/live.py            # see --help for the numbers of clients etc.

As in production: gunicorn with production settings (Redis cache, the page cache on),
nginx in front with the repository's configuration (``deploy/nginx/newsroom-locations.conf``,
its micro-cache included), PostgreSQL with a small demo site and its live story
(``manage.py load_live_demo``). Then, for ``--duration`` seconds:

- ``--clients`` readers (1,000) each ask the story's update endpoint every ``--poll`` seconds
  (15), each at its own phase (a crowd arriving over time), each request on a new connection;
- a reporter signed in to the admin posts an update every ``--post-every`` seconds (10)
  through the composer's endpoint, as its script does.

It prints one table: requests readers sent and the rate; requests that reached the app (read
from nginx's access log: the lines with an upstream address), overall and per second; the
latency at the readers (this script: p50, p99, max; on a shared machine its own event loop
adds to it) and at nginx (its ``$request_time``); and how long each update took to reach the
readers: per update and reader, from the moment the post was answered to the first answer
that listed it (max and p99), and the endpoint's own lag (the oldest answer, asked for after
a post was answered, that did not list it yet). Results also go to
bench/results/live-<UTC time>.json.
"""

import argparse
import asyncio
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import flush_redis, query, run, say, wait_for  # noqa: E402 - bench/load.py's helpers

from devtools import nginx  # noqa: E402 - the repository's root is added above
from devtools.cluster import (  # noqa: E402
    GUNICORN,
    Browser,
    fetch,
    form_fields,
    production_environment,
)

RESULTS = ROOT / "bench" / "results"
SLUG = "winter-storm-live-updates"  # demo/live_story.py


def prepare(env, name):
    from psycopg import sql

    if not query(env, "SELECT 1 FROM pg_database WHERE datname = %s", [name], "postgres"):
        say(f"Creating database {name}…")
        query(env, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)), (), "postgres")
    run("migrate", "--noinput", "-v0", env=env)
    if not query(env, "SELECT 1 FROM articles_article LIMIT 1"):
        say("Loading a small demo site…")
        run("load_demo", "--articles", "60", env=env)
    run("load_demo", "--articles", "0", env=env, quiet=True)  # the demo accounts' passwords
    run("load_live_demo", env=env, quiet=True)
    run("collectstatic", "--noinput", "-v0", env=env)


async def get(host, port, path):
    """One GET on a new connection: (status, headers text, body)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        body = _unchunk(body)
    return status, head.decode("latin-1"), body


def _unchunk(data):
    out = b""
    while data:
        size, _, rest = data.partition(b"\r\n")
        size = int(size.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return out


class Run:
    def __init__(self):
        self.latencies = []
        self.errors = 0
        self.posted = {}  # entry id -> monotonic time the post was answered
        self.first_seen = {}  # (client, entry id) -> monotonic time
        self.lag = {}  # entry id -> oldest request start after its post that did not list it
        self.sent = 0


async def reader_client(number, run, host, port, path, start, stop, poll):
    next_at = start + random.uniform(0, poll)
    while next_at < stop:
        await asyncio.sleep(max(0, next_at - time.monotonic()))
        sent = time.monotonic()
        run.sent += 1
        try:
            status, _head, body = await get(host, port, path)
        except OSError:
            run.errors += 1
            next_at += poll
            continue
        answered = time.monotonic()
        run.latencies.append(answered - sent)
        if status != 200:
            run.errors += 1
        else:
            listed = {entry["id"] for entry in json.loads(body)["entries"]}
            for entry_id in listed:
                run.first_seen.setdefault((number, entry_id), answered)
            for entry_id, posted in list(run.posted.items()):
                if entry_id not in listed and sent > posted:
                    run.lag[entry_id] = max(run.lag.get(entry_id, 0), sent - posted)
        next_at += poll


def reporter(run, base, stop, every, story_id):
    desk = Browser(base)
    desk.log_in("editor", "newsroom-demo")
    page = f"/admin/articles/article/{story_id}/change/"
    _status, _headers, html = desk.get(page)
    fields = form_fields(html, "live-composer")
    token = dict(fields)["csrfmiddlewaretoken"]
    number = 0
    next_at = time.monotonic() + 2
    while next_at < stop:
        time.sleep(max(0, next_at - time.monotonic()))
        number += 1
        # As the composer's script sends it: the form, answered in JSON with the entry's id.
        status, _headers, answer = fetch(
            f"{base}/admin/live/liveentry/story/{story_id}/post/",
            "POST",
            urlencode({"csrfmiddlewaretoken": token, "live-body": f"<p>Update {number}</p>"}),
            {
                "Cookie": "; ".join(f"{k}={v}" for k, v in desk.cookies.items()),
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        if status != 200:
            say(f"the reporter's post {number} got {status}: {answer[:300]}")
        else:
            run.posted[json.loads(answer)["id"]] = time.monotonic()
        next_at += every


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8190, help="gunicorn; nginx takes the next")
    parser.add_argument("--database", default="newsroom_live_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9", help="flushed first")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--poll", type=float, default=15.0, help="seconds between a reader's polls")
    parser.add_argument("--post-every", type=float, default=10.0)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: config)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-live-bench-"))
    env = production_environment(
        f"{args.pg}/{args.database}",
        workdir,
        REDIS_URL=args.redis,
        CACHE_KEY_PREFIX="live-bench",
        BIND=f"127.0.0.1:{args.port}",
        LOG_LEVEL="WARNING",
        CSRF_TRUSTED_ORIGINS="http://127.0.0.1",
    )
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    prepare(env, args.database)
    flush_redis(args.redis)
    story_id = query(env, "SELECT id FROM articles_article WHERE slug = %s", [SLUG])[0][0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()

    server = subprocess.Popen(GUNICORN, cwd=ROOT, env=env, start_new_session=True)
    proxy = None
    try:
        wait_for(f"http://127.0.0.1:{args.port}/healthz")
        folder = workdir / "nginx"
        command = nginx.prepare(folder, args.port + 1, [args.port], worker_connections=4096)
        proxy = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        base = f"http://127.0.0.1:{args.port + 1}"
        wait_for(f"{base}/healthz")
        path = f"/story/{SLUG}/live/updates/"
        say(
            f"{args.clients:,} readers polling {path} every {args.poll:g} s, an update every "
            f"{args.post_every:g} s, for {args.duration:g} s, through nginx at {base}…"
        )
        # A new worker's first render (imports, connections) is not what is measured: ask
        # each address once, as the first reader would, before the clock starts.
        for address in (f"/story/{SLUG}/", path):
            for _ in range(3):
                fetch(f"http://127.0.0.1:{args.port}{address}")
        log = folder / "access.log"  # fresh: this run's folder
        skip = len(log.read_text().splitlines()) if log.exists() else 0
        run = Run()
        start = time.monotonic()
        stop = start + args.duration
        desk = threading.Thread(
            target=reporter, args=(run, base, stop, args.post_every, story_id), daemon=True
        )
        desk.start()

        async def readers():
            await asyncio.gather(
                *(
                    reader_client(n, run, "127.0.0.1", args.port + 1, path, start, stop, args.poll)
                    for n in range(args.clients)
                )
            )

        asyncio.run(readers())
        desk.join(timeout=30)
        elapsed = time.monotonic() - start
        lines = [line for line in log.read_text().splitlines()[skip:] if line]
        # nginx's log format (devtools/nginx.py): "upstream=-" when nginx answered itself.
        endpoint = [line for line in lines if path in line]
        to_app = [line for line in endpoint if "upstream=-" not in line]
        all_to_app = [line for line in lines if "upstream=-" not in line]
    finally:
        for process in (proxy, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)

    nginx_times = [
        float(part.split("=", 1)[1])
        for line in endpoint
        for part in line.split()
        if part.startswith("time=")
    ]
    # Updates every reader had the time to see: posted a whole poll before the end.
    seen_by_all = [e for e, t in run.posted.items() if t < stop - args.poll - 5]
    delays = [
        run.first_seen[(n, e)] - run.posted[e]
        for e in seen_by_all
        for n in range(args.clients)
        if (n, e) in run.first_seen
    ]
    missed = sum(
        1 for e in seen_by_all for n in range(args.clients) if (n, e) not in run.first_seen
    )
    figures = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "clients": args.clients,
        "poll_seconds": args.poll,
        "post_every_seconds": args.post_every,
        "duration_seconds": round(elapsed, 1),
        "reader_requests": run.sent,
        "reader_requests_per_second": round(run.sent / elapsed, 1),
        "errors": run.errors,
        "endpoint_requests_to_app": len(to_app),
        "endpoint_to_app_per_second": round(len(to_app) / elapsed, 2),
        "all_requests_to_app_per_second": round(len(all_to_app) / elapsed, 2),
        # nginx's own time for each answer ($request_time, in its log): the server's side,
        # without this script's event loop, which shares the CPUs with everything else.
        "nginx_p50_ms": round(percentile(nginx_times, 0.50) * 1000, 1),
        "nginx_p99_ms": round(percentile(nginx_times, 0.99) * 1000, 1),
        "nginx_over_50_ms": sum(1 for t in nginx_times if t > 0.05),
        "p50_ms": round(percentile(run.latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(run.latencies, 0.99) * 1000, 1),
        "max_ms": round(max(run.latencies, default=0) * 1000, 1),
        "updates_posted": len(run.posted),
        "updates_checked": len(seen_by_all),
        "reader_update_pairs_missed": missed,
        "seen_within_max_s": round(max(delays, default=0), 1),
        "seen_within_p99_s": round(percentile(delays, 0.99), 1),
        "endpoint_lag_max_s": round(max(run.lag.values(), default=0), 1),
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"live-{stamp}.json").write_text(json.dumps(figures, indent=2) + "\n")
    f = figures
    rows = [
        ("readers polling", f"{args.clients:,} every {args.poll:g} s"),
        ("reporter", f"an update every {args.post_every:g} s ({len(run.posted)} posted)"),
        ("requests from readers", f"{run.sent:,} ({f['reader_requests_per_second']}/s)"),
        ("errors", str(run.errors)),
        ("endpoint requests to the app", f"{len(to_app)} ({f['endpoint_to_app_per_second']}/s)"),
        ("all requests reaching the app", f"{f['all_requests_to_app_per_second']}/s"),
        ("latency at readers: p50/p99/max", f"{f['p50_ms']} / {f['p99_ms']} / {f['max_ms']} ms"),
        ("latency at nginx: p50 / p99", f"{f['nginx_p50_ms']} / {f['nginx_p99_ms']} ms"),
        ("answers over 50 ms at nginx", f"{f['nginx_over_50_ms']} of {len(endpoint):,}"),
        ("update seen: max / p99", f"{f['seen_within_max_s']} / {f['seen_within_p99_s']} s"),
        ("reader-update pairs never seen", str(missed)),
        ("endpoint lag behind a post (max)", f"{f['endpoint_lag_max_s']} s"),
    ]  # fmt: skip
    width = max(len(name) for name, _ in rows)
    say(f"\nLive coverage, {figures['date']}, commit {commit}")
    for name, value in rows:
        say(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    main()
