"""In-process cost of an uncached story page, this code beside an older commit, in one run.

    .venv/bin/python bench/render.py --database newsroom_prod_bench --against 3fc49b2

Both versions render the same stories of the same PostgreSQL archive (``bench/load.py``
fills it) through Django's WSGI handler with production settings, every page for the first
time in its process (no page cache: no ``REDIS_URL``). The older commit is checked out with
``git worktree`` into a temporary folder and runs from there with this virtualenv. Rounds
alternate old, new, old, new… so both see the same moments of a shared machine; the figure
per round is the median milliseconds per page, and the ratio is old / new over the rounds.

``--profile`` prints a cProfile of the new code's renders instead.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(args):
    """Render ``args.stories`` stories (from ``args.offset``) here; print ms per page."""
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()
    with connection.cursor() as cursor:
        cursor.execute(
            # English stories: their addresses are /story/… in every commit compared.
            "SELECT slug FROM articles_article WHERE status IN ('published', 'scheduled') "
            "AND publish_at <= now() AND language = 'en' ORDER BY publish_at DESC, id DESC"
        )
        slugs = [row[0] for row in cursor.fetchall()]
    chosen = slugs[args.offset : args.offset + args.warm + args.stories]

    def render(slug):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": f"/story/{slug}/",
            "QUERY_STRING": "utm_source=bench",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        body = b"".join(handler(environ, lambda status, headers: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"/story/{slug}/ answered {statuses[0]}")
        return body

    for slug in chosen[: args.warm]:  # templates, connection, first-use caches
        render(slug)
    timings = []
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu_timings = []
    for slug in chosen[args.warm :]:
        start, cpu_start = time.perf_counter(), time.process_time()
        render(slug)
        timings.append((time.perf_counter() - start) * 1000)
        cpu_timings.append((time.process_time() - cpu_start) * 1000)
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(
            os.environ.get("PROFILE_FILTER", ""), 45
        )
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    print(
        "RENDER_JSON "
        + json.dumps(
            {
                "median_ms": statistics.median(timings),
                "median_cpu_ms": statistics.median(cpu_timings),
                "n": len(timings),
            }
        )
    )


STATIC_ROOT = Path(tempfile.gettempdir()) / "newsroom-render-static"


def environment(args, tree):
    # Imported here, not at the top: the child runs this file from the older commit's tree,
    # whose code must come first on its path (PYTHONPATH below).
    sys.path.insert(0, str(ROOT))
    from devtools.cluster import production_environment

    return production_environment(
        f"{args.pg}/{args.database}",
        STATIC_ROOT.parent,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(tree),
        STATIC_ROOT=str(STATIC_ROOT),
        REDIS_URL="",
    )


def run_child(tree, args, offset, profile=False):
    env = environment(args, tree)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--stories",
        str(args.stories),
        "--warm",
        str(args.warm),
        "--offset",
        str(offset),
    ]
    if profile:
        command.append("--profile")
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"render child in {tree} failed:\n{result.stdout}\n{result.stderr}")
    if profile:
        print(result.stdout)
    line = next(x for x in result.stdout.splitlines() if x.startswith("RENDER_JSON "))
    return json.loads(line.removeprefix("RENDER_JSON "))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="newsroom_prod_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument(
        "--against", default="3fc49b2", help="the older commit, or a folder holding its code"
    )
    parser.add_argument("--stories", type=int, default=200, help="pages per round")
    parser.add_argument("--warm", type=int, default=20, help="pages rendered before timing")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment(args, ROOT),
        check=True,
    )
    if args.profile:
        run_child(ROOT, args, 0, profile=True)
        return None

    # The older code: a folder holding it (``git archive <commit> | tar -x -C folder``), or
    # a commit, checked out with ``git worktree`` for the run and removed afterwards.
    given_tree = Path(args.against).is_dir()
    old_tree = (
        Path(args.against) if given_tree else Path(tempfile.mkdtemp(prefix="newsroom-render-old-"))
    )
    if not given_tree:
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old_tree), args.against],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    rows = []
    try:
        for number in range(args.rounds):
            # Each round renders stories neither version has rendered before in any round.
            offset = number * (args.stories + args.warm)
            old = run_child(old_tree, args, offset)
            new = run_child(ROOT, args, offset)
            rows.append(
                {
                    "old_ms": round(old["median_ms"], 2),
                    "new_ms": round(new["median_ms"], 2),
                    "old_cpu_ms": round(old["median_cpu_ms"], 2),
                    "new_cpu_ms": round(new["median_cpu_ms"], 2),
                }
            )
            print(
                f"round {number + 1}: old {old['median_ms']:.1f} ms "
                f"({old['median_cpu_ms']:.1f} ms CPU), new {new['median_ms']:.1f} ms "
                f"({new['median_cpu_ms']:.1f} ms CPU) per page",
                flush=True,
            )
    finally:
        if not given_tree:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT, check=False
            )
    ratios = [row["old_ms"] / row["new_ms"] for row in rows]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(
        f"\nuncached story page, median ms per page over {args.stories} pages a round "
        f"(old {args.against}, new {commit}, load average {os.getloadavg()[0]:.2f}):"
    )
    print(
        f"old {statistics.median(r['old_ms'] for r in rows):.1f} ms, "
        f"new {statistics.median(r['new_ms'] for r in rows):.1f} ms, "
        f"new is {statistics.median(ratios):.2f}x faster (median of rounds; "
        f"{min(ratios):.2f}-{max(ratios):.2f})"
    )
    cpu_ratios = [row["old_cpu_ms"] / row["new_cpu_ms"] for row in rows]
    print(
        f"CPU of the rendering process: old {statistics.median(r['old_cpu_ms'] for r in rows):.1f}"
        f" ms, new {statistics.median(r['new_cpu_ms'] for r in rows):.1f} ms, "
        f"{statistics.median(cpu_ratios):.2f}x ({min(cpu_ratios):.2f}-{max(cpu_ratios):.2f})"
    )
    return None


if __name__ == "__main__":
    main()
