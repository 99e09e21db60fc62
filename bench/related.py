"""Benchmark of related stories on PostgreSQL: full rebuild, one-story update, memory.

For each archive size it makes (or reuses) a database ``<prefix>_<size>`` filled by the demo
generator (``articles.demo.generator.generate``), then, each step in a fresh process:

1. ``rebuild_related --fresh``: wall time and peak memory (max RSS) of the whole command;
2. one-story updates: 20 published stories edited and saved, then ``refresh_related`` timed
   (the work done after the save commits), plus 5 new stories published the same way;
3. the page-time read (``related_for``): one query, timed.

    .venv/bin/python bench/related.py                      # 1,000, 10,000 and 100,000
    .venv/bin/python bench/related.py --sizes 1000 10000   # a subset
    .venv/bin/python bench/related.py --drop               # drop the databases afterwards

PostgreSQL is reached at ``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432).
Other work on the machine slows the figures down: the load average is printed with them.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SEED = 2026


def database_url(prefix, size):
    return f"{PG}/{prefix}_{size // 1000}k"


def run_step(step, prefix, size, workdir):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(prefix, size),
        "MEDIA_ROOT": str(workdir / "media"),
        "RELATED_INDEX_PATH": str(workdir / f"index-{size}.npz"),
        "RELATED_REFRESH": "off",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    result = subprocess.run(
        [sys.executable, __file__, "--step", step, "--size", str(size)],
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


# ---------------------------------------------------------------- steps (in a child process)


def step_prepare(size):
    from django.core.management import call_command

    from articles.demo.generator import generate
    from articles.models import Article

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if Article.objects.count() != size:
        Article.objects.all().delete()
        generate(seed=SEED, articles=size)
    return {"generate_s": time.perf_counter() - started}


def step_rebuild(size):
    import resource
    from io import StringIO

    from django.core.management import call_command

    started = time.perf_counter()
    call_command("rebuild_related", "--fresh", stdout=StringIO())
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rebuild_s": elapsed, "rebuild_peak_mib": peak_kib / 1024}


def step_update(size):
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles import related
    from articles.models import Article, RelatedArticle

    rng = random.Random(7)
    started = time.perf_counter()
    related.get_index()
    load_s = time.perf_counter() - started
    related.refresh_related(Article.objects.published().first().pk)  # warm-up
    ids = list(Article.objects.published().values_list("pk", flat=True))
    edits = []
    for pk in rng.sample(ids, 20):
        article = Article.objects.get(pk=pk)
        article.standfirst = f"{article.standfirst} Officials gave an update on {rng.random()}."
        article.save()
        t = time.perf_counter()
        related.refresh_related(pk)
        edits.append(time.perf_counter() - t)
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
        t = time.perf_counter()
        related.refresh_related(article.pk)
        publishes.append(time.perf_counter() - t)
    reads = []
    sample = [Article.objects.get(pk=pk) for pk in rng.sample(ids, 20)]
    with CaptureQueriesContext(connection) as queries:
        for article in sample:
            t = time.perf_counter()
            related.related_for(article)
            reads.append(time.perf_counter() - t)
    Article.objects.filter(headline__startswith="Follow-up: ").delete()  # keep the archive size
    updates = edits + publishes
    return {
        "index_load_s": load_s,
        "update_median_ms": statistics.median(updates) * 1000,
        "update_max_ms": max(updates) * 1000,
        "page_median_ms": statistics.median(reads) * 1000,
        "page_queries": len(queries) / len(sample),
        "stored_rows": RelatedArticle.objects.count(),
        "peak_mib": __import__("resource").getrusage(0).ru_maxrss / 1024,
    }


STEPS = {"prepare": step_prepare, "rebuild": step_rebuild, "update": step_update}


def child(step, size):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(json.dumps(STEPS[step](size)))


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
    parser.add_argument("--drop", action="store_true", help="Drop the databases afterwards.")
    parser.add_argument(
        "--skip-rebuild",
        action="store_true",
        help="Reuse the lists and index of an earlier run (times updates and page reads only).",
    )
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child(args.step, args.size)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        print(f"{size:>7,} stories: preparing…", flush=True)
        create_database(args.prefix, size)
        prepared = run_step("prepare", args.prefix, size, args.workdir)
        load = os.getloadavg()[0]
        if args.skip_rebuild:
            rebuilt = {"rebuild_s": float("nan"), "rebuild_peak_mib": float("nan")}
        else:
            print(f"{size:>7,} stories: rebuilding…", flush=True)
            rebuilt = run_step("rebuild", args.prefix, size, args.workdir)
        print(f"{size:>7,} stories: updating…", flush=True)
        updated = run_step("update", args.prefix, size, args.workdir)
        rows.append({"size": size, "load": load, **prepared, **rebuilt, **updated})
        if args.drop:
            drop_database(args.prefix, size)
    print()
    header = (
        f"{'stories':>8} | {'rebuild':>8} | {'peak RSS':>9} | {'index load':>10} | "
        f"{'update median':>13} | {'update max':>10} | {'page read':>9} | {'queries':>7} | "
        f"{'load avg':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['size']:>8,} | {r['rebuild_s']:>7.1f}s | {r['rebuild_peak_mib']:>6.0f} MiB | "
            f"{r['index_load_s']:>9.2f}s | {r['update_median_ms']:>10.0f} ms | "
            f"{r['update_max_ms']:>7.0f} ms | {r['page_median_ms']:>6.1f} ms | "
            f"{r['page_queries']:>7.0f} | {r['load']:>8.1f}"
        )
    print(
        "\nrebuild: `rebuild_related --fresh` wall time; update: refresh_related() after one "
        "story's save\n(20 edits + 5 new stories); page read: related_for(), one query; "
        "load avg: 1-minute load\nwhen the rebuild started (2 cores shared with other work)."
    )


if __name__ == "__main__":
    main()
