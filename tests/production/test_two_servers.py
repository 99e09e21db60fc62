"""Two app servers behind nginx, one background worker, shared PostgreSQL, Redis and S3 media.

Everything is a real process started here: a fresh database on the PostgreSQL server the suite
uses, Redis (the cache and the Celery broker, each in a database number of its own), SeaweedFS
as the S3-compatible media store, two production gunicorn servers (A and B, each with its own
temporary folder), nginx in front of them with the repository's configuration, and
`scripts/worker`. Editors work on server A (or B); readers are served by B. The worker is
killed with SIGKILL in the middle of its work and started again, as a machine would be.
"""

import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from PIL import Image

from devtools.cluster import (
    GUNICORN,
    ROOT,
    Browser,
    CannotStart,
    Processes,
    children_of,
    command_line,
    create_public_bucket,
    fetch,
    free_port,
    maps_numpy,
    nginx_binary,
    production_environment,
    start_nginx,
    wait_for,
    wait_until_serving,
)

# Worded unlike any demo story, so the test finds exactly the one it published.
STORY_HEADLINE = "Wildfire near Kamloops forces thousands from their homes overnight"

pytestmark = pytest.mark.postgres

BUCKET = "newsroom-media"
CACHE_DB = 11
BROKER_DBS = (12, 13, 14, 15)  # the first empty one is taken, so parallel runs do not mix
DEMO_STORIES = 300
EDITOR = ("editor", "newsroom-demo")
# nginx keeps public pages PROXY_SECONDS (newsroom/pagecache.py marks them), each server's
# workers keep their own copy LOCAL_SECONDS: an unpublished story is gone for readers within
# BOUND_SECONDS of the save (nginx counts whole seconds, hence one more), plus the answers in
# flight on a shared machine (ANSWER_SECONDS).
PROXY_SECONDS = 1
LOCAL_SECONDS = 1
BOUND_SECONDS = PROXY_SECONDS + 1 + LOCAL_SECONDS
ANSWER_SECONDS = 1.0


class Cluster:
    def __init__(self, folder, processes, env, database_url):
        self.folder, self.processes, self.env = folder, processes, env
        self.database_url = database_url
        self.workers_started = 0
        self.a = self.b = self.proxy = self.access_log = None
        self.started = time.monotonic()

    def say(self, what):
        """Progress on stdout (pytest -s): where the test's two minutes go."""
        print(f"[two servers {time.monotonic() - self.started:6.1f} s] {what}", flush=True)

    # -- the database, read the way an operator would

    def query(self, statement, params=()):
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as db:
            cursor = db.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def manage(self, *args, timeout=300):
        return self.manage_together([args], timeout)[0]

    def manage_together(self, commands, timeout=300):
        """Run manage.py commands side by side (they wait on different things); their output."""
        running = [
            subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for args in commands
        ]
        outputs = []
        for args, process in zip(commands, running, strict=True):
            try:
                out, err = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                out, err = process.communicate()
            assert process.returncode == 0, f"manage.py {' '.join(args)}:\n{err[-3000:]}"
            outputs.append(out)
        return outputs

    # -- the app servers

    def start_app_server(self, name):
        """Start gunicorn ``name`` on a free port; its address and port (not yet serving)."""
        port = free_port()
        home = self.folder / name
        (home / "tmp").mkdir(parents=True)
        env = {
            **self.env,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "TMPDIR": str(home / "tmp"),
        }
        self.processes.start(name, GUNICORN, env)
        return f"http://127.0.0.1:{port}", port

    def wait_until_serving(self, name, base):
        wait_until_serving(f"{base}/healthz", 90)

    def web_processes(self, name):
        """The gunicorn master of ``name`` and its workers."""
        master = self.processes.pid(name)
        return [master, *children_of(master)]

    # -- the worker

    def start_worker(self, wait=True):
        self.say("starting scripts/worker")
        self.workers_started += 1
        home = self.folder / "worker"
        (home / "tmp").mkdir(parents=True, exist_ok=True)
        env = {
            **self.env,
            "TMPDIR": str(home / "tmp"),
            "WORKER_CONCURRENCY": "1",
            "CELERY_BEAT_SCHEDULE_FILE": str(home / "beat-schedule"),
        }
        name = f"worker-{self.workers_started}"
        self.processes.start(name, ["bash", "scripts/worker"], env)
        if wait:
            self.wait_until_worker_ready(name)
        return name

    def wait_until_worker_ready(self, name):
        # Both Celery workers (related, default) say "ready" once they consume.
        wait_for(
            lambda: self.processes.log(name, last=10**6).count(" ready.") >= 2,
            90,
            f"scripts/worker ({name}) to be ready",
        )

    def related_worker_pids(self, name):
        """The related-stories Celery worker started by scripts/worker ``name``, and its pool."""
        main = [
            pid
            for pid in self.processes.group_pids(name)
            if "-Q related" in command_line(pid) and "celery" in command_line(pid)
        ]
        main = [pid for pid in main if not any(pid in children_of(m) for m in main)]
        assert len(main) == 1, f"expected one related worker, found {main}"
        return [main[0], *children_of(main[0])]

    def kill_related_worker(self, name):
        """SIGKILL the related worker (its main process and pool): no cleanup, no goodbye."""
        pids = self.related_worker_pids(name)
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        # scripts/worker notices, stops the default worker and exits, as it does in production
        # (where systemd or the orchestrator then starts it again).
        process = self.processes.running[name][0]
        process.wait(timeout=60)
        self.processes.stop(name)
        return pids

    # -- waiting for background work

    def done(self, ids):
        """Which of the stories ``ids`` have their derived data current (the worker's work)."""
        rows = self.query(
            "SELECT id FROM articles_article WHERE id = ANY(%s) AND derived_version = version",
            [list(ids)],
        )
        return {pk for (pk,) in rows}

    def wait_until_done(self, ids, timeout=60):
        ids = set(ids)
        wait_for(lambda: self.done(ids) == ids, timeout, f"background work for {len(ids)} stories")

    def waiting_on_a_lock(self):
        """Backends of this database waiting for a lock someone else holds."""
        return self.query(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )


def _redis():
    import redis

    return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2)


def _empty_broker_db():
    import redis

    for number in BROKER_DBS:
        client = redis.Redis(host="127.0.0.1", port=6379, db=number, socket_timeout=2)
        if client.dbsize() == 0:
            return number
    raise CannotStart(f"Redis databases {BROKER_DBS} all hold keys; none is free for the broker")


def _database_server_url(name):
    db = settings.DATABASES["default"]
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture(scope="module")
def cluster(request, seaweedfs):
    failed_before = request.session.testsfailed
    folder = Path(tempfile.mkdtemp(prefix="newsroom-two-servers-"))
    processes = Processes(folder)
    database = f"newsroom_two_servers_{os.getpid()}"
    admin_url = _database_server_url("postgres")
    cache_prefix = f"nr-two-servers-{secrets.token_hex(4)}"
    broker_db = None
    created = False
    try:
        # What can be missing is looked for before the minutes of set-up.
        if nginx_binary() is None:
            raise CannotStart("nginx is not installed (apt-get install nginx)")
        try:
            _redis().ping()
        except Exception as exc:  # noqa: BLE001
            raise CannotStart(f"Redis does not answer on 127.0.0.1:6379 ({exc})") from exc
        broker_db = _empty_broker_db()
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as db:
            db.execute(f'CREATE DATABASE "{database}"')
        created = True
        s3 = seaweedfs  # the run's one SeaweedFS (tests/production/conftest.py)
        create_public_bucket(s3, BUCKET)
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "CELERY_", "REDIS_", "AWS_", "DJANGO_"))
        }
        env = production_environment(_database_server_url(database), folder, base)
        env.update(
            {
                "REDIS_URL": f"redis://127.0.0.1:6379/{CACHE_DB}",
                "CACHE_KEY_PREFIX": cache_prefix,
                "AWS_STORAGE_BUCKET_NAME": BUCKET,
                "AWS_S3_ENDPOINT_URL": s3,
                "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_ACCESS_KEY_ID": "newsroom-test",
                "AWS_SECRET_ACCESS_KEY": "newsroom-test-secret",
                # Nothing may land on a server's local disk: media go to the bucket.
                "MEDIA_ROOT": str(folder / "local-media-must-stay-empty"),
                "TRUSTED_PROXIES": "127.0.0.1",  # nginx, which sets X-Forwarded-For
                "RATINGS_VOTES_PER_MINUTE": "0",
                "RATINGS_VOTERS_PER_ADDRESS": "0",
                "RECONCILE_INTERVAL": "2",
                "RECONCILE_GRACE_SECONDS": "3",
                "RELATED_NIGHTLY_REBUILD": "false",  # the beat's 4:15 rebuild: not in a test
                "PAGE_PROXY_SECONDS": str(PROXY_SECONDS),
                "PAGE_CACHE_LOCAL_SECONDS": str(LOCAL_SECONDS),
                "LOG_LEVEL": "INFO",
                "GUNICORN_ACCESS_LOG": "-",  # each server's requests in its log
                "PYTHONUNBUFFERED": "1",
            }
        )
        cluster = Cluster(folder, processes, env, _database_server_url(database))
        cluster.s3 = s3
        cluster.say("database, Redis and SeaweedFS ready")
        cluster.manage_together(
            [["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]]
        )
        cluster.say("migrated, static files collected")
        # The demo's stock photos are queued for renditions like any upload; they keep their
        # originals here (renditions of 24 large photos would cost a minute): the photo whose
        # renditions the test follows is the one uploaded in the admin.
        env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:6379/{broker_db}"
        cluster.manage("load_demo", "--articles", str(DEMO_STORIES), "--seed", "11")
        cluster.query("UPDATE articles_photo SET renditions_of = image")
        cluster.say("demo stories loaded")
        # Both app servers and the worker start side by side.
        cluster.a, port_a = cluster.start_app_server("server-a")
        cluster.b, port_b = cluster.start_app_server("server-b")
        cluster.worker = cluster.start_worker(wait=False)
        cluster.wait_until_serving("server-a", cluster.a)
        cluster.wait_until_serving("server-b", cluster.b)
        cluster.say("servers A and B serving")
        cluster.proxy, cluster.access_log = start_nginx(processes, folder, [port_a, port_b])
        cluster.say("nginx serving")
        cluster.wait_until_worker_ready(cluster.worker)
        cluster.say("worker ready")
        yield cluster
        cluster.say("tests done")
    except CannotStart as exc:
        pytest.skip(f"The two-server test cannot run here: {exc}")
    finally:
        processes.stop_all()
        if request.session.testsfailed > failed_before:
            kept = Path(tempfile.gettempdir()) / f"newsroom-two-servers-logs-{os.getpid()}"
            kept.mkdir(exist_ok=True)
            for log in folder.glob("*.log"):
                shutil.copy(log, kept)
            print(f"The processes' logs are kept in {kept}", flush=True)
        if created:
            with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        try:
            import redis

            cache = redis.Redis(host="127.0.0.1", port=6379, db=CACHE_DB, socket_timeout=2)
            for key in cache.scan_iter(f"{cache_prefix}:*", count=1000):
                cache.delete(key)
            if broker_db is not None:
                redis.Redis(host="127.0.0.1", port=6379, db=broker_db).flushdb()
        except Exception:  # noqa: BLE001,S110 - Redis itself gone: nothing left to clean
            pass
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def editor_on_a(cluster):
    browser = Browser(cluster.a)
    browser.log_in(*EDITOR)
    return browser


def photo_bytes():
    """A 1600 × 1000 JPEG, wide enough for every rendition width."""
    image = Image.new("RGB", (1600, 1000))
    pixels = image.load()
    for x in range(0, 1600, 4):
        for y in range(0, 1000, 4):
            pixels[x, y] = (x % 256, y % 256, (x * y) % 256)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def related_headlines(page):
    return re.findall(
        r'class="related-story__headline"><a href="[^"]*">([^<]*)</a>', page, flags=re.S
    )


def story_page(base, slug):
    status, _, body = fetch(f"{base}/story/{slug}/")
    return status, body.decode("utf-8", "replace")


def published_story(cluster, headline):
    rows = cluster.query(
        "SELECT id, slug, lead_photo_id FROM articles_article WHERE headline = %s", [headline]
    )
    assert len(rows) == 1, f"one story headed {headline!r} expected, found {rows}"
    return rows[0]


# --------------------------------------------------------------------------- the tests


def test_a_story_published_on_server_a_is_served_by_b_with_its_related_list_and_renditions(
    cluster, editor_on_a
):
    headline = STORY_HEADLINE
    section = cluster.query("SELECT id FROM articles_section WHERE slug = 'canada'")[0][0]
    status, headers, page = editor_on_a.submit(
        "/admin/articles/article/add/",
        "article_form",
        files=[("photo_upload", "ridge.jpg", photo_bytes(), "image/jpeg")],
        headline=headline,
        standfirst="Residents were given hours to leave as the fire jumped a highway.",
        body=(
            "<p>The fire has burned more than 12,000 hectares since lightning sparked it. Water "
            "bombers from three provinces joined ground crews working through the night, and "
            "smoke pushed air quality readings to the highest risk level.</p>"
        ),
        section=str(section),
        tags="Wildfires, Climate, Emergency management",
        photo_caption="Crews on a ridge above the highway.",
        photo_credit="THE CANADIAN PRESS/Test Photographer",
        photo_alt_text="Firefighters on a smoky ridge",
        _transition="published",
    )
    assert status == 302, f"the story was not saved ({status}): {page[:3000]}"
    story_id, slug, photo_id = published_story(cluster, headline)
    assert photo_id is not None
    cluster.say("story published on A")

    # Server B shows it with the worker's results: related stories and the photo's renditions.
    def b_shows_everything():
        rows = cluster.query(
            "SELECT renditions FROM articles_photo WHERE id = %s AND renditions_of = image",
            [photo_id],
        )
        if not rows or not rows[0][0]:
            return None
        renditions = rows[0][0]
        status, page = story_page(cluster.b, slug)
        ready = (
            status == 200
            and len(related_headlines(page)) >= 3
            and all(r["jpeg"] in page and r["webp"] in page for r in renditions)
        )
        return (page, renditions) if ready else None

    page, renditions = wait_for(
        b_shows_everything, 60, "story page on B with related list and renditions"
    )
    cluster.say("B shows its related list and renditions")
    assert headline in page
    assert sum("fire" in h.lower() for h in related_headlines(page)) >= 3, related_headlines(page)
    # The renditions are in the shared bucket, readable by anyone (as through a CDN).
    assert [r["width"] for r in renditions] == [*settings.PHOTO_RENDITION_WIDTHS, 1600]
    medium = next(r for r in renditions if r["width"] == 960)
    url = f"{cluster.s3}/{BUCKET}/{medium['jpeg']}"
    assert url in page
    status, headers, image = fetch(url)
    assert status == 200 and headers["Content-Type"].startswith("image/")
    assert Image.open(io.BytesIO(image)).size == (960, 600)
    assert not any((cluster.folder / "local-media-must-stay-empty").rglob("*.*"))

    # Through nginx: the same page, and requests spread over both app servers (an address
    # nginx does not keep, so every request reaches one).
    for _ in range(6):
        status, _, page = fetch(f"{cluster.proxy}/story/{slug}/?utm_source=newsletter")
        assert status == 200 and headline in page.decode()
    upstreams = set(re.findall(r"upstream=(\S+:\d+)", cluster.access_log.read_text()))
    assert {u.rsplit(":", 1)[1] for u in upstreams} >= {
        cluster.a.rsplit(":", 1)[1],
        cluster.b.rsplit(":", 1)[1],
    }, upstreams


def test_a_headline_edit_on_a_reaches_the_page_b_has_cached(cluster, editor_on_a):
    story_id, slug, _ = published_story(cluster, STORY_HEADLINE)
    for _ in range(3):  # B renders the page once and serves it from the shared cache
        status, page = story_page(cluster.b, slug)
        assert status == 200
    new_headline = "Kamloops evacuation order lifted overnight as wildfire crews gain ground"
    status, _, page = editor_on_a.submit(
        f"/admin/articles/article/{story_id}/change/",
        "article_form",
        headline=new_headline,
        change_kind="update",
        change_note="The evacuation order was lifted.",
        _save="Save",
    )
    assert status == 302, f"the edit was not saved ({status}): {page[:3000]}"
    page = wait_for(
        lambda: (lambda s, p: p if new_headline in p else None)(*story_page(cluster.b, slug)),
        10,
        "the new headline on B's cached page",
        interval=0.2,
    )
    assert STORY_HEADLINE not in page
    cluster.wait_until_done([story_id])


def test_a_related_worker_killed_in_the_middle_of_a_batch_finishes_it_after_a_restart(
    cluster, editor_on_a
):
    batch = [
        pk
        for (pk,) in cluster.query(
            "SELECT id FROM articles_article WHERE status = 'published' "
            "ORDER BY publish_at DESC, id DESC LIMIT 30"
        )
    ]
    status, _, page = editor_on_a.post(
        "/admin/articles/article/",
        [
            *_changelist_token(editor_on_a),
            ("action", "unpublish_selected"),
            ("index", "0"),
            *[("_selected_action", str(pk)) for pk in batch],
        ],
    )
    assert status == 302, f"the unpublish action failed ({status}): {page[:2000]}"

    # Let the worker get going, then hold the lists it has still to write: the next refresh
    # stops inside its transaction, waiting for the lock. That is where it is killed.
    wait_for(lambda: len(cluster.done(batch)) >= 3, 60, "the worker starting on the batch")
    with psycopg.connect(cluster.database_url, connect_timeout=5) as blocker:
        remaining = sorted(set(batch) - cluster.done(batch))
        blocker.execute(
            "SELECT id FROM articles_relatedarticle WHERE article_id = ANY(%s) FOR UPDATE",
            [remaining],
        )
        wait_for(cluster.waiting_on_a_lock, 30, "a refresh waiting inside its transaction")
        done_at_kill = cluster.done(batch)
        killed = cluster.kill_related_worker(cluster.worker)
        blocker.rollback()
    cluster.say(f"related worker killed after {len(done_at_kill)} of {len(batch)} refreshes")
    assert 0 < len(done_at_kill) < len(batch), "the kill did not land in the middle of the batch"
    assert killed and not any(Path(f"/proc/{pid}").exists() for pid in killed)

    cluster.worker = cluster.start_worker()
    cluster.wait_until_done(batch, timeout=90)
    # The refresh that was killed is still unacknowledged in the broker (handed out again only
    # after the visibility timeout, an hour): the sweep is what queued it again.
    assert "Reconciliation queued" in cluster.processes.log(cluster.worker, last=10**6)
    # Every refresh happened in full: no list holds an unpublished story, none has a list.
    assert cluster.query(
        "SELECT count(*) FROM articles_relatedarticle WHERE related_id = ANY(%s) "
        "OR article_id = ANY(%s)",
        [batch, batch],
    ) == [(0,)]


def _changelist_token(browser):
    status, _, page = browser.get("/admin/articles/article/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the story list"
    return [("csrfmiddlewaretoken", token.group(1))]


def lists(cluster):
    """Every stored list: {story: [(related story, score), …] best first}."""
    stored = {}
    for article, related, score in cluster.query(
        "SELECT article_id, related_id, score FROM articles_relatedarticle "
        "ORDER BY article_id, score DESC, related_id"
    ):
        stored.setdefault(article, []).append((related, score))
    return stored


def test_a_rebuild_killed_in_the_middle_resumes_after_a_restart_and_equals_a_fresh_one(cluster):
    # Hold the lists of the last stories (the rebuild's last block): the rebuild writes the
    # first block, records its progress, then waits for the lock. That is where it is killed.
    last = [
        pk
        for (pk,) in cluster.query(
            "SELECT DISTINCT article_id FROM articles_relatedarticle ORDER BY article_id DESC "
            "LIMIT 5"
        )
    ]
    with psycopg.connect(cluster.database_url, connect_timeout=5) as blocker:
        blocker.execute(
            "SELECT id FROM articles_relatedarticle WHERE article_id = ANY(%s) FOR UPDATE", [last]
        )
        cluster.manage("rebuild_related", "--queue")
        wait_for(cluster.waiting_on_a_lock, 120, "the queued rebuild waiting on its last block")
        progress = cluster.query(
            "SELECT next_row FROM articles_relatedindexsnapshot WHERE complete"
        )
        cluster.kill_related_worker(cluster.worker)
        blocker.rollback()
    cluster.say(f"related worker killed in a rebuild at {progress}")
    assert progress and progress[0][0] is not None and progress[0][0] > 0, progress

    cluster.worker = cluster.start_worker()
    # The restarted worker finishes the cut-off rebuild by itself.
    wait_for(
        lambda: (
            cluster.query(
                "SELECT next_row IS NULL FROM articles_relatedindexsnapshot WHERE complete"
            )
            == [(True,)]
        ),
        90,
        "the interrupted rebuild to be finished",
        interval=0.5,
    )
    cluster.wait_until_done(
        [pk for (pk,) in cluster.query("SELECT id FROM articles_article")], timeout=60
    )
    converged = lists(cluster)
    cluster.say("the interrupted rebuild finished")
    cluster.manage("rebuild_related", "--fresh")
    fresh = lists(cluster)
    assert converged.keys() == fresh.keys()
    for article, entries in fresh.items():
        kept = converged[article]
        assert [pk for pk, _ in kept] == [pk for pk, _ in entries], article
        assert all(abs(a - b) < 1e-4 for (_, a), (_, b) in zip(kept, entries, strict=True))


def test_a_save_whose_queued_work_is_lost_is_repaired_by_the_reconciliation(cluster):
    # A hockey story rewritten as a wildfire story, on server B, while no worker runs and the
    # broker then loses the queued refresh (Redis restarted without persistence, say).
    cluster.processes.stop(cluster.worker)
    story_id, slug = cluster.query(
        "SELECT a.id, a.slug FROM articles_article a "
        "JOIN articles_taggedarticle t ON t.content_object_id = a.id "
        "JOIN taggit_tag tag ON tag.id = t.tag_id "
        "WHERE tag.name = 'NHL' AND a.status = 'published' AND a.language = 'en' "
        "ORDER BY a.id LIMIT 1"
    )[0]
    before = related_headlines(story_page(cluster.b, slug)[1])
    assert wildfire_stories_listed(cluster, story_id) == 0, before
    editor_on_b = Browser(cluster.b)
    editor_on_b.log_in(*EDITOR)
    status, _, page = editor_on_b.submit(
        f"/admin/articles/article/{story_id}/change/",
        "article_form",
        headline="Wildfire smoke forces NHL game in Kelowna to be postponed",
        standfirst="Fire officials say dry conditions and strong winds pushed the blaze north.",
        body=(
            "<p>Crews battle an out-of-control wildfire as smoke blankets the valley. Water "
            "bombers from three provinces joined ground crews; evacuees wait for word on "
            "their homes.</p>"
        ),
        tags="Wildfires, Climate",
        change_kind="update",
        change_note="The story now covers the wildfire smoke.",
        _save="Save",
    )
    assert status == 302, f"the edit was not saved ({status}): {page[:3000]}"
    broker = _broker(cluster)
    assert broker.llen("related") >= 1, "the save queued no refresh"
    broker.delete("related")  # the message is lost
    assert cluster.done([story_id]) == set()

    cluster.worker = cluster.start_worker()
    cluster.wait_until_done([story_id], timeout=60)
    assert "Reconciliation queued 1 stories" in cluster.processes.log(cluster.worker, last=10**6)
    assert wildfire_stories_listed(cluster, story_id) >= 3
    wait_for(
        lambda: (lambda h: h if h and h != before else None)(
            related_headlines(story_page(cluster.b, slug)[1])
        ),
        20,
        "the repaired related list on B's page",
    )


def wildfire_stories_listed(cluster, story_id):
    """How many stories tagged Wildfires the stored list of ``story_id`` holds (by tag, not by
    headline words: "Senators fire head coach" is not a wildfire story)."""
    return cluster.query(
        "SELECT count(DISTINCT r.related_id) FROM articles_relatedarticle r "
        "JOIN articles_taggedarticle t ON t.content_object_id = r.related_id "
        "JOIN taggit_tag tag ON tag.id = t.tag_id "
        "WHERE r.article_id = %s AND tag.name = 'Wildfires'",
        [story_id],
    )[0][0]


def _broker(cluster):
    import redis

    return redis.Redis.from_url(cluster.env["CELERY_BROKER_URL"])


def test_no_web_process_of_either_server_loads_numpy(cluster):
    for server in ("server-a", "server-b"):
        pids = cluster.web_processes(server)
        assert len(pids) == 3, f"{server}: master and two workers expected, got {pids}"
        loaded = [pid for pid in pids if maps_numpy(pid)]
        assert loaded == [], f"{server}: numpy mapped in {loaded}"
    # The check can fail: the related worker, which computes lists, has numpy mapped.
    related = cluster.related_worker_pids(cluster.worker)
    assert any(maps_numpy(pid) for pid in related)


# --------------------------------------------------------------------------- the proxy's cache


def quiet_stories(cluster, count):
    """Published English stories no other test here changes: the oldest, none about hockey
    (the demo writes French ones too, at /fr/article/…)."""
    return cluster.query(
        "SELECT a.id, a.slug FROM articles_article a WHERE a.status = 'published' "
        "AND a.language = 'en' "
        "AND a.publish_at <= now() AND NOT EXISTS (SELECT 1 FROM articles_taggedarticle t "
        "JOIN taggit_tag tag ON tag.id = t.tag_id WHERE t.content_object_id = a.id "
        "AND tag.name = 'NHL') ORDER BY a.publish_at, a.id LIMIT %s",
        [count],
    )


def through_nginx(cluster, path, browser=None):
    """``(status, X-Cache-Status)`` of one request to nginx, as a reader or as ``browser``."""
    if browser is not None:
        status, headers, _ = browser.get(path)
    else:
        status, headers, _ = fetch(cluster.proxy + path)
    return status, headers.get("X-Cache-Status")


def test_nginx_answers_a_readers_second_request_from_its_cache_and_an_editors_never(cluster):
    (_, slug), *_ = quiet_stories(cluster, 1)
    path = f"/story/{slug}/"
    first = through_nginx(cluster, path)
    second = through_nginx(cluster, path)
    assert first[0] == second[0] == 200
    assert second[1] == "HIT", (first, second)
    # nginx hides the app's marking from readers.
    assert "X-Accel-Expires" not in fetch(cluster.proxy + path)[1]

    editor = Browser(cluster.proxy)
    editor.log_in(*EDITOR)
    assert through_nginx(cluster, path, editor) == (200, "BYPASS")
    # Not even looked up: the admin never waits on the cache's lock.
    assert through_nginx(cluster, "/admin/", editor) == (200, None)
    # Addresses with other query parameters skip the cache too (the app never marks them).
    assert through_nginx(cluster, f"{path}?utm_source=newsletter") == (200, "BYPASS")


def test_a_story_unpublished_in_the_admin_is_gone_through_nginx_within_the_bound(
    cluster, editor_on_a
):
    # Two stories nginx holds: readers keep asking for the first; nobody asks for the second
    # until the bound has passed (nginx must not hand out its expired copy then either).
    (busy_id, busy_slug), (quiet_id, quiet_slug) = quiet_stories(cluster, 3)[1:]
    busy, quiet = f"/story/{busy_slug}/", f"/story/{quiet_slug}/"
    for path in (busy, quiet, busy, quiet):
        assert through_nginx(cluster, path)[0] == 200
    assert through_nginx(cluster, busy) == (200, "HIT")

    def move(action):
        status, _, page = editor_on_a.post(
            "/admin/articles/article/",
            [
                *_changelist_token(editor_on_a),
                ("action", action),
                ("index", "0"),
                ("_selected_action", str(busy_id)),
                ("_selected_action", str(quiet_id)),
            ],
        )
        assert status == 302, f"{action} failed ({status}): {page[:2000]}"
        return time.monotonic()

    saved = move("unpublish_selected")
    deadline = saved + BOUND_SECONDS + ANSWER_SECONDS
    gone = wait_for(
        lambda: through_nginx(cluster, busy)[0] == 404 and time.monotonic(),
        BOUND_SECONDS + ANSWER_SECONDS,
        "the unpublished story gone for readers through nginx",
        interval=0.05,
    )
    cluster.say(f"unpublished story gone through nginx {gone - saved:.2f} s after the save")
    assert gone <= deadline
    time.sleep(max(0.0, deadline - time.monotonic()))
    assert through_nginx(cluster, quiet)[0] == 404

    # The 404 nginx now holds goes as soon: published again, the story is back within the bound.
    republished = move("publish_selected")
    back = wait_for(
        lambda: through_nginx(cluster, busy)[0] == 200 and time.monotonic(),
        BOUND_SECONDS + ANSWER_SECONDS,
        "the republished story back for readers through nginx",
        interval=0.05,
    )
    cluster.say(f"republished story back through nginx {back - republished:.2f} s after the save")
