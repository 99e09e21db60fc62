"""Hung services: a broker or a cache that accepts connections and never answers.

Each test puts a black hole (tests/production/blackhole.py) where Redis should be, with the
production timeouts (newsroom/settings.py), and measures what an editor or a reader waits.
Bounds are generous for a busy two-core machine and far below what a hung service cost before
(a save: 30 s, gunicorn's timeout; a page: about 5 s).
"""

import signal
import statistics
import threading
import time

import pytest
from django.core.cache import caches
from django.test import Client
from kombu import pools as kombu_pools

from articles import events, tasks
from articles.models import Article
from newsroom import breaker, pagecache
from newsroom.celery import app as celery_app
from ratings.addresses import address_hash
from ratings.limits import over_rate_limit
from tests.factories import ArticleFactory
from tests.production.blackhole import BlackHole

pytestmark = pytest.mark.django_db

SAVE_BOUND = 2.0  # seconds an editor may wait for a save, whatever the broker does


@pytest.fixture(autouse=True)
def _closed_breakers():
    breaker.reset_all()
    yield
    breaker.reset_all()


@pytest.fixture
def hole():
    with BlackHole() as server:
        yield server


@pytest.fixture(scope="module")
def broker_hole():
    # One for the module: Celery keeps its producer pool for the first broker it sends to.
    with BlackHole() as server:
        yield server


@pytest.fixture
def hung_broker(broker_hole):
    """Celery sends to the black hole (production settings otherwise); eager again after."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=broker_hole.url(), task_always_eager=False)
    _forget_broker_connections()
    yield broker_hole
    celery_app.conf.update(saved)
    _forget_broker_connections()


def _forget_broker_connections():
    """Celery keeps the connection and producer pools of the broker it first sent to (an
    earlier test's, even ``memory://``): drop them so the next send opens one to the
    configured broker. Celery offers no public call for this (``close()`` also unregisters
    the app, and shared tasks then go to another one); ``amqp`` is a cached property."""
    kombu_pools.reset()  # kombu's own registry of producer pools, keyed by broker
    celery_app._pool = None
    del celery_app.amqp


@pytest.fixture
def hung_cache(hole, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": hole.url(),
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,  # the production timeouts
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    yield hole
    caches["default"].close()


def _within(seconds, work):
    """Run ``work`` in a thread; its run time, or fail if it takes longer than ``seconds``.

    A thread, so a hung call fails the test instead of hanging the suite.
    """
    done = threading.Event()
    took = []

    def run():
        started = time.monotonic()
        work()
        took.append(time.monotonic() - started)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(seconds), f"still waiting after {seconds} s"
    return took[0]


def test_queuing_a_saved_storys_work_answers_within_two_seconds_when_the_broker_hangs(
    hung_broker, django_capture_on_commit_callbacks
):
    """The save's after-commit step gives up quickly; later ones skip the hung broker."""
    with django_capture_on_commit_callbacks(execute=False):
        article = ArticleFactory(headline="Saved while the broker hung")
    first = _within(SAVE_BOUND, lambda: events.queue("story", article.pk))
    accepted = hung_broker.accepted
    assert accepted >= 1  # it really tried the black hole
    second = _within(SAVE_BOUND, lambda: events.queue("renditions", 1))
    assert second < 0.1, "a second send waited on the broker its process knows is hung"
    assert hung_broker.accepted == accepted
    assert first < SAVE_BOUND


def test_work_lost_to_a_hung_broker_is_done_by_the_sweep_once_a_broker_answers(
    hung_broker, django_capture_on_commit_callbacks, monkeypatch
):
    """Nothing is lost: the story stays due, and the sweep queues it when the broker is back."""
    with django_capture_on_commit_callbacks(execute=False):
        article = ArticleFactory()
    _within(SAVE_BOUND, lambda: events.queue("story", article.pk))
    article.refresh_from_db()
    assert article.derived_version != article.version  # still due
    # The broker answers again (here: tasks run in this process, as without a broker), and
    # the sweep runs in a worker, whose breaker knows nothing of this process's failure.
    celery_app.conf.update(task_always_eager=True)
    breaker.reset_all()
    monkeypatch.setattr(tasks, "RECONCILE_GRACE_SECONDS", -60)
    assert tasks.reconcile() == (1, 0)
    article.refresh_from_db()
    assert article.derived_version == article.version


def _median_time(client, urls, rounds):
    times = []
    for _ in range(rounds):
        for url in urls:
            started = time.monotonic()
            response = client.get(url)
            times.append(time.monotonic() - started)
            assert response.status_code == 200, url
    return statistics.median(times), sum(times)


def test_pages_stay_within_twice_their_normal_time_when_the_cache_hangs(settings, hole):
    """Short timeouts and the breaker: a hung Redis costs one timeout, then none."""
    article = ArticleFactory(tags=["Storms"])
    urls = ["/", article.get_absolute_url(), "/tag/storms/"]
    reader = Client()
    # Normal: every page rendered fresh (what a cache miss costs), with a working cache.
    settings.PAGE_CACHE_SECONDS = 0
    _median_time(reader, urls, 1)  # templates, translations and URL tables loaded
    normal, _ = _median_time(reader, urls, 5)
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": hole.url(),
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    pagecache._local.clear()
    try:
        hung, total = _median_time(reader, urls, 5)
    finally:
        caches["default"].close()
    assert hung <= 2 * normal + 0.02, (hung, normal)
    # All fifteen pages together paid about one timeout, not one per cache call.
    assert total <= 15 * 2 * normal + 1.0, (total, normal)
    assert hole.accepted >= 1


def test_healthz_reports_a_hung_cache_as_degraded_quickly_and_strict_mode_answers_503(
    hung_cache, client
):
    """A load balancer keeps the server; monitoring and ?strict=1 see the cache is out."""
    first = _within(2.0, lambda: client.get("/healthz"))
    assert first < 1.5
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 0.1  # the breaker answers, Redis is not asked again
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "unreachable"
    assert response["X-Health-Status"] == "degraded"
    strict = client.get("/healthz?strict=1")
    assert strict.status_code == 503
    assert strict["X-Health-Status"] == "degraded"


def test_healthz_strict_mode_answers_200_when_everything_answers(client):
    response = client.get("/healthz?strict=1")
    assert response.status_code == 200
    assert response["X-Health-Status"] == "ok"


def test_the_vote_speed_limit_fails_open_at_once_when_the_cache_hangs(hung_cache, settings):
    """A speed limit is not worth readers' votes in an outage; the per-story cap still holds."""
    settings.RATINGS_VOTES_PER_MINUTE = 1
    client_hash = address_hash("198.51.100.80")
    assert over_rate_limit(client_hash) is False  # pays the one timeout
    accepted = hung_cache.accepted
    started = time.monotonic()
    assert [over_rate_limit(client_hash) for _ in range(5)] == [False] * 5
    assert time.monotonic() - started < 0.1
    assert hung_cache.accepted == accepted


def test_the_cache_breaker_skips_redis_after_a_failure_then_lets_one_probe_through():
    """Per process: open after a failure, then a single caller probes; success closes it."""
    gate = breaker.CircuitBreaker("test service", seconds=3600)
    assert gate.allow()
    gate.failed()
    assert gate.is_open and not gate.allow()
    gate.seconds = 0
    gate.failed()  # open, with its period already over
    assert gate.allow()  # the probe
    assert not gate.allow()  # everyone else while the probe is out
    gate.succeeded()
    assert not gate.is_open and gate.allow() and gate.allow()


def test_a_failed_probe_opens_the_cache_breaker_again():
    gate = breaker.CircuitBreaker("test service", seconds=0)
    gate.failed()
    assert gate.allow()
    gate.seconds = 3600
    gate.failed()
    assert not gate.allow()


def test_a_cache_breaker_is_shared_by_every_cache_instance_for_the_same_redis(hung_cache, settings):
    """Django makes one cache instance per thread; the process learns of an outage once."""
    from newsroom.cache import RedisCache

    first = caches["default"]
    other = RedisCache(hung_cache.url(), {"OPTIONS": settings.REDIS_CACHE_OPTIONS})
    first.get("k")
    assert first.circuit_open and other.circuit_open


def test_an_editor_publishing_through_the_story_form_is_answered_within_two_seconds_when_the_broker_hangs(  # noqa: E501
    hung_broker, client, django_capture_on_commit_callbacks
):
    """The whole save, form to redirect, with the after-commit sends run: not 30 s, no 500."""
    from tests.admin.story_form import change_url, story_form_data
    from tests.factories import SectionFactory, StaffFactory

    editor = StaffFactory(username="hung-editor", group="Editor")
    client.force_login(editor)
    article = ArticleFactory(
        headline="Storm closes the Confederation Bridge",
        section=SectionFactory(name="Canada", slug="canada"),
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    data = story_form_data(article, status="published")

    # In this thread (the test database's connection is this thread's), with an alarm that
    # fails the test instead of hanging the suite if the save waits on the broker for good.
    def hung(signum, frame):
        raise TimeoutError("the save is still waiting on the broker")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(change_url(article), data)
        took = time.monotonic() - started
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert response.status_code == 302, response.status_code
    assert took < SAVE_BOUND, took
    assert hung_broker.accepted >= 1  # it really tried the black hole
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED  # committed, and still due for the sweep
    assert article.derived_version != article.version
