"""Every page-cache invalidation purges the same keys in front, coalesced and never in the way."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from articles import workflow
from articles.models import Article
from cdn import backends, purge, tasks
from newsroom import breaker as breakers
from newsroom import pagecache
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpublish(django_capture_on_commit_callbacks):
    """Unpublish a story as the desk's bulk action does, running what follows the commit."""

    def unpublish(article):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.move(article, Article.Status.UNPUBLISHED, by=StaffFactory(group="Editor"))

    return unpublish


@pytest.fixture
def purged(settings, monkeypatch):
    """Varnish as the cache in front; the keys of each purge sent, in order."""
    settings.CDN_PURGE_BACKEND = "varnish"
    settings.CDN_PURGE_URLS = ["http://127.0.0.1:9"]
    sent = []
    monkeypatch.setattr(backends.Varnish, "purge", lambda self, keys: sent.append(list(keys)))
    return sent


def test_a_bump_purges_the_same_groups_in_front(purged):
    pagecache.bump("home", "story:a-story")
    # "api": the public API's answers are bumped with every bump (api/cached_answers.py).
    assert purged == [["api", "home", "story:a-story"]]


def test_nothing_is_sent_without_a_purge_backend(settings, monkeypatch):
    settings.CDN_PURGE_BACKEND = "none"
    monkeypatch.setattr(purge, "send", lambda keys: pytest.fail("sent a purge"))
    pagecache.bump("home")


def test_unpublishing_a_story_purges_its_page_and_the_pages_listing_it(purged, unpublish):
    article = ArticleFactory(tags=["Wildfires"])
    purged.clear()
    unpublish(article)
    keys = {key for batch in purged for key in batch}
    assert {f"story:{article.slug}", "home", f"section:{article.section.slug}"} <= keys
    assert "tag:wildfires" in keys


@pytest.fixture
def with_worker(purged, settings, monkeypatch):
    """A broker and Redis as in production (Redis database 11); the tasks sent, not run."""
    import redis

    url = "redis://127.0.0.1:6379/11"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"needs Redis at {url}: {exc}")
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "cdn-purge-test",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(purge, "send", sent.append)
    from django.core.cache import cache

    cache.delete_many([purge.PENDING, purge.FLUSH_QUEUED])
    yield sent
    cache.delete_many([purge.PENDING, purge.FLUSH_QUEUED])


def run_as_worker(keys=()):
    tasks.purge.push_request(is_eager=False, retries=0)
    try:
        tasks.purge.run(list(keys), again=False)
    finally:
        tasks.purge.pop_request()


def test_a_burst_of_bumps_is_one_purge_task_and_one_request(with_worker, purged):
    """With a worker, keys wait in Redis and one task takes them all."""
    for number in range(50):
        pagecache.bump(f"story:s{number}", "home")
    assert with_worker == [[]]  # one task, the keys waiting in Redis
    run_as_worker()
    assert len(purged) == 1
    assert set(purged[0]) == {"api", "home", *(f"story:s{n}" for n in range(50))}
    # The worker took them: a change from then on queues the next task, with only its keys.
    pagecache.bump("story:s1")
    assert with_worker == [[], []]
    run_as_worker()
    assert purged[-1] == ["api", "story:s1"]


def test_without_redis_the_keys_travel_in_the_task(with_worker, settings):
    settings.REDIS_URL = None
    pagecache.bump("home", "story:a")
    assert with_worker == [["api", "home", "story:a"]]


def test_a_cdn_that_fails_never_fails_the_save_and_is_skipped_for_a_while(
    settings, unpublish, caplog
):
    settings.CDN_PURGE_BACKEND = "varnish"
    settings.CDN_PURGE_URLS = ["http://127.0.0.1:9"]  # discard port: refused at once
    calls = []
    original = backends.Varnish.purge

    def counted(self, keys):
        calls.append(keys)
        return original(self, keys)

    backends.Varnish.purge = counted
    try:
        article = ArticleFactory()
        unpublish(article)
        assert Article.objects.get(pk=article.pk).status == Article.Status.UNPUBLISHED
        assert len(calls) == 1
        pagecache.bump("home")  # the breaker is open: not asked again at once
        assert len(calls) == 1
    finally:
        backends.Varnish.purge = original
        breakers.reset_all()
    assert "CDN purge" in caplog.text


def test_public_answers_carry_their_surrogate_keys_and_private_ones_none(page_cache_on, unpublish):
    article = ArticleFactory()
    client = Client()
    story = client.get(article.get_absolute_url())
    assert story["Surrogate-Key"] == f"site story:{article.slug} lang:en-ca"
    assert client.get("/")["Surrogate-Key"] == "site home lang:en-ca"
    french = client.get("/fr/")
    assert french["Surrogate-Key"] == "site home lang:fr-ca"
    # The 404 that replaces an unpublished story is filed under its key too.
    unpublish(article)
    gone = client.get(article.get_absolute_url())
    assert gone.status_code == 404
    assert gone["Surrogate-Key"] == f"site story:{article.slug} lang:en-ca"
    summary = client.get(f"/ratings/{ArticleFactory().pk}/")
    assert "Surrogate-Key" not in summary


def test_stale_while_revalidate_only_when_changed_pages_are_purged(settings, client):
    article = ArticleFactory()
    settings.CDN_PURGE_BACKEND = "none"
    plain = client.get(article.get_absolute_url())["Cache-Control"]
    assert "stale-while-revalidate" not in plain
    assert "s-maxage=60" in plain
    settings.CDN_PURGE_BACKEND = "varnish"
    settings.CDN_PURGE_URLS = ["http://127.0.0.1:9"]
    purging = client.get(article.get_absolute_url())["Cache-Control"]
    assert "stale-while-revalidate=60" in purging


def test_the_worker_purges_again_a_moment_later(purged, settings, monkeypatch):
    later = []
    monkeypatch.setattr(
        tasks.purge, "apply_async", lambda args, kwargs, countdown: later.append(countdown)
    )
    settings.CDN_REPURGE_SECONDS = 2.0
    tasks.purge.push_request(is_eager=False, retries=0)  # as the worker runs it
    try:
        tasks.purge.run(["home"])
    finally:
        tasks.purge.pop_request()
    assert purged == [["home"]]
    assert later == [2.0]


def test_purge_cdn_command(purged, settings):
    call_command("purge_cdn", "story:one", "lang:fr-ca")
    call_command("purge_cdn", "--all")
    assert purged == [["lang:fr-ca", "story:one"], ["site"]]
    with pytest.raises(CommandError, match="at least one"):
        call_command("purge_cdn")
    settings.CDN_PURGE_BACKEND = "none"
    with pytest.raises(CommandError, match="no cache in front"):
        call_command("purge_cdn", "home")


def test_the_copy_handed_out_while_a_page_re_renders_is_not_kept_in_front(
    page_cache_on, client, django_capture_on_commit_callbacks
):
    """It may predate an unpublish the CDN was just purged of."""
    from django.test import RequestFactory

    article = ArticleFactory(headline="Original headline")
    url = article.get_absolute_url()
    first = client.get(url)
    assert b"Original headline" in first.content
    assert "s-maxage=60" in first["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "Corrected headline"
        article.describe_change("correction", "The headline misstated the result.")
        article.save()
    request = RequestFactory().get(url)
    request.LANGUAGE_CODE = "en-ca"
    key, _group = pagecache.page_identity(request, "articles:detail", {"slug": article.slug})
    assert pagecache.claim_render(key)  # another request is rendering the page again
    outdated = client.get(url)
    assert b"Original headline" in outdated.content
    assert outdated["Cache-Control"] == "public, max-age=0, s-maxage=0"
    pagecache._cache().delete(pagecache._render_lock_key(key))
    fresh = client.get(url)
    assert b"Corrected headline" in fresh.content
    assert "s-maxage=60" in fresh["Cache-Control"]
