"""Benchmark of related stories on PostgreSQL: the worker's rebuild and updates, the web side.

For each archive size it makes (or reuses) a database ``<prefix>_<size>`` filled by the demo
generator (``demo.generator.generate``), then, each step in a fresh process:

1. the full rebuild the worker runs (``rebuild_related --fresh``, which calls
   ``articles.related.worker.rebuild``): wall time and peak memory (max RSS) of the process;
2. a worker-like process: the index loaded from the database snapshot (timed), then 20
   published stories edited and saved and 5 new stories published, each save followed by
   ``articles.related.worker.refresh_story`` (timed): the work the related worker does when it
   picks up the queued task; then the page-time read (``related_for``): one query, timed;
3. a web worker: a real gunicorn sync worker with production settings (``DJANGO_ENV=production``,
   Redis cache, whitenoise) whose ``CELERY_BROKER_URL`` is a Redis database of the benchmark's
   own, with no Celery worker consuming it, so saves only queue their tasks. An editor logs in
   to the admin and saves 20 published stories through the change form; the worker's RSS is
   read from /proc before and after, and its /proc/PID/maps is checked for numpy and scipy
   (web processes must never load the related engine).

    .venv/bin/python bench/related.py                      # 1,000, 10,000 and 100,000
    .venv/bin/python bench/related.py --sizes 1000 10000   # a subset
    .venv/bin/python bench/related.py --drop               # drop the databases afterwards

PostgreSQL is reached at ``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432), Redis at
``--redis`` (default redis://127.0.0.1:6379/13), a database nothing else uses: it refuses to
start unless that database is empty, and deletes its own keys there before and after each
size. Other work on the machine slows the figures down: the load average and CPU times are
printed with them.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The tests' helpers (devtools/cluster.py): one copy of each for tests and benchmarks.
from devtools.cluster import GUNICORN, form_fields, libraries_mapped, rss_kib  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SEED = 2026
EDITOR = "related-bench-editor"
WEB_SAVES = 20


def database_url(prefix, size):
    return f"{PG}/{prefix}_{size // 1000}k"


def base_env(prefix, size, workdir, redis_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url(prefix, size),
        "MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        # Saves made by the steps only queue their tasks (nothing consumes this broker), so
        # the steps time the worker's part themselves instead of having it run on commit.
        "CELERY_BROKER_URL": redis_url,
    }


def run_step(step, env, size, extra=()):
    result = subprocess.run(
        [sys.executable, __file__, "--step", step, "--size", str(size), *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"Step {step!r} for {size:,} stories failed (output above).")
    return json.loads(result.stdout.strip().splitlines()[-1])


def create_database(prefix, size):
    import psycopg

    name = f"{prefix}_{size // 1000}k"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(prefix, size):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{prefix}_{size // 1000}k"')


# What the benchmark writes to Redis: the web worker's cache (CACHE_KEY_PREFIX) and Celery's
# broker lists and bookkeeping. Only these are deleted, in case another program shares the
# database number.
OWN_REDIS_KEYS = ("related-bench:*", "related", "default", "_kombu.*", "unacked*")


def empty_redis(url):
    import redis

    client = redis.Redis.from_url(url)
    for pattern in OWN_REDIS_KEYS:
        keys = list(client.scan_iter(match=pattern))
        if keys:
            client.delete(*keys)


def queued_tasks(url):
    """Messages waiting in the broker, by queue (Celery's Redis transport keeps lists)."""
    import redis

    client = redis.Redis.from_url(url)
    return {name: client.llen(name) for name in ("related", "default")}


def peak_mib():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- steps (in a child process)


def step_prepare(size, args):
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F

    from articles.models import Article
    from articles.search import update_search_vectors
    from demo.generator import generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if Article.objects.count() != size:
        Article.objects.all().delete()
        generate(seed=SEED, articles=size)
    generate_s = time.perf_counter() - started
    # The generator bulk-creates stories, so none has been through the worker: the first
    # rebuild would also compute every search vector (its catch-up for lost work). Do that
    # here, as a live archive would have done it save by save, so the rebuild timed is the
    # steady-state one an operator runs. (Saves left queued by an earlier run count too.)
    stale = Article.objects.exclude(derived_version=F("version"))
    ids = list(stale.values_list("pk", flat=True))
    for first in range(0, len(ids), 5000):
        update_search_vectors(ids[first : first + 5000])
    Article.objects.filter(pk__in=ids).update(derived_version=F("version"))
    # Planner statistics, as a live database has them: without, straight after the bulk
    # load, PostgreSQL estimated 94 published stories instead of 10,000 and planned the page
    # query as a scan of them all (155 ms instead of 15 ms at 10,000 stories, under load).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"generate_s": generate_s, "caught_up": len(ids)}


def step_rebuild(size, args):
    from io import StringIO

    from django.core.management import call_command

    started, cpu = time.perf_counter(), time.process_time()
    call_command("rebuild_related", "--fresh", stdout=StringIO())
    return {
        "rebuild_s": time.perf_counter() - started,
        # CPU time of this process (every thread): on a busy machine, the part of the wall
        # time that is the rebuild's own work rather than waiting for a core or the database.
        "rebuild_cpu_s": time.process_time() - cpu,
        "rebuild_peak_mib": peak_mib(),
    }


def edited_standfirst(text, n):
    """The standfirst with a marker that changes on every edit, without growing run after run."""
    return re.sub(r" \[bench edit \d+\]$", "", text or "") + f" [bench edit {n}]"


def step_update(size, args):
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import Length
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, RelatedArticle, RelatedIndexChunk
    from articles.related import index as index_module
    from articles.related.queries import related_for
    from articles.related.worker import refresh_story

    rng = random.Random(7)
    snapshot_bytes = RelatedIndexChunk.objects.aggregate(n=Sum(Length("data")))["n"] or 0
    # The worker loads the index when it starts (warm_related_index); this is that load.
    started = time.perf_counter()
    index_module.get_index()
    load_s = time.perf_counter() - started
    after_load_mib = peak_mib()

    ids = list(Article.objects.published().values_list("pk", flat=True))
    warm = Article.objects.get(pk=ids[0])
    warm.standfirst = edited_standfirst(warm.standfirst, rng.randrange(10**6))
    warm.save()
    refresh_story(warm.pk)  # warm-up: first use of the scoring code paths

    cpu_times = []

    def timed_refresh(pk):
        t, cpu = time.perf_counter(), time.process_time()
        did_work = refresh_story(pk)
        elapsed = time.perf_counter() - t
        cpu_times.append(time.process_time() - cpu)
        if not did_work:
            sys.exit(f"refresh_story({pk}) found nothing to do: was the save's task run already?")
        return elapsed

    edits = []
    for pk in rng.sample(ids[1:], 20):
        article = Article.objects.get(pk=pk)
        article.standfirst = edited_standfirst(article.standfirst, rng.randrange(10**6))
        article.save()  # commits; its task goes to the broker, which nothing consumes
        edits.append(timed_refresh(pk))
    publishes = []
    for source_pk in rng.sample(ids, 5):
        source = Article.objects.get(pk=source_pk)
        article = Article(
            headline=f"Follow-up: {source.headline}",
            standfirst=source.standfirst,
            body=source.body,
            section_id=source.section_id,
            status=Article.Status.PUBLISHED,
        )
        article.save()
        article.tags.set(list(source.tags.all()))
        article.save()  # the tags count too: the worker sees the story with them
        publishes.append(timed_refresh(article.pk))

    reads = []
    sample = [Article.objects.get(pk=pk) for pk in rng.sample(ids, 20)]
    with CaptureQueriesContext(connection) as queries:
        for article in sample:
            t = time.perf_counter()
            related_for(article)
            reads.append(time.perf_counter() - t)
    # Keep the archive at its size for the next run (the follow-ups leave every list they
    # entered through the same worker path).
    for pk in Article.objects.filter(headline__startswith="Follow-up: ").values_list(
        "pk", flat=True
    ):
        Article.objects.filter(pk=pk).delete()
        refresh_story(pk, deleted=True)
    updates = edits + publishes
    return {
        "index_load_s": load_s,
        "snapshot_mib": snapshot_bytes / 2**20,
        "worker_after_load_mib": after_load_mib,
        "update_median_ms": statistics.median(updates) * 1000,
        "update_max_ms": max(updates) * 1000,
        "update_cpu_median_ms": statistics.median(cpu_times) * 1000,
        "page_median_ms": statistics.median(reads) * 1000,
        "page_queries": len(queries) / len(sample),
        "stored_rows": RelatedArticle.objects.count(),
        "worker_peak_mib": peak_mib(),
    }


def step_editor(size, args):
    """An editor account for the web step, and the published stories it will save."""
    from django.contrib.auth import get_user_model

    from articles.models import Article

    user, _ = get_user_model().objects.get_or_create(username=EDITOR)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(os.environ["BENCH_EDITOR_PASSWORD"])
    user.save()
    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    saves = int(os.environ["BENCH_WEB_SAVES"])
    return {"story_ids": random.Random(11).sample(ids, saves + 1)}


STEPS = {
    "prepare": step_prepare,
    "rebuild": step_rebuild,
    "update": step_update,
    "editor": step_editor,
}


def child(step, size, args):
    import django

    django.setup()
    print(json.dumps(STEPS[step](size, args)))


# ---------------------------------------------------------------- the web worker


class Browser:
    """An editor's browser behind the TLS proxy: cookies, CSRF token, X-Forwarded-Proto."""

    def __init__(self, port):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies = {}

    def request(self, method, path, fields=None):
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(header).items():
                    self.cookies[key] = morsel.value
            return response.status, response.getheader("Location"), text
        finally:
            connection.close()

    def submit(self, path, form_id, changes=(), extra=()):
        """Load the form at ``path`` and post it back with ``changes`` applied."""
        status, _, page = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        changes = dict(changes)
        fields = [(k, changes.pop(k, v)) for k, v in form_fields(page, form_id)]
        fields += list(changes.items()) + list(extra)
        status, location, page = self.request("POST", path, fields)
        if status != 302:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
            raise RuntimeError(f"POST {path} answered {status}: {errors[:3] or page[:500]}")
        return location


def gunicorn_workers(master):
    with open(f"/proc/{master}/task/{master}/children") as children:
        return [int(pid) for pid in children.read().split()]


def wait_for(port, server, log, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"gunicorn did not answer on port {port} in {timeout} s:\n{log.read_text()[-3000:]}")


def measure_web(env, size, workdir, port, redis_url, saves):
    """RSS of one gunicorn sync worker before and after ``saves`` admin saves."""
    password = secrets.token_urlsafe(24)
    web_env = {
        **env,
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "related-bench",
        "STATIC_ROOT": str(workdir / "static"),
        "WEB_CONCURRENCY": "1",
        "BIND": f"127.0.0.1:{port}",
        # The editor's browser below plays the TLS proxy (X-Forwarded-Proto: https).
        "TRUSTED_PROXIES": "127.0.0.1",
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING",
        "BENCH_EDITOR_PASSWORD": password,
        "BENCH_WEB_SAVES": str(saves),
    }
    stories = run_step("editor", web_env, size)["story_ids"]
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=web_env,
        capture_output=True,
        text=True,
    )
    if collect.returncode:
        sys.exit(f"collectstatic failed:\n{collect.stdout}{collect.stderr}")
    empty_redis(redis_url)
    log = workdir / f"gunicorn-{size}.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            GUNICORN,
            cwd=ROOT,
            env=web_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(port, server, log)
        (worker,) = gunicorn_workers(server.pid)
        started_kib = rss_kib(worker)
        browser = Browser(port)
        browser.submit(
            "/admin/login/?next=/admin/",
            "login-form",
            {"username": EDITOR, "password": password},
        )
        change = "/admin/articles/article/{}/change/"
        browser.request("GET", change.format(stories[0]))  # the change form, once, unsaved
        if gunicorn_workers(server.pid) != [worker]:
            sys.exit("The gunicorn worker was replaced during the measurement.")
        before_kib = rss_kib(worker)
        trail = []  # RSS after each save
        times = []
        for pk in stories[1:]:
            path = change.format(pk)
            _, _, page = browser.request("GET", path)
            standfirst = dict(form_fields(page, "article_form")).get("standfirst", "")
            t = time.perf_counter()
            browser.submit(
                path,
                "article_form",
                {"standfirst": edited_standfirst(standfirst, random.randrange(10**6))},
                [("_continue", "Save and continue editing")],
            )
            times.append(time.perf_counter() - t)
            trail.append(rss_kib(worker) / 1024)
        if gunicorn_workers(server.pid) != [worker]:
            sys.exit("The gunicorn worker was replaced during the measurement.")
        after_kib = rss_kib(worker)
        mapped = libraries_mapped(worker)
        queued = queued_tasks(redis_url)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        empty_redis(redis_url)
    return {
        "web_started_mib": started_kib / 1024,
        "web_before_mib": before_kib / 1024,
        "web_after_first_mib": trail[0],
        "web_after_mib": after_kib / 1024,
        "web_trail_mib": trail,
        "web_saves": len(times),
        "web_save_median_ms": statistics.median(times) * 1000,
        "web_mapped": mapped,
        "web_queued": queued,
    }


# ---------------------------------------------------------------- the table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument(
        "--prefix", default=os.environ.get("BENCH_DB_PREFIX", "newsroom_related_bench")
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "related-bench"
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13"),
        help="A Redis database of the benchmark's own: broker and cache.",
    )
    parser.add_argument("--port", type=int, default=8471, help="Port of the web worker.")
    parser.add_argument("--drop", action="store_true", help="Drop the databases afterwards.")
    parser.add_argument(
        "--skip-rebuild",
        action="store_true",
        help="Reuse the lists and index of an earlier run (times updates and page reads only).",
    )
    parser.add_argument("--skip-web", action="store_true", help="Leave out the web worker.")
    parser.add_argument(
        "--web-saves",
        type=int,
        default=WEB_SAVES,
        help=f"Saves through the web worker ({WEB_SAVES}).",
    )
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child(args.step, args.size, args)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    import redis

    if redis.Redis.from_url(args.redis).dbsize():
        # The broker's key names ("related", "_kombu.binding.…") are the same for every
        # Newsroom: in a database another program uses, the benchmark would take its tasks.
        sys.exit(f"The Redis database {args.redis} is not empty: choose a free one with --redis.")
    rows = []
    for size in args.sizes:
        env = base_env(args.prefix, size, args.workdir, args.redis)
        print(f"{size:>7,} stories: preparing…", flush=True)
        create_database(args.prefix, size)
        empty_redis(args.redis)
        prepared = run_step("prepare", env, size)
        load = os.getloadavg()
        if args.skip_rebuild:
            rebuilt = {"rebuild_s": float("nan"), "rebuild_peak_mib": float("nan")}
        else:
            print(f"{size:>7,} stories: rebuilding (load {load[0]:.1f})…", flush=True)
            rebuilt = run_step("rebuild", env, size)
            print(f"{size:>7,} stories: rebuilt in {rebuilt['rebuild_s']:.1f} s", flush=True)
        print(f"{size:>7,} stories: updating…", flush=True)
        updated = run_step("update", env, size)
        empty_redis(args.redis)
        web = {}
        if not args.skip_web:
            print(f"{size:>7,} stories: saving through a web worker…", flush=True)
            web = measure_web(env, size, args.workdir, args.port, args.redis, args.web_saves)
        rows.append(
            {"size": size, "load": load, "load_after": os.getloadavg(), **prepared, **rebuilt}
            | updated
            | web
        )
        print(json.dumps(rows[-1]), flush=True)
        if args.drop:
            drop_database(args.prefix, size)
    print()
    header = (
        f"{'stories':>8} | {'rebuild (CPU)':>16} | {'peak RSS':>9} | {'index load':>10} | "
        f"{'update median (CPU)':>19} | {'update max':>10} | {'page read':>9} | "
        f"{'queries':>7} | {'load avg':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        peak = max(r["rebuild_peak_mib"], r["worker_peak_mib"])
        rebuild_cpu = r.get("rebuild_cpu_s", float("nan"))
        print(
            f"{r['size']:>8,} | {r['rebuild_s']:>6.1f}s ({rebuild_cpu:>5.1f}s) | "
            f"{peak:>5.0f} MiB | {r['index_load_s']:>9.2f}s | "
            f"{r['update_median_ms']:>7.0f} ms ({r['update_cpu_median_ms']:>4.0f} ms) | "
            f"{r['update_max_ms']:>7.0f} ms | {r['page_median_ms']:>6.1f} ms | "
            f"{r['page_queries']:>7.0f} | {r['load'][0]:>8.1f}"
        )
    if not args.skip_web:
        print(
            f"\n{'stories':>8} | {'web worker RSS: start':>21} | {'before saves':>12} | "
            f"{'after 1 save':>12} | {f'after {args.web_saves}':>9} | {'growth':>8} | "
            f"{'save':>7} | {'mapped':>6} | tasks queued"
        )
        for r in rows:
            growth = r["web_after_mib"] - r["web_before_mib"]
            print(
                f"{r['size']:>8,} | {r['web_started_mib']:>17.1f} MiB | "
                f"{r['web_before_mib']:>8.1f} MiB | {r['web_after_first_mib']:>8.1f} MiB | "
                f"{r['web_after_mib']:>5.1f} MiB | {growth:>+4.1f} MiB | "
                f"{r['web_save_median_ms']:>4.0f} ms | "
                f"{', '.join(r['web_mapped']) or 'none':>6} | "
                f"{r['web_queued']['related']} related, {r['web_queued']['default']} default"
            )
    print(
        "\nrebuild: `rebuild_related --fresh` wall time (what the worker's rebuild task runs), "
        "and the CPU\ntime of its process; peak RSS: the larger of the rebuild process and the "
        "worker-like process\nafter 25 updates; index load: the snapshot read from the database; "
        "update: worker.refresh_story()\nafter one story's save (20 edits + 5 new stories), wall "
        "and CPU time; page read: related_for(),\none query; load avg: 1-minute load when the "
        "rebuild started (2 cores shared with other work).\nWeb worker: one gunicorn sync worker, "
        f"production settings; {args.web_saves} saves through the admin change\nform (save: "
        "median of GET form + POST); mapped: numpy/scipy in its /proc/PID/maps (must be none);"
        "\ntasks queued: messages left in the broker, which nothing consumes here."
    )


if __name__ == "__main__":
    main()
