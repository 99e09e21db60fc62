"""A throw-away PostgreSQL server and a production app server for the fault tests.

The fault tests restart PostgreSQL, so they never touch the shared server: they start
their own in a temporary folder on port 8159 (run as the ``postgres`` user when the tests
run as root), and a gunicorn with production settings on port 8157 that uses it.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from devtools.cluster import (
    GUNICORN,
    ROOT,
    CannotStart,
    Processes,
    manage,
    production_environment,
    start_seaweedfs,
    wait_until_serving,
)

PG_PORT = 8159
APP_PORT = 8157


@pytest.fixture(autouse=True)
def _empty_local_page_copies():
    from newsroom import pagecache

    pagecache._local.clear()
    yield
    pagecache._local.clear()


def _pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres_user(args):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _port_free(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


class ThrowawayPostgres:
    def __init__(self, bin_dir, folder):
        self.bin_dir, self.folder = bin_dir, folder
        self.data = folder / "data"
        self.url = f"postgres://postgres@127.0.0.1:{PG_PORT}/newsroom_fault"

    def _ctl(self, *args):
        options = f"-p {PG_PORT} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres_user(
                [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", *args]
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def create(self):
        subprocess.run(
            _as_postgres_user(
                [
                    str(self.bin_dir / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        self._ctl("-l", str(self.folder / "log"), "start")

    def restart(self):
        """A fast restart: sessions are cut, in-flight transactions roll back."""
        self._ctl("-l", str(self.folder / "log"), "-m", "fast", "restart")

    def stop(self):
        try:
            self._ctl("-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass

    def query(self, statement, params=(), database="newsroom_fault"):
        """Rows of one statement, on a fresh connection (it survives restarts)."""
        url = f"postgres://postgres@127.0.0.1:{PG_PORT}/{database}"
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def throwaway_postgres():
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("needs PostgreSQL server binaries (apt-get install postgresql)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("needs runuser to start PostgreSQL as the postgres user")
    if not _port_free(PG_PORT):
        pytest.skip(f"port {PG_PORT} is in use")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-fault-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = ThrowawayPostgres(bin_dir, folder)
    try:
        server.create()
        server.query("CREATE DATABASE newsroom_fault", database="postgres")
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def app_environment(database_url, workdir, **extra):
    return production_environment(
        database_url,
        workdir,
        ALLOWED_HOSTS="127.0.0.1",
        DB_CONN_MAX_AGE="60",  # persistent connections: the restart really cuts them
        BIND=f"127.0.0.1:{APP_PORT}",
        WEB_CONCURRENCY="3",
        RATINGS_VOTES_PER_MINUTE="0",
        RATINGS_VOTERS_PER_ADDRESS="0",
        **extra,
    )


@pytest.fixture(scope="module")
def production_server(throwaway_postgres):
    """gunicorn with production settings on the throw-away database, with demo stories."""
    if not _port_free(APP_PORT):
        pytest.skip(f"port {APP_PORT} is in use")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-fault-app-"))
    env = app_environment(throwaway_postgres.url, workdir)
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_demo", "--articles", "5", "--seed", "7"],
    ):
        manage(*command, env=env)
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        GUNICORN,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{APP_PORT}"
    try:
        wait_until_serving(f"{base}/healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def seaweedfs():
    """One SeaweedFS (S3-compatible store) for the whole run; its S3 endpoint URL.

    Tests that need media on a real object store each make a bucket of their own in it.
    """
    folder = Path(tempfile.mkdtemp(prefix="newsroom-seaweedfs-"))
    processes = Processes(folder)
    try:
        try:
            endpoint = start_seaweedfs(processes, folder)
        except CannotStart as exc:
            pytest.skip(f"needs SeaweedFS: {exc}")
        yield endpoint
    finally:
        processes.stop_all()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def admin_browser():
    """A signed-in superuser's client that gets a server error as a 500, as a browser would."""
    from django.test import Client

    from tests.factories import UserFactory

    client = Client(raise_request_exception=False)
    user = UserFactory(is_staff=True, is_superuser=True)
    user.save()  # the factory sets the password without saving it; the session checks it
    client.force_login(user)
    return client
