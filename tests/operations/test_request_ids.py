"""One request id follows a save from the editor's click to the worker's log line.

Real processes: a production gunicorn and a Celery worker (the image's commands) sharing a
SQLite file and the broker in Redis database 10, both logging JSON lines. The save is sent
as nginx would send it, with an ``X-Request-ID`` header from a trusted proxy.
"""

import json
import secrets
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from devtools.cluster import (
    GUNICORN,
    Browser,
    Processes,
    fetch,
    form_fields,
    free_port,
    manage,
    production_environment,
    replace,
    wait_for,
    wait_until_serving,
)
from newsroom import logs

BROKER = "redis://127.0.0.1:6379/10"

SETUP = """
from django.contrib.auth import get_user_model
from tests.factories import ArticleFactory
get_user_model().objects.create_superuser("chief", "chief@example.ca", "request-id-test")
print(ArticleFactory(status="published", headline="Ferry service resumes").pk)
"""


def json_lines(text):
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                pass
    return found


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {BROKER}")
    for queue in ("default", "related"):  # nothing left over from an earlier run
        client.delete(queue)
    yield BROKER
    client.close()


@pytest.mark.once  # its own site on SQLite in tmp_path, whatever DATABASE_URL says
def test_a_saves_request_id_appears_in_the_workers_line_for_the_task_it_queued(tmp_path, broker):
    env = production_environment(
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        tmp_path,
        CELERY_BROKER_URL=broker,
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        TRUSTED_PROXIES="127.0.0.1",
        GUNICORN_ACCESS_LOG="",
        WEB_CONCURRENCY="1",
        RELATED_NIGHTLY_REBUILD="false",
    )
    env.pop("REDIS_URL", None)
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    story_id = int(manage("shell", "-c", SETUP, env=env).strip().splitlines()[-1])
    processes = Processes(tmp_path)
    try:
        port = free_port()
        processes.start("web", GUNICORN, {**env, "BIND": f"127.0.0.1:{port}"})
        celery = str(Path(sys.executable).parent / "celery")
        processes.start(
            "worker",
            [
                celery,
                "--app=newsroom",
                "worker",
                "--queues=default,related",
                "--pool=solo",
                "--hostname=request-ids@%h",
                "--loglevel=info",
            ],
            env,
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{base}/healthz", 60)
        wait_for(lambda: "ready" in processes.log("worker", 20000), 60, "the worker ready")

        editor = Browser(base)
        editor.log_in("chief", "request-id-test")
        path = f"/admin/articles/article/{story_id}/change/"
        status, _, page = editor.get(path)
        assert status == 200
        fields = replace(
            form_fields(page, "article_form"),
            headline="Ferry service resumes at dawn",
            change_kind="minor",  # a public story says what kind of change it is
            _save="Save",
        )

        request_id = secrets.token_hex(16)  # as nginx's $request_id
        status, headers, body = fetch(
            base + path,
            "POST",
            urlencode(fields).encode(),
            {
                "Cookie": "; ".join(f"{k}={v}" for k, v in editor.cookies.items()),
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Request-ID": request_id,
            },
        )
        assert status == 302, body[:2000]
        assert headers["X-Request-ID"] == request_id

        web_line = wait_for(
            lambda: next(
                (
                    line
                    for line in json_lines(processes.log("web", 200000))
                    if line.get("request_id") == request_id and line.get("method") == "POST"
                ),
                None,
            ),
            10,
            "the save's line in the web server's log",
        )
        assert web_line["path"] == path and web_line["status"] == 302
        worker_line = wait_for(
            lambda: next(
                (
                    line
                    for line in json_lines(processes.log("worker", 200000))
                    if line.get("request_id") == request_id
                    and "articles.tasks.refresh_story" in line.get("message", "")
                ),
                None,
            ),
            30,
            "the worker's line for the refresh the save queued",
        )
        assert worker_line["logger"] == "newsroom.signal_handlers"
    finally:
        processes.stop_all()


def test_a_request_id_from_anyone_but_our_proxy_is_replaced(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    forged = "forged-by-a-reader-0001"
    response = client.get("/healthz", HTTP_X_REQUEST_ID=forged, REMOTE_ADDR="203.0.113.9")
    assert response["X-Request-ID"] != forged and len(response["X-Request-ID"]) == 32
    response = client.get("/healthz", HTTP_X_REQUEST_ID=forged, REMOTE_ADDR="127.0.0.1")
    assert response["X-Request-ID"] == forged
    response = client.get("/healthz", HTTP_X_REQUEST_ID='bad id "quoted"', REMOTE_ADDR="127.0.0.1")
    assert response["X-Request-ID"] != 'bad id "quoted"'
    assert logs.current() is None  # nothing left behind in this thread
