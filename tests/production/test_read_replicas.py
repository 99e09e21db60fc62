"""Read replicas with a real streaming replica: readers read from it, the rest from the primary.

Two PostgreSQL clusters of our own (never the shared server): a primary on a free port made
with ``initdb``, and a streaming replica of it made with ``pg_basebackup -R``, both logging
every statement to their own file. Which server answered a request is read from those logs
(the story's slug appears in the SQL of its page). Production gunicorns use them through
``DATABASE_URL`` and ``DATABASE_REPLICA_URLS``: one allows a lag of a minute (so a paused
replica is still used and read-your-writes must come from the cookie), the other a lag of
half a second and checks the replica five times a second. Skipped, saying why, without the
PostgreSQL server binaries.
"""

import http.client
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from devtools.cluster import (
    GUNICORN,
    Browser,
    Processes,
    fetch,
    free_port,
    manage,
    production_environment,
    wait_for,
    wait_until_serving,
)

from .conftest import _as_postgres_user, _pg_bin

pytestmark = pytest.mark.postgres

EDITOR = ("editor", "newsroom-demo")
DATABASE = "newsroom_replicas"


class Cluster:
    """One PostgreSQL server in ``folder``: started, stopped, asked, and its statement log."""

    def __init__(self, bin_dir, folder, port):
        self.bin_dir, self.folder, self.port = bin_dir, Path(folder), port
        self.data = self.folder / "data"
        self.log = self.folder / "statements.log"

    def url(self, database=DATABASE):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, args, timeout=120):
        return subprocess.run(
            _as_postgres_user(args), check=True, capture_output=True, text=True, timeout=timeout
        )

    def start(self):
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c log_statement=all -c log_line_prefix='%m [%p] '"
        )
        self._run(
            [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-w"]
            + ["-l", str(self.log), "start"]
        )

    def stop(self, mode="fast"):
        try:
            self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "stop"])
        except subprocess.CalledProcessError:
            pass

    def query(self, statement, params=(), database=DATABASE):
        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as db:
            cursor = db.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def log_size(self):
        return self.log.stat().st_size if self.log.exists() else 0

    def log_since(self, offset):
        with open(self.log, "rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")


@pytest.fixture(scope="module")
def clusters():
    bin_dir = _pg_bin()
    if bin_dir is None or not (bin_dir / "pg_basebackup").exists():
        pytest.skip("needs the PostgreSQL server binaries (apt-get install postgresql)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("needs runuser to run PostgreSQL as the postgres user")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-replicas-"))
    (folder / "primary").mkdir()
    (folder / "replica").mkdir()
    if os.geteuid() == 0:
        for path in (folder, folder / "primary", folder / "replica"):
            shutil.chown(path, "postgres", "postgres")
    primary = Cluster(bin_dir, folder / "primary", free_port())
    replica = Cluster(bin_dir, folder / "replica", free_port())
    try:
        primary._run(
            [str(bin_dir / "initdb"), "-D", str(primary.data), "-U", "postgres"]
            + ["--auth=trust", "-E", "UTF8"]
        )
        # initdb's pg_hba.conf lets 127.0.0.1 replicate with trust; wal_level is "replica".
        primary.start()
        primary.query(f"CREATE DATABASE {DATABASE}", database="postgres")
        replica._run(
            [str(bin_dir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port)]
            + ["-U", "postgres", "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast"]
        )
        replica.start()
        assert replica.query("SELECT pg_is_in_recovery()") == [(True,)]
        yield primary, replica
    finally:
        replica.stop("immediate")
        primary.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


class Site:
    def __init__(self, base, primary, replica, processes, name):
        self.base, self.primary, self.replica = base, primary, replica
        self.processes, self.name = processes, name

    def log(self):
        """The end of the app server's log (for a failure's message)."""
        return self.processes.log(self.name)

    def story(self, index=0):
        rows = self.primary.query(
            "SELECT id, slug FROM articles_article WHERE status = 'published' "
            "AND language = 'en' AND publish_at <= now() ORDER BY publish_at, id"
        )
        return rows[index % len(rows)]

    def served_by(self, do, marker):
        """Run ``do()``; which servers' logs show ``marker`` meanwhile, and its result."""
        offsets = self.primary.log_size(), self.replica.log_size()
        result = do()
        time.sleep(0.3)  # the server writes its log line after answering
        logs = self.primary.log_since(offsets[0]), self.replica.log_since(offsets[1])
        found = {
            name for name, text in zip(("primary", "replica"), logs, strict=True) if marker in text
        }
        return found, result


def _start_site(processes, folder, name, primary, replica, **extra):
    port = free_port()
    env = production_environment(
        primary.url(),
        folder,  # static and media: the same for both servers (collectstatic runs once)
        ALLOWED_HOSTS="127.0.0.1",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        DB_CONN_MAX_AGE="60",
        DATABASE_REPLICA_URLS=replica.url(),
        REPLICA_BREAKER_SECONDS="1",
        RATINGS_VOTES_PER_MINUTE="0",
        RATINGS_VOTERS_PER_ADDRESS="0",
        TMPDIR=str(folder),
        **extra,
    )
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    processes.start(name, GUNICORN, env)
    return f"http://127.0.0.1:{port}", env


@pytest.fixture(scope="module")
def sites(clusters):
    """Two app servers on the primary and its replica: lenient (lag 60 s, checked every 30 s)
    and strict (lag 0.5 s, checked every 0.2 s)."""
    primary, replica = clusters
    folder = Path(tempfile.mkdtemp(prefix="newsroom-replicas-app-"))
    processes = Processes(folder)
    try:
        lenient, env = _start_site(
            processes,
            folder,
            "lenient",
            primary,
            replica,
            REPLICA_MAX_LAG_SECONDS="60",
            # Checked rarely: a replica stopped between two checks fails in a request.
            REPLICA_CHECK_SECONDS="30",
        )
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["load_demo", "--articles", "6", "--seed", "3"],
        ):
            manage(*command, env=env)
        strict, _ = _start_site(
            processes,
            folder,
            "strict",
            primary,
            replica,
            REPLICA_MAX_LAG_SECONDS="0.5",
            REPLICA_CHECK_SECONDS="0.2",
        )
        for base in (lenient, strict):
            wait_until_serving(f"{base}/healthz", 90)
        # The replica has replayed the demo content.
        wait_for(
            lambda: (
                replica.query("SELECT count(*) FROM articles_article")
                == primary.query("SELECT count(*) FROM articles_article")
            ),
            30,
            "the replica replaying the demo stories",
        )
        yield (
            Site(lenient, primary, replica, processes, "lenient"),
            Site(strict, primary, replica, processes, "strict"),
        )
    finally:
        processes.stop_all()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def replay_paused(clusters):
    _, replica = clusters
    replica.query("SELECT pg_wal_replay_pause()")
    yield
    replica.query("SELECT pg_wal_replay_resume()")


def _read(site, path):
    status, _, body = fetch(site.base + path)
    return status, body


def test_a_readers_story_page_is_read_from_the_replica(sites):
    lenient, _ = sites
    _, slug = lenient.story()
    path = f"/story/{slug}/"
    assert _read(lenient, path)[0] == 200  # the replica is checked and connected
    found, (status, body) = lenient.served_by(lambda: _read(lenient, path), slug)
    assert status == 200 and slug in body.decode()
    assert found == {"replica"}
    # So are the listings, through the ORM.
    found, (status, _) = lenient.served_by(lambda: _read(lenient, "/"), "articles_article")
    assert status == 200
    assert found == {"replica"}


def test_the_desk_and_editors_stay_on_the_primary(sites):
    lenient, _ = sites
    story_id, slug = lenient.story()
    editor = Browser(lenient.base)
    editor.log_in(*EDITOR)
    found, (status, _, _) = lenient.served_by(
        lambda: editor.get(f"/admin/articles/article/{story_id}/change/"), "articles_article"
    )
    assert status == 200
    assert found == {"primary"}
    # A signed-in editor reading the public page reads the primary too.
    found, (status, _, _) = lenient.served_by(lambda: editor.get(f"/story/{slug}/"), slug)
    assert status == 200
    assert found == {"primary"}


def _vote(site, story_id, cookies=""):
    connection = http.client.HTTPConnection("127.0.0.1", int(site.base.rsplit(":", 1)[1]), 10)
    try:
        connection.request(
            "POST",
            f"/ratings/{story_id}/vote/",
            body=urlencode({"stars": "5", "language": "en-ca"}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": site.base,
                "Cookie": cookies,
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()


def _count(site, story_id, cookies=None):
    headers = {"Cookie": cookies} if cookies else {}
    status, _, body = fetch(f"{site.base}/ratings/{story_id}/", headers=headers)
    assert status == 200, body[:500]
    return json.loads(body)["count"]


def test_a_reader_sees_their_vote_at_once_while_the_replica_is_behind(sites, replay_paused):
    lenient, _ = sites
    story_id, _ = lenient.story(1)
    before = lenient.primary.query(
        "SELECT vote_count FROM ratings_ratingsummary WHERE article_id = %s", [story_id]
    )
    before = before[0][0] if before else 0
    status, set_cookies = _vote(lenient, story_id)
    assert status == 303  # written on the primary (a replica refuses writes)
    cookies = "; ".join(value.split(";", 1)[0] for value in set_cookies)
    assert "newsroom_primary=1" in cookies
    # The voter's next request reads the primary: their vote is counted.
    assert _count(lenient, story_id, cookies) == before + 1
    # Anyone else reads the paused replica (within this site's 60 s): not yet.
    assert _count(lenient, story_id) == before


def test_a_replica_lagging_too_far_is_skipped_until_it_catches_up(sites, replay_paused):
    _, strict = sites
    _, slug = strict.story(2)
    path = f"/story/{slug}/"
    # A write the paused replica does not replay: it falls behind.
    strict.primary.query("CREATE TABLE IF NOT EXISTS lag_probe (at timestamptz)")
    strict.primary.query("INSERT INTO lag_probe VALUES (now())")
    time.sleep(0.5 + 0.2 + 0.3)  # past the allowed lag and the check interval
    found, (status, _) = strict.served_by(lambda: _read(strict, path), slug)
    assert status == 200, strict.log()
    assert found == {"primary"}
    strict.replica.query("SELECT pg_wal_replay_resume()")

    def from_replica():
        return strict.served_by(lambda: _read(strict, path), slug)[0] == {"replica"}

    wait_for(from_replica, 10, "reads back on the replica once it caught up", interval=0.3)


def test_a_stopped_replica_is_skipped_without_an_error(sites):
    lenient, strict = sites
    _, slug = lenient.story(3)
    path = f"/story/{slug}/"
    for site in (lenient, strict):
        assert _read(site, path)[0] == 200
        assert site.served_by(lambda site=site: _read(site, path), slug)[0] == {"replica"}
    lenient.replica.stop("fast")
    try:
        for site in (lenient, strict):
            for _ in range(5):  # the open connection breaks, then the check fails, then skip
                found, (status, _) = site.served_by(lambda site=site: _read(site, path), slug)
                assert status == 200, site.log()
                assert found == {"primary"}
            assert _read(site, "/")[0] == 200
    finally:
        lenient.replica.start()
