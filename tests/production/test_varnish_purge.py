"""Varnish in front, as a CDN would be: a story unpublished in the desk is gone from it at once.

Real processes: a production gunicorn (SQLite in a temporary folder, no broker, so the purge
is sent inline once the save commits, as the worker would send it), and varnishd with the
repository's VCL (``deploy/varnish/``, only the backend's port replaced) in front of it.
Editors work on the app server; readers ask Varnish. Skipped, saying why, without varnishd.
"""

import os
import re
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest

from devtools import varnish
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

EDITOR = ("editor", "newsroom-demo")
# "Within a second" of the editor's save returning.
GONE_WITHIN_SECONDS = 1.0


class Site:
    def __init__(self, app, front, database):
        self.app, self.front, self.database = app, front, database

    def stories(self, count):
        with sqlite3.connect(self.database) as db:
            return db.execute(
                "SELECT id, slug FROM articles_article WHERE status = 'published' "
                "AND language = 'en' ORDER BY publish_at, id LIMIT ?",
                (count,),
            ).fetchall()

    def read(self, path):
        """``(status, X-Cache, headers)`` of a reader's request to Varnish."""
        status, headers, _ = fetch(self.front + path)
        return status, headers.get("X-Cache"), headers


def _vcls():
    names = ["newsroom.vcl"]
    if Path("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so").exists() or any(
        Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")
    ):
        names.append("newsroom-xkey.vcl")
    return names


@pytest.fixture(scope="module")
def app_server():
    if varnish.binary() is None:
        pytest.skip("needs Varnish (apt-get install varnish; scripts/test installs it as root)")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    processes = Processes(folder)
    database = folder / "site.sqlite3"
    app_port, front_port = free_port(), free_port()
    env = production_environment(
        f"sqlite:///{database}",
        folder,
        BIND=f"127.0.0.1:{app_port}",
        WEB_CONCURRENCY="2",
        CDN_PURGE_BACKEND="varnish",
        CDN_PURGE_URLS=f"http://127.0.0.1:{front_port}",
        RATINGS_VOTES_PER_MINUTE="0",
        TMPDIR=str(folder),
    )
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    try:
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["load_demo", "--articles", "6", "--seed", "5"],
        ):
            manage(*command, env=env)
        processes.start("gunicorn", GUNICORN, env)
        wait_until_serving(f"http://127.0.0.1:{app_port}/healthz", 90)
        yield folder, processes, app_port, front_port, database
    finally:
        processes.stop_all()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module", params=_vcls())
def site(request, app_server):
    folder, processes, app_port, front_port, database = app_server
    try:
        args = varnish.prepare(folder / request.param, front_port, app_port, request.param)
    except varnish.VarnishRefused as exc:
        raise AssertionError(f"varnishd refuses {request.param}:\n{exc}") from exc
    processes.start("varnish", args, os.environ)
    front = f"http://127.0.0.1:{front_port}"
    try:
        wait_for(lambda: fetch(f"{front}/healthz")[0] == 200, 30, "Varnish in front of the app")
        yield Site(f"http://127.0.0.1:{app_port}", front, database)
    finally:
        processes.stop("varnish")


def _changelist_token(browser):
    status, _, page = browser.get("/admin/articles/article/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the story list"
    return [("csrfmiddlewaretoken", token.group(1))]


def _move(editor, action, story_id):
    status, _, page = editor.post(
        "/admin/articles/article/",
        [
            *_changelist_token(editor),
            ("action", action),
            ("index", "0"),
            ("_selected_action", str(story_id)),
        ],
    )
    assert status == 302, f"{action} failed ({status}): {page[:2000]}"
    return time.monotonic()


def _gone_after(site, path, saved, status):
    answered = wait_for(
        lambda: site.read(path)[0] == status and time.monotonic(),
        5,
        f"{path} answering {status} through Varnish",
        interval=0.05,
    )
    return answered - saved


def test_varnish_keeps_public_pages_by_their_keys_and_hides_them_from_readers(site):
    (_, slug), *_ = site.stories(1)
    path = f"/story/{slug}/"
    first, second = site.read(path), site.read(path)
    assert first[:2] == (200, "MISS")
    assert second[:2] == (200, "HIT")
    # The site files the page under its keys; Varnish keeps them to itself.
    status, headers, _ = fetch(site.app + path)
    assert status == 200
    assert headers["Surrogate-Key"].split() == ["site", f"story:{slug}", "lang:en-ca"]
    assert "Surrogate-Key" not in second[2]
    assert "X-Accel-Expires" not in second[2]
    # With purging on, the CDN may revalidate in the background: a changed page is purged.
    assert "stale-while-revalidate=60" in second[2]["Cache-Control"]


def test_a_story_unpublished_in_the_desk_is_gone_from_varnish_within_a_second(site):
    _, (story_id, slug) = site.stories(2)
    path = f"/story/{slug}/"
    site.read(path)
    assert site.read(path)[:2] == (200, "HIT")
    # Listings showing it are in front too, and forget it with it.
    assert site.read("/")[0] == 200
    home_before = site.read("/")
    assert home_before[1] == "HIT"

    editor = Browser(site.app)
    editor.log_in(*EDITOR)
    saved = _move(editor, "unpublish_selected", story_id)
    took = _gone_after(site, path, saved, 404)
    print(f"unpublished story gone from Varnish {took:.3f} s after the save returned")
    assert took <= GONE_WITHIN_SECONDS
    assert site.read("/")[1] == "MISS"  # the home page was purged with it
    assert slug not in fetch(site.front + "/")[2].decode()

    # The 404 Varnish now holds is filed under the story's key: published again, it is back.
    saved = _move(editor, "publish_selected", story_id)
    took = _gone_after(site, path, saved, 200)
    print(f"republished story back through Varnish {took:.3f} s after the save returned")
    assert took <= GONE_WITHIN_SECONDS


def test_only_the_site_may_purge_and_only_with_well_formed_keys(site):
    status, _, _ = fetch(site.front + "/", "PURGE", headers={"xkey-purge": "site) | (.*"})
    assert status == 400
    (_, slug), *_ = site.stories(1)
    path = f"/story/{slug}/"
    site.read(path)
    assert site.read(path)[1] == "HIT"
    assert fetch(site.front + "/", "PURGE", headers={"xkey-purge": "home"})[0] == 200
    assert site.read(path)[1] == "HIT"  # another key: this page stays
    assert fetch(site.front + "/", "PURGE", headers={"xkey-purge": f"story:{slug}"})[0] == 200
    assert site.read(path)[1] == "MISS"
