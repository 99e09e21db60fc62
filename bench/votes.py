"""Votes per second through the real HTTP stack (gunicorn + PostgreSQL + Redis), then a check
that no vote was lost or doubled.

    .venv/bin/python bench/votes.py                      # defaults below
    .venv/bin/python bench/votes.py --readers 3000 --threads 32 --workers 4 --flow json

It creates the database ``newsroom_ratings_bench`` (dropped again at the end), starts gunicorn
on 127.0.0.1:8120, and simulates readers: each reader votes on a story, some change their
vote afterwards and some "double-click" (the same vote sent twice at once). Every reader comes
from its own address (X-Forwarded-For, with TRUSTED_PROXIES=127.0.0.1 as behind one proxy), so the
per-address limits stay at their production defaults. ``--flow form`` posts the plain form
(one request per vote); ``--flow json`` does what ratings.js does (GET the live summary for
the CSRF token, then POST with X-CSRFToken).
"""

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "newsroom_ratings_bench"
HOST, PORT = "127.0.0.1", 8120


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=20)
    parser.add_argument("--readers", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=24, help="concurrent load-client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--flow", choices=["form", "json"], default="form")
    parser.add_argument("--change-share", type=float, default=0.2, help="readers who revote")
    parser.add_argument("--double-share", type=float, default=0.1, help="readers who double-click")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2")
    return parser.parse_args()


def psql(sql):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql, "postgres"],
        check=True,
        capture_output=True,
    )


def server_env(args, prefix):
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": prefix,
        "TRUSTED_PROXIES": "127.0.0.1",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_stories(count):
    from tests.factories import ArticleFactory

    return [ArticleFactory().pk for _ in range(count)]


def wait_for_server(timeout=30):
    from devtools.cluster import wait_until_serving

    try:
        wait_until_serving(f"http://{HOST}:{PORT}/healthz", timeout)
    except AssertionError as exc:
        raise SystemExit(f"gunicorn did not answer: {exc}") from exc


class Reader:
    """One simulated browser: its cookies and its own address."""

    def __init__(self, n):
        self.address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        all_headers = {
            "X-Forwarded-For": self.address,
            "Origin": f"http://{HOST}:{PORT}",
            **(headers or {}),
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, payload, elapsed

    def vote(self, article_id, stars, flow):
        body = urlencode({"stars": stars})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if flow == "json":
            status, payload, _ = self.request("GET", f"/ratings/{article_id}/")
            if status != 200:
                return status, 0.0
            headers["Accept"] = "application/json"
            headers["X-CSRFToken"] = json.loads(payload)["csrf_token"]
        status, _, elapsed = self.request("POST", f"/ratings/{article_id}/vote/", body, headers)
        return status, elapsed


def double_click(reader, story, stars, flow):
    """The same vote sent twice at once by a browser that already has its voter cookie."""
    results = [None, None]

    def click(slot):
        results[slot] = reader.vote(story, stars, flow)

    threads = [threading.Thread(target=click, args=(slot,)) for slot in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def build_plan(args, story_ids):
    """Per reader: the story, the votes it sends in order, and whether it double-clicks."""
    rng = random.Random(args.seed)
    plan = []
    for n in range(args.readers):
        story = rng.choice(story_ids)
        votes = [rng.randint(1, 5)]
        if rng.random() < args.change_share:
            votes.append(rng.choice([s for s in range(1, 6) if s != votes[0]]))
        plan.append((n, story, votes, rng.random() < args.double_share))
    return plan


def run_load(args, plan):
    latencies, failures, sent = [], defaultdict(int), [0]
    lock = threading.Lock()
    work = iter(plan)

    def worker():
        while True:
            with lock:
                item = next(work, None)
            if item is None:
                return
            n, story, votes, double = item
            reader = Reader(n)
            for i, stars in enumerate(votes):
                results = [reader.vote(story, stars, args.flow)]
                if double and i == 0:
                    results += double_click(reader, story, stars, args.flow)
                with lock:
                    for status, elapsed in results:
                        sent[0] += 1
                        if status in (200, 303):
                            latencies.append(elapsed)
                        else:
                            failures[status] += 1

    threads = [threading.Thread(target=worker) for _ in range(args.threads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    done_before = 0
    while any(t.is_alive() for t in threads):
        time.sleep(2)
        with lock:
            done = sent[0]
        rate = (done - done_before) / 2
        done_before = done
        print(f"  … {done} votes sent ({rate:.0f}/s)", flush=True)
    elapsed = time.perf_counter() - started
    return sent[0], latencies, dict(failures), elapsed


def verify(plan, story_ids):
    """Compare the database with what the readers were told was recorded."""
    from django.db.models import Count, Q, Sum

    from ratings.models import RatingSummary, Vote

    expected = defaultdict(lambda: {"count": 0, "total": 0})
    for _, story, votes, _ in plan:
        expected[story]["count"] += 1
        expected[story]["total"] += votes[-1]
    problems = []
    for story in story_ids:
        fresh = Vote.objects.filter(article_id=story).aggregate(
            count=Count("pk"),
            total=Sum("stars", default=0),
            **{f"s{n}": Count("pk", filter=Q(stars=n)) for n in range(1, 6)},
        )
        kept = RatingSummary.objects.filter(article_id=story).first()
        kept_values = (
            (kept.vote_count, kept.vote_total, *(getattr(kept, f"stars_{n}") for n in range(1, 6)))
            if kept
            else (0, 0, 0, 0, 0, 0, 0)
        )
        fresh_values = (fresh["count"], fresh["total"], *(fresh[f"s{n}"] for n in range(1, 6)))
        if (fresh["count"], fresh["total"]) != (expected[story]["count"], expected[story]["total"]):
            problems.append(f"story {story}: votes {fresh} but readers sent {expected[story]}")
        if kept_values != fresh_values:
            problems.append(f"story {story}: summary {kept_values} != votes {fresh_values}")
    return problems, sum(e["count"] for e in expected.values())


def main():
    args = parse_args()
    prefix = f"ratings-bench-{uuid.uuid4().hex[:8]}"
    env = server_env(args, prefix)
    print(f"Creating database {DB_NAME}…", flush=True)
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    server = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        setup_django(env)
        story_ids = make_stories(args.stories)
        from django.db import connection

        connection.close()
        print(f"Starting gunicorn on {HOST}:{PORT} with {args.workers} workers…", flush=True)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi:application",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for_server()
        plan = build_plan(args, story_ids)
        print(f"Voting: {args.readers} readers, {args.threads} client threads, flow={args.flow}")
        sent, latencies, failures, elapsed = run_load(args, plan)
        problems, readers = verify(plan, story_ids)
        latencies.sort()

        def pct(p):
            return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

        rows = [
            ("flow", args.flow),
            ("gunicorn workers / client threads", f"{args.workers} / {args.threads}"),
            ("stories", args.stories),
            ("readers (distinct voters)", readers),
            ("vote requests sent", sent),
            ("  of which changes + double clicks", sent - readers),
            ("failed requests", failures or 0),
            ("elapsed (s)", f"{elapsed:.1f}"),
            ("votes per second", f"{sent / elapsed:.0f}"),
            ("latency p50 / p95 / max (ms)", f"{pct(0.5):.0f} / {pct(0.95):.0f} / {pct(1):.0f}"),
            ("votes lost or doubled", len(problems)),
        ]
        width = max(len(k) for k, _ in rows)
        print()
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
        for problem in problems[:20]:
            print("PROBLEM:", problem)
        ok = not problems and not failures
        print("\nOK: every vote counted exactly once." if ok else "\nFAILED: see above.")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        try:
            from django.core.cache import cache
            from django.db import connection

            connection.close()
            cache.delete_pattern("*")  # only this run's key prefix
        except Exception as exc:  # noqa: BLE001 - clean-up must not hide the result
            print(f"(could not clean the bench's Redis keys: {exc})")
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        print(f"Dropped database {DB_NAME}.")


if __name__ == "__main__":
    sys.exit(main())
