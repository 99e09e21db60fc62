"""Which reads may go to a replica, decided per request (newsroom/replicas.py).

The replica itself is exercised for real in tests/production/test_read_replicas.py; these
check the rules on any database.
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from newsroom import replicas

rf = RequestFactory()


@pytest.fixture
def one_replica(monkeypatch):
    """A replica alias that is always fresh (nothing connects to it here)."""
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_0"])
    monkeypatch.setattr(replicas._states, "state", lambda alias: (True, 10**12))


def reads_during(request):
    """The alias the ORM reads a story from while ``request`` is served, and the response."""
    seen = {}

    def view(request):
        seen["story"] = replicas.ReplicaRouter().db_for_read(Article)
        seen["session"] = replicas.ReplicaRouter().db_for_read(Session)
        seen["user"] = replicas.ReplicaRouter().db_for_read(User)
        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(view)(request)
    return seen, response


def test_an_anonymous_readers_page_reads_from_the_replica(one_replica):
    seen, response = reads_during(rf.get("/story/a/"))
    assert seen["story"] == "replica_0"
    assert "newsroom_primary" not in response.cookies


def test_sessions_and_users_are_always_read_from_the_primary(one_replica):
    seen, _ = reads_during(rf.get("/story/a/"))
    assert seen["session"] == seen["user"] == "default"


@pytest.mark.parametrize(
    "request_",
    [
        rf.post("/ratings/1/vote/"),
        rf.get("/admin/articles/article/"),
        rf.get("/story/a/", HTTP_COOKIE="sessionid=abc"),
        rf.get("/story/a/", HTTP_COOKIE="newsroom_primary=1"),
    ],
    ids=["a POST", "the admin", "a signed-in session", "a client that just wrote"],
)
def test_these_requests_read_from_the_primary(one_replica, request_):
    seen, _ = reads_during(request_)
    assert seen["story"] == "default"


def test_a_write_keeps_the_client_on_the_primary_for_a_few_seconds(one_replica, settings):
    settings.REPLICA_STICKY_SECONDS = 7
    _, response = reads_during(rf.post("/ratings/1/vote/"))
    cookie = response.cookies["newsroom_primary"]
    assert cookie["max-age"] == 7
    assert cookie["httponly"]


def test_a_request_that_writes_reads_from_the_primary_afterwards(one_replica):
    seen = []

    def view(request):
        router = replicas.ReplicaRouter()
        seen.append(router.db_for_read(Article))
        assert router.db_for_write(Article) == "default"
        seen.append(router.db_for_read(Article))
        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(view)(rf.get("/story/a/"))
    assert seen == ["replica_0", "default"]
    assert "newsroom_primary" in response.cookies


def test_a_page_to_be_kept_is_read_from_the_primary_until_the_replica_has_the_change(
    monkeypatch,
):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_0"])
    monkeypatch.setattr(replicas._states, "state", lambda alias: (True, 1000.0))
    seen = []

    def view(request):
        seen.append(replicas.read_alias())
        replicas.require_fresh_as_of(999.0)  # invalidated before the replica's known state
        seen.append(replicas.read_alias())
        replicas.require_fresh_as_of(1001.0)  # invalidated after it: the replica may lack it
        seen.append(replicas.read_alias())
        return HttpResponse("ok")

    replicas.ReplicaMiddleware(view)(rf.get("/"))
    assert seen == ["replica_0", "replica_0", "default"]


def test_outside_a_request_everything_reads_from_the_primary(one_replica):
    """Celery tasks, management commands, migrations."""
    assert replicas.ReplicaRouter().db_for_read(Article) == "default"
    assert replicas.read_alias() == "default"


def test_migrations_run_on_the_primary_only():
    router = replicas.ReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica_0", "articles")


def test_without_replicas_the_middleware_does_nothing():
    seen, response = reads_during(rf.post("/ratings/1/vote/"))
    assert seen["story"] == "default"
    assert "newsroom_primary" not in response.cookies


@pytest.mark.django_db
def test_the_page_cache_asks_for_data_as_fresh_as_its_last_invalidation(
    page_cache_on, monkeypatch, client
):
    from newsroom import pagecache
    from tests.factories import ArticleFactory

    asked = []
    monkeypatch.setattr(replicas, "require_fresh_as_of", asked.append)
    article = ArticleFactory()
    pagecache.bump(f"story:{article.slug}")
    generation = pagecache._cache().get(pagecache._gen_key(f"story:{article.slug}"))
    assert client.get(article.get_absolute_url()).status_code == 200
    assert asked and asked[-1] >= generation / 1e9
    asked.clear()
    assert client.get(article.get_absolute_url()).status_code == 200  # kept: no render
    assert asked == []
