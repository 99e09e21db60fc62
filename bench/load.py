"""Load benchmark: the production server under wrk, against PostgreSQL with demo content.

    .venv/bin/python bench/load.py            # see --help for ports, sizes and durations

In one run it prepares a PostgreSQL database with 10,000 demo stories (created if
missing, reused when already loaded), starts gunicorn with production settings (DEBUG
off, Redis cache, whitenoise) on 127.0.0.1 and, as in production, nginx in front of it with
the repository's configuration (``deploy/nginx/newsroom-locations.conf``, its page cache
included; ``--no-proxy`` measures gunicorn alone), and measures with wrk, every row
through the same front:

- the ceiling: a minimal Django view through the same middleware and server;
- the story page rendered fresh (a different story each request, with a query parameter
  that bypasses the page cache) and served from the page cache, in English and in French
  (``(fr)`` rows: the French site's story pages, under /fr/; when the database has fewer
  French stories than a fifth of ``--articles``, the newest English stories get a published
  French translation first, see ``ensure_french_stories``);
- the home page and a section page (served from the page cache, as readers get them);
- search, from the page cache and rendered fresh over a rotation of terms;
- the public API (``/api/v1/``): the story list as partners get it (from the page cache),
  and a story by id rendered fresh (a different story each request, a query parameter that
  bypasses the page cache), each beside its page's row;
- the vote endpoint (the plain form, a new reader each request), then checks that every
  vote answered with success is in the database exactly once and the summary matches;
- a busy story: 16 connections read one story while ``--busy-voters`` (64) clients vote on
  it (new readers, one request in five changing an earlier vote), then the same check. The
  readers offer the rate the ceiling reached in the same round (``--busy-read-rate``), as
  readers who arrive at their own pace; the voters send as fast as they are answered.

Other processes may share the CPU, so every row is measured in each of ``--rounds``
interleaved rounds: the figures shown are the row's best round, and its ratio to the
ceiling is the median over rounds of its rate divided by the ceiling's in the same round.
It prints requests per second, p50 and p99 latency and the ratio, and writes everything
(every round included) to bench/results/<UTC time>.json and latest.json for comparison.

It also reads, for every row, the CPU time gunicorn's workers and the bench database's
PostgreSQL backends used per request (``/proc``): what a page costs the machine whatever
else runs beside it. The ceiling's cost over a row's ("by CPU") is the share of the ceiling
the row would reach if the app and the database had the cores to themselves; on a shared,
busy machine it is the steadier figure.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools import nginx  # noqa: E402 - the repository's root is added above
from devtools.cluster import (  # noqa: E402
    GUNICORN,
    production_environment,
    wait_until_serving,
)

RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable

# wrk reports the run as JSON from its done() hook, so no text parsing is needed.
REPORT_LUA = """
done = function(summary, latency, requests)
  io.write("WRK_JSON ")
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
    .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
    .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %f}\\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""

# Each wrk thread walks its own slice of the story list, so no two requests share a page.
ROTATE_LUA = """
local paths = {%(paths)s}
local counter = 0
local offset = 0
local step = 1
local threads = {}
setup = function(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
init = function(args)
  step = %(threads)d
end
request = function()
  local path = paths[((offset + counter * step) %% #paths) + 1]
  counter = counter + 1
  return wrk.format("GET", path)
end
"""

# The plain (no-JavaScript) vote form: same-origin POST, 303 back to the story on success.
# No cookie is sent, so every request is a new reader and must add exactly one vote.
VOTE_LUA = """
local stars = 0
successes = 0
all_threads = {}
setup = function(thread)
  table.insert(all_threads, thread)
end
request = function()
  stars = (stars %% 5) + 1
  return wrk.format("POST", "%(path)s", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = "%(origin)s",
  }, "stars=" .. stars)
end
response = function(status, headers, body)
  if status == 303 or status == 200 then successes = successes + 1 end
end
"""

VOTE_DONE_LUA = """
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(all_threads) do total = total + thread:get("successes") end
  io.write("WRK_SUCCESSES " .. total .. "\\n")
end
"""

# The busy story's voters: distinct readers (no cookie: a new voter each time), and one
# request in five is a reader changing their vote (sending back a voter cookie this thread
# was given). Each thread counts the distinct voters whose votes were answered with success.
BUSY_VOTE_LUA = """
local stars = 0
local cookies = {}
local seen = {}
successes = 0
voters = 0
changes_sent = 0
all_threads = {}
setup = function(thread)
  table.insert(all_threads, thread)
end
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
request = function()
  stars = (stars %% 5) + 1
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = "%(origin)s",
  }
  if #cookies > 0 and math.random() < 0.2 then
    headers["Cookie"] = cookies[math.random(#cookies)]
    changes_sent = changes_sent + 1
  end
  return wrk.format("POST", "%(path)s", headers, "stars=" .. stars)
end
response = function(status, headers, body)
  if status == 303 or status == 200 then
    successes = successes + 1
    local cookie = headers["Set-Cookie"] or headers["set-cookie"]
    if cookie then
      local pair = cookie:match("^([^;]+)")
      local voter = pair:match("nr_voter=\\"?([0-9a-f%%-]+):")
      if voter and not seen[voter] then
        seen[voter] = true
        voters = voters + 1
        table.insert(cookies, pair)
      end
    end
  end
end
"""

BUSY_VOTE_DONE_LUA = """
done = function(summary, latency, requests)
  report(summary, latency, requests)
  local total, distinct, changes = 0, 0, 0
  for _, thread in ipairs(all_threads) do
    total = total + thread:get("successes")
    distinct = distinct + thread:get("voters")
    changes = changes + thread:get("changes_sent")
  end
  io.write("WRK_SUCCESSES " .. total .. "\\n")
  io.write("WRK_VOTERS " .. distinct .. "\\n")
  io.write("WRK_CHANGES " .. changes .. "\\n")
end
"""

# What readers of a Canadian outlet search for (the demo topics), plus a few misses.
SEARCH_TERMS = [
    "wildfire",
    "housing",
    "interest+rates",
    "bank+of+canada",
    "hockey",
    "election",
    "transit",
    "ottawa",
    "toronto",
    "vancouver",
    "climate",
    "budget",
    "hospital",
    "teachers+strike",
    "drought",
    "ferry",
    "tariffs",
    "pipeline",
    "immigration",
    "nunavut",
]


def say(message):
    print(message, flush=True)


def fail(message):
    say(f"bench/load.py: {message}")
    sys.exit(1)


def run(*args, env, quiet=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=quiet
    )
    if result.returncode != 0:
        if quiet:
            say(result.stdout + result.stderr)
        fail(f"'manage.py {' '.join(args)}' failed (exit {result.returncode}).")
    return result.stdout if quiet else ""


def query(env, statement, params=(), database=None):
    """Run one statement on the PostgreSQL server in DATABASE_URL; returns all rows."""
    import psycopg

    url = env["DATABASE_URL"]
    if database is not None:
        url = re.sub(r"/[^/]*$", f"/{database}", url)
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def count(env, statement, params=()):
    return query(env, statement, params)[0][0] or 0


def prepare_database(env, name, articles):
    from psycopg import sql

    if not query(env, "SELECT 1 FROM pg_database WHERE datname = %s", [name], "postgres"):
        say(f"Creating database {name}…")
        query(env, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)), (), "postgres")
    say("Migrating…")
    run("migrate", "--noinput", "-v0", env=env)
    found = count(env, "SELECT count(*) FROM articles_article")
    if found != articles:
        say(f"Loading {articles:,} demo stories (found {found:,})…")
        run("load_demo", "--articles", str(articles), "--reset", env=env)
    else:
        say(f"Reusing the {found:,} demo stories already in {name}.")
        if count(env, "SELECT count(*) FROM articles_article WHERE search_vector IS NULL"):
            say("Filling the search index…")
            run("rebuild_search_index", env=env)
    query(env, "VACUUM ANALYZE")  # fresh statistics, as autovacuum would have by now


# Until the demo generator writes French stories, the bench gives the newest English stories
# a published French translation with the same text (labelled French, so stemmed, indexed and
# rendered as French: the French page's machinery at the same text length is what is measured).
# Rows are written in bulk, like the demo's, then the search vectors and related lists are
# rebuilt.
FRENCH_PAIRS_PY = """
from django.db import transaction
from articles.models import Article, Byline, Section

wanted = %(count)d
originals = list(
    Article.objects.filter(language="en", status="published", translations__isnull=True)
    .order_by("-publish_at", "-id")[:wanted]
)
with transaction.atomic():
    french = {}
    for section in Section.objects.filter(language="en"):
        french[section.pk] = Section.objects.filter(
            language="fr", translation_of=section
        ).first() or Section.objects.create(
            language="fr", translation_of=section, slug=section.slug, name=section.name
        )
    made = Article.objects.bulk_create(
        [
            Article(
                headline=a.headline, standfirst=a.standfirst, body=a.body, slug=a.slug,
                section=french[a.section_id], lead_photo_id=a.lead_photo_id, language="fr",
                translation_of=a, translated_version=a.version, status=a.status,
                publish_at=a.publish_at,
            )
            for a in originals
        ],
        batch_size=500,
    )
    by_original = {a.translation_of_id: a.pk for a in made}
    Byline.objects.bulk_create(
        [
            Byline(article_id=by_original[b.article_id], author_id=b.author_id,
                   position=b.position)
            for b in Byline.objects.filter(article_id__in=list(by_original))
        ],
        batch_size=2000,
    )
print(len(made))
"""


def ensure_french_stories(env, articles):
    """At least a fifth of ``articles`` published French stories (see ``FRENCH_PAIRS_PY``)."""
    wanted = max(articles // 5, 1)
    found = count(
        env,
        "SELECT count(*) FROM articles_article WHERE language = 'fr' AND status = 'published'",
    )
    if found >= wanted:
        return
    say(f"Translating {wanted - found:,} stories into French (labelled French, same text)…")
    run("shell", "-c", FRENCH_PAIRS_PY % {"count": wanted - found}, env=env, quiet=True)
    run("rebuild_search_index", env=env)
    run("rebuild_related", "--fresh", env=env)
    query(env, "VACUUM ANALYZE")


def flush_redis(url):
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()  # only this benchmark's own database number


def wait_for(url, timeout=30):
    try:
        wait_until_serving(url, timeout)
    except AssertionError as exc:
        fail(f"{exc} (see the gunicorn log above).")


def status_of(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wrk(args, url, script_text, timeout):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(script_text)
    try:
        result = subprocess.run(
            [
                "wrk",
                f"-t{args.threads}",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                f"{timeout}s",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(script.name)
    if result.returncode != 0:
        fail(f"wrk failed: {result.stderr.strip() or result.stdout.strip()}")
    match = re.search(r"^WRK_JSON (.*)$", result.stdout, re.M)
    if not match:
        fail(f"could not read wrk's report:\n{result.stdout}")
    figures = json.loads(match.group(1))
    for name in ("successes", "voters", "changes"):
        found = re.search(rf"^WRK_{name.upper()} (\d+)$", result.stdout, re.M)
        if found:
            figures[name] = int(found.group(1))
    seconds = figures["duration_us"] / 1e6
    errors = sum(
        figures[k]
        for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return {
        "requests": figures["requests"],
        "rps": round(figures["requests"] / seconds, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p90_ms": round(figures["p90_us"] / 1000, 1),
        "p99_ms": round(figures["p99_us"] / 1000, 1),
        "max_ms": round(figures["max_us"] / 1000, 1),
        "errors": errors,
        "error_detail": {
            k: figures[k]
            for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
        },
        **{k: figures[k] for k in ("successes", "voters", "changes") if k in figures},
    }


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid):
    """User + system CPU seconds of one process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def server_cpu(env, server_pid, database):
    """``{pid: CPU seconds so far}`` of the app (gunicorn's workers) and of the PostgreSQL
    backends connected to the bench database: what a request costs the machine, whatever
    else runs beside it (the rates are not: other work on the shared cores takes CPU from
    them)."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    pids = [int(p) for p in children.read_text().split()] if children.exists() else []
    pids += [
        row[0]
        for row in query(
            env, "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database], "postgres"
        )
    ]
    return {pid: _cpu_seconds(pid) for pid in pids}


def cpu_used(before, after):
    """CPU seconds between two ``server_cpu()`` readings. A backend that started in between
    counts whole; one that ended in between (connections are renewed every minute) is left
    out from its last reading, so this errs low, never below zero."""
    return sum(max(seconds - before.get(pid, 0.0), 0.0) for pid, seconds in after.items())


def lua_list(paths):
    return ", ".join(json.dumps(p) for p in paths)


def vote_row(args, base, env, story):
    """Measure the vote endpoint, then compare successful answers with the rows written."""
    path = f"/ratings/{story['id']}/vote/"
    status, _ = status_of(base + path)
    if status == 404:
        return None, "skipped: no vote endpoint at /ratings/<id>/vote/ (ratings not merged yet)"
    votes = "SELECT count(*) FROM ratings_vote WHERE article_id = %s"
    before = count(env, votes, [story["id"]])
    script = REPORT_LUA.replace("done = function", "report = function") + (
        VOTE_LUA % {"path": path, "origin": args.origin}
    )
    script += VOTE_DONE_LUA.replace(
        "done = function(summary, latency, requests)",
        "done = function(summary, latency, requests)\n  report(summary, latency, requests)",
    )
    row = wrk(args, base + path, script, timeout=10)
    # wrk stops with up to one request per connection still in flight: let them finish
    # (their votes may commit although wrk never reads the answer), then read both numbers
    # in one statement.
    time.sleep(3)
    after, summary = query(
        env,
        "SELECT (SELECT count(*) FROM ratings_vote WHERE article_id = %(id)s), "
        "(SELECT vote_count FROM ratings_ratingsummary WHERE article_id = %(id)s)",
        {"id": story["id"]},
    )[0]
    written, answered = after - before, row.get("successes", 0)
    row.update(votes_answered_ok=answered, votes_written=written)
    row["summary_matches_votes"] = summary == after
    cut_off = written - answered
    if summary == after and 0 <= cut_off <= args.connections:
        return row, (
            f"{answered:,} votes answered with success, {written:,} rows written "
            f"({cut_off} still in flight when wrk stopped, at most one per connection), "
            "summary equals the rows: none lost or doubled"
        )
    return row, (
        f"MISMATCH: {answered} successful answers, {written} rows written, "
        f"summary {summary} for {after} rows"
    )


def read_pace(args, ceiling_rps):
    """Milliseconds each reading connection waits between requests, or None for no wait.

    Readers arrive at their own pace, whatever the server does: with ``--busy-read-rate
    ceiling`` (the default) the 16 connections together offer as many requests a second
    as the ceiling answered in the same round, so the row asks whether the story is served
    at that rate while the votes go on. Unpaced (``open``), wrk reads as fast as the proxy
    answers (tens of thousands a second from nginx's cache) and takes the CPU the votes
    need: a measure of wrk, not of the site.
    """
    if args.busy_read_rate == "open":
        return None
    rate = ceiling_rps if args.busy_read_rate == "ceiling" else float(args.busy_read_rate)
    return max(1, int(args.connections * 1000 / rate))


def busy_story_round(args, base, env, story, ceiling_rps):
    """16 connections read one story while 64 clients vote on it; then check every vote.

    Returns ``(read figures, vote figures, note)``. The votes are checked as in
    ``vote_row``: the rows written equal the distinct voters answered with success (plus
    at most one unanswered new vote per connection, cut off when wrk stopped), and the
    summary's count and every star counter equal the vote rows.
    """
    import threading

    path = f"/ratings/{story['id']}/vote/"
    before = count(env, "SELECT count(*) FROM ratings_vote WHERE article_id = %s", [story["id"]])
    voters_args = argparse.Namespace(**{**vars(args), "connections": args.busy_voters})
    vote_script = REPORT_LUA.replace("done = function", "report = function") + (
        BUSY_VOTE_LUA % {"path": path, "origin": args.origin}
    )
    vote_script += BUSY_VOTE_DONE_LUA
    figures = {}

    def votes():
        figures["votes"] = wrk(voters_args, base + path, vote_script, timeout=10)

    voting = threading.Thread(target=votes)
    voting.start()
    time.sleep(0.2)  # the voters are already at it when the readers start
    pause = read_pace(args, ceiling_rps)
    pace_lua = f"delay = function() return {pause} end\n" if pause else ""
    figures["read"] = wrk(args, base + story["url"], pace_lua + REPORT_LUA, timeout=5)
    figures["read"]["offered_rps"] = round(args.connections * 1000 / pause) if pause else None
    voting.join()
    # Requests still in flight when wrk stopped may commit later: wait until the story's
    # votes stop changing, then read every number in one statement (one snapshot).
    numbers = None
    for _ in range(60):
        time.sleep(1)
        latest = query(
            env,
            "SELECT (SELECT count(*) FROM ratings_vote WHERE article_id = %(id)s), "
            "(SELECT vote_count FROM ratings_ratingsummary WHERE article_id = %(id)s), "
            "(SELECT array[stars_1, stars_2, stars_3, stars_4, stars_5] "
            " FROM ratings_ratingsummary WHERE article_id = %(id)s), "
            "array(SELECT count(*) FILTER (WHERE stars = n) FROM ratings_vote, "
            " generate_series(1, 5) AS n WHERE article_id = %(id)s GROUP BY n ORDER BY n)",
            {"id": story["id"]},
        )[0]
        if latest == numbers:
            break
        numbers = latest
    after, summary_count, distribution, by_stars = numbers
    vote = figures["votes"]
    written, voters = after - before, vote.get("voters", 0)
    consistent = summary_count == after and list(distribution) == list(by_stars)
    vote.update(votes_written=written, summary_matches_votes=consistent)
    cut_off = written - voters
    if consistent and 0 <= cut_off <= args.busy_voters:
        note = (
            f"{vote.get('successes', 0):,} votes answered with success from {voters:,} distinct "
            f"readers ({vote.get('changes', 0):,} change requests sent), {written:,} vote rows "
            f"written ({cut_off} cut off in flight), summary equals the rows star by star: "
            "none lost or doubled"
        )
    else:
        note = (
            f"MISMATCH: {voters} distinct voters answered, {written} rows written, summary "
            f"{summary_count} / {list(distribution)} for rows {by_stars}"
        )
    return figures["read"], vote, note


def start_proxy(workdir, port, app_port):
    """nginx on ``port`` in front of gunicorn, as in production; its process and URL."""
    try:
        command = nginx.prepare(workdir / "nginx", port, [app_port], access_log=False)
    except nginx.NginxRefused as exc:
        fail(f"nginx refuses the configuration:\n{exc}")
    say(f"Starting nginx on 127.0.0.1:{port} in front of it…")
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/healthz")
    return process, base


def nginx_version():
    found = subprocess.run(
        [nginx.binary(), "-v"], capture_output=True, text=True, check=False
    ).stderr
    return found.strip().rpartition("/")[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--port", type=int, default=8150, help="gunicorn's port; nginx takes the next one"
    )
    parser.add_argument(
        "--proxy",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="nginx in front with the repository's configuration, as in production "
        "(--no-proxy: wrk talks to gunicorn directly, as before)",
    )
    parser.add_argument("--database", default="newsroom_prod_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5", help="flushed first")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=8, help="seconds per row and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (best one is kept)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--busy-read-rate",
        default="ceiling",
        help="requests/s the busy story's readers offer: 'ceiling' (the round's ceiling "
        "rate, the default), 'open' (as fast as answered) or a number",
    )
    parser.add_argument(
        "--busy-voters", type=int, default=64, help="voting clients in the busy-story row"
    )
    parser.add_argument(
        "--only",
        default="",
        help="row names to run, separated by commas "
        "without a space ('ceiling,story, uncached,vote': row names have ', ' in them)",
    )
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: config)")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="JSON file (default: bench/results/<time>.json and latest.json)",
    )
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z0-9_]+", args.database):
        fail("--database must be lower-case letters, digits and underscores.")

    if not shutil.which("wrk"):
        fail("wrk is not installed: apt-get install wrk")
    if args.proxy and nginx.binary() is None:
        fail("nginx is not installed (apt-get install nginx), or run with --no-proxy.")

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    env = production_environment(
        f"{args.pg}/{args.database}",
        workdir,
        REDIS_URL=args.redis,
        CACHE_KEY_PREFIX="bench",
        NEWSROOM_BENCH="true",
        BIND=f"127.0.0.1:{args.port}",
        LOG_LEVEL="WARNING",
        # One client address sends every vote here: the per-address abuse limits would
        # (rightly) stop it, and they are not what is being measured.
        RATINGS_VOTES_PER_MINUTE="0",
        RATINGS_VOTERS_PER_ADDRESS="0",
        # The API's per-address limit (api/access.py) likewise.
        API_ANONYMOUS_REQUESTS_PER_MINUTE="0",
    )
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)

    prepare_database(env, args.database, args.articles)
    ensure_french_stories(env, args.articles)
    run("collectstatic", "--noinput", "-v0", env=env)
    flush_redis(args.redis)

    stories = query(
        env,
        "SELECT id, slug FROM articles_article WHERE status IN ('published', 'scheduled') "
        "AND publish_at <= now() AND language = 'en' ORDER BY publish_at DESC, id DESC",
    )
    french_stories = query(
        env,
        "SELECT id, slug FROM articles_article WHERE status IN ('published', 'scheduled') "
        "AND publish_at <= now() AND language = 'fr' ORDER BY publish_at DESC, id DESC",
    )
    if not stories:
        fail("no published stories in the database.")
    section = query(
        env,
        "SELECT s.slug FROM articles_section s JOIN articles_article a ON a.section_id = s.id "
        "WHERE s.language = 'en' GROUP BY s.slug ORDER BY count(*) DESC LIMIT 1",
    )[0][0]
    story = {"id": int(stories[0][0]), "url": f"/story/{stories[0][1]}/"}
    # The French catalogue's word for "story" in addresses (a 404 before the run says if the
    # catalogue changed it).
    french_story = {"url": f"/fr/article/{french_stories[0][1]}/"}
    busy = {"id": int(stories[1][0]), "url": f"/story/{stories[1][1]}/"}
    app = f"http://127.0.0.1:{args.port}"
    # The vote form's Origin must name the site as Django sees it: behind nginx the Host is
    # nginx's $host, without the port (production listens on 443).
    args.origin = "http://127.0.0.1" if args.proxy else app

    say(f"Starting gunicorn on {app}…")
    server = subprocess.Popen(
        GUNICORN,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    proxy = None
    rows, notes = [], {}
    load_before = os.getloadavg()
    try:
        wait_for(f"{app}/healthz")
        base = app
        if args.proxy:
            proxy, base = start_proxy(workdir, args.port + 1, args.port)
        say(f"Measuring through {'nginx at ' + base if proxy else 'gunicorn at ' + base}.")
        plan = [
            ("ceiling (minimal view)", "/bench/hello/", None),
            ("story, cached", story["url"], None),
            (
                "story, uncached",
                "/",
                ROTATE_LUA
                % {
                    "paths": lua_list(f"/story/{slug}/?utm_source=bench" for _, slug in stories),
                    "threads": args.threads,
                },
            ),
            ("story, cached (fr)", french_story["url"], None),
            (
                "story, uncached (fr)",
                "/fr/",
                ROTATE_LUA
                % {
                    "paths": lua_list(
                        f"/fr/article/{slug}/?utm_source=bench" for _, slug in french_stories
                    ),
                    "threads": args.threads,
                },
            ),
            ("api list, cached", "/api/v1/stories/", None),
            (
                "api story, uncached",
                "/api/v1/stories/",
                ROTATE_LUA
                % {
                    "paths": lua_list(
                        f"/api/v1/stories/{story_id}/?utm_source=bench" for story_id, _ in stories
                    ),
                    "threads": args.threads,
                },
            ),
            ("home", "/", None),
            ("section", f"/section/{section}/", None),
            ("search, cached", "/search/?q=wildfire", None),
            (
                "search, uncached",
                "/search/?q=wildfire",
                ROTATE_LUA
                % {
                    "paths": lua_list(
                        f"/search/?q={term}&utm_source=bench" for term in SEARCH_TERMS
                    ),
                    "threads": args.threads,
                },
            ),
        ]
        if args.only:
            wanted = {name.strip() for name in re.split(r",(?! )", args.only)}
            plan = [row for row in plan if row[0] in wanted or row[0].startswith("ceiling")]
        runs = {}
        busy_notes = []
        for round_number in range(1, args.rounds + 1):
            for name, path, script in plan:
                status, _ = status_of(base + path)  # warms the page cache for cached rows
                if status == 404 and name.startswith("search"):
                    notes["search"] = "skipped: no /search/ page yet (search not merged)"
                    continue
                if status != 200:
                    fail(f"{path} answered {status} before the run.")
                say(f"  round {round_number}/{args.rounds}: {name} ({args.duration} s)…")
                cpu_before = server_cpu(env, server.pid, args.database)
                run_figures = wrk(args, base + path, (script or "") + REPORT_LUA, timeout=5)
                cpu = cpu_used(cpu_before, server_cpu(env, server.pid, args.database))
                run_figures["server_cpu_ms"] = round(
                    1000 * cpu / max(run_figures["requests"], 1), 3
                )
                runs.setdefault(name, {"name": name, "path": path, "runs": []})
                runs[name]["runs"].append(run_figures)
            if not args.only or "busy story" in args.only:
                # After the ceiling of the same round: the readers are offered that rate.
                ceiling_rps = next(
                    row["runs"][-1]["rps"]
                    for row in runs.values()
                    if row["name"].startswith("ceiling")
                )
                status_of(base + busy["url"])  # the page cache's copy, as for the rows above
                say(f"  round {round_number}/{args.rounds}: busy story ({args.duration} s)…")
                read, votes, note = busy_story_round(args, base, env, busy, ceiling_rps)
                busy_notes.append(note)
                for name, figures in (("busy story: read", read), ("busy story: votes", votes)):
                    runs.setdefault(name, {"name": name, "path": busy["url"], "runs": []})
                    runs[name]["runs"].append(figures)
        # Other processes share the CPU: each row shows its least disturbed round (highest
        # rate); every round is in the JSON file, and errors are summed over all rounds.
        ordered = sorted(runs.values(), key=lambda row: not row["name"].startswith("ceiling"))
        for row in ordered:
            best = max(row["runs"], key=lambda r: r["rps"])
            rows.append({**row, **best, "errors": sum(r["errors"] for r in row["runs"])})
        if busy_notes:
            notes["busy story"] = " | ".join(busy_notes)
        if not args.only or "vote" in args.only:
            say("  measuring vote…")
            vote, note = vote_row(args, base, env, story)
            notes["vote"] = note
            if vote is not None:
                rows.append({"name": "vote", "path": f"/ratings/{story['id']}/vote/", **vote})
    finally:
        for process in (proxy, server):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    # The ratio compares each round with the ceiling measured in the same round (the median
    # over rounds), so a quiet or busy moment on the shared machine cancels out.
    ceiling_runs = rows[0]["runs"]
    for row in rows:
        if "runs" in row:
            pairs = zip(row["runs"], ceiling_runs, strict=True)
            paired = [run["rps"] / ceiling["rps"] for run, ceiling in pairs]
            row["ratio_to_ceiling"] = round(statistics.median(paired), 3)
            if all("server_cpu_ms" in run for run in row["runs"]):
                # What a request costs the app and the database, median over rounds, and
                # the ceiling's cost over it: the share of the ceiling the row would reach
                # if the app and database alone had the cores.
                row["server_cpu_ms"] = statistics.median(r["server_cpu_ms"] for r in row["runs"])
                ceiling_cpu = statistics.median(r["server_cpu_ms"] for r in ceiling_runs)
                # A row the caches in front answer whole costs the app nothing: no ratio.
                if row["server_cpu_ms"] > 0:
                    row["cpu_ratio_to_ceiling"] = round(ceiling_cpu / row["server_cpu_ms"], 3)
        else:
            row["ratio_to_ceiling"] = round(row["rps"] / rows[0]["rps"], 3)

    say("")
    say(
        f"{args.articles:,} stories, wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s, best of {args.rounds} rounds, {os.cpu_count()} CPUs, "
        f"{'through nginx' if args.proxy else 'gunicorn alone (no proxy)'}, "
        f"load average before "
        f"{load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}"
    )
    say(
        f"{'page':<24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'errors':>7}"
        f" {'CPU ms':>7} {'by CPU':>7}"
    )
    for row in rows:
        by_cpu = row.get("cpu_ratio_to_ceiling")
        say(
            f"{row['name']:<24} {row['rps']:>8.0f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['ratio_to_ceiling']:>6.0%} {row['errors']:>7}"
            + (f" {row['server_cpu_ms']:>7.2f} {by_cpu:>7.0%}" if by_cpu is not None else "")
        )
    for name, note in notes.items():
        say(f"{name}: {note}")

    named = {r["name"]: r for r in rows}
    targets = {}
    if "story, cached" in named:
        targets["cached story >= 80% of ceiling"] = (
            named["story, cached"]["ratio_to_ceiling"] >= 0.8
        )
    if "story, uncached" in named:
        uncached = named["story, uncached"]
        targets[
            f"uncached story >= 15% of ceiling, p99 < 100 ms at {args.connections} connections"
        ] = uncached["ratio_to_ceiling"] >= 0.15 and uncached["p99_ms"] < 100
    if "story, uncached" in named and "story, uncached (fr)" in named:
        english, french = named["story, uncached"], named["story, uncached (fr)"]
        targets["uncached French story: the English one's share of the ceiling, within 10 %"] = (
            abs(french["ratio_to_ceiling"] - english["ratio_to_ceiling"])
            <= 0.1 * english["ratio_to_ceiling"]
        )
    if "busy story: read" in named:
        read, votes = named["busy story: read"], named["busy story: votes"]
        targets["busy-story read >= 60% of ceiling, p99 < 50 ms"] = (
            read["ratio_to_ceiling"] >= 0.6 and read["p99_ms"] < 50
        )
        targets["busy-story votes >= 15% of ceiling"] = votes["ratio_to_ceiling"] >= 0.15
        targets["busy story: no vote lost or doubled"] = "MISMATCH" not in notes["busy story"]
    if "api list, cached" in named and "story, cached" in named:
        # Issue 28: the cached list at the cached pages' share of the ceiling (within 10 %).
        targets["cached API list: the cached story page's share of the ceiling, within 10 %"] = (
            named["api list, cached"]["ratio_to_ceiling"]
            >= 0.9 * named["story, cached"]["ratio_to_ceiling"]
        )
    if "api story, uncached" in named and "story, uncached" in named:
        targets["uncached API story: at least the uncached story page's share"] = (
            named["api story, uncached"]["ratio_to_ceiling"]
            >= named["story, uncached"]["ratio_to_ceiling"]
        )
    targets["no errors"] = all(r["errors"] == 0 for r in rows)
    if "vote" in named:
        targets["no vote lost or doubled"] = not notes["vote"].startswith("MISMATCH")
    for target, met in targets.items():
        say(f"{'met' if met else 'NOT MET':>7}: {target}")

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "articles": args.articles,
        "wrk": {
            "threads": args.threads,
            "connections": args.connections,
            "seconds": args.duration,
            "rounds": args.rounds,
        },
        "gunicorn_workers": args.workers or "config default",
        # Every row went through nginx (deploy/nginx/newsroom-locations.conf, its page cache
        # on) when true; straight to gunicorn when false.
        "proxy": (
            {
                "server": "nginx",
                "version": nginx_version(),
                "page_proxy_seconds": int(env.get("PAGE_PROXY_SECONDS", 1)),
            }
            if args.proxy
            else False
        ),
        "rows": rows,
        "notes": notes,
        "targets": targets,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = args.output or RESULTS / f"{result['when'].replace(':', '')}.json"
    output.write_text(json.dumps(result, indent=2) + "\n")
    if args.output is None:  # a run written elsewhere (--output) is a trial: latest stays
        (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    say("\nAs a Markdown table:\n")
    say(
        "| page | requests/s | p50 ms | p99 ms | of ceiling | errors "
        "| app + database CPU ms a request | of ceiling by CPU |"
    )
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        by_cpu = row.get("cpu_ratio_to_ceiling")
        say(
            f"| {row['name']} | {row['rps']:,.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
            f"| {row['ratio_to_ceiling']:.0%} | {row['errors']} "
            + (f"| {row['server_cpu_ms']:.2f} | {by_cpu:.0%} |" if by_cpu is not None else "| | |")
        )
    say(f"Results written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    main()
