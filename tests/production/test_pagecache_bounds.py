"""Random ?page= and ?q= values cannot fill the page cache (real Redis, db 7, own prefix)."""

import contextlib
import os
import random
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from newsroom import pagecache
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("PAGECACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@contextlib.contextmanager
def redis_page_cache(**extra_settings):
    """Real Redis as the page cache for one test; only its own prefixed keys are deleted."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    caches_setting = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"pagecache-bounds-{uuid.uuid4().hex}",
        },
    }
    with override_settings(
        CACHES=caches_setting,
        PAGE_CACHE_ALIAS="pages",
        PAGE_CACHE_SECONDS=600,
        PAGE_CACHE_LOCAL_SECONDS=0,
        **extra_settings,
    ):
        cache = caches["pages"]
        try:
            yield lambda: len(cache.keys("*"))
        finally:
            cache.delete_pattern("*")
            cache.close()


@pytest.fixture
def section():
    section = SectionFactory(slug="canada")
    for n in range(25):  # two pages
        ArticleFactory(section=section, headline=f"Council story {n:02d}")
    return section


def test_random_page_numbers_add_no_cache_entries(client, section):
    """200 random ?page= values past the last page are 404s, and none is kept."""
    with redis_page_cache() as key_count:
        assert client.get("/section/canada/").status_code == 200
        assert client.get("/section/canada/", {"page": "2"}).status_code == 200
        before = key_count()
        for _ in range(200):
            page = random.randint(3, 10**9)
            assert client.get("/section/canada/", {"page": page}).status_code == 404
        assert key_count() == before


@pytest.mark.parametrize("value", ["abc", "-1", "0", "01", "+2", "2.0", " 2", "9" * 30])
def test_odd_page_values_are_answered_but_not_kept(client, section, value):
    """abc, -1, 01… give the first page or a 404, rendered fresh, never stored."""
    with redis_page_cache() as key_count:
        client.get("/section/canada/")
        before = key_count()
        response = client.get("/section/canada/", {"page": value})
        assert response.status_code in (200, 404)
        assert key_count() == before
        assert "public" not in response.get("Cache-Control", "")


def test_distinct_searches_are_kept_in_a_bounded_number_of_entries(client, section):
    """300 different queries leave at most PAGE_CACHE_SEARCH_SLOTS search entries."""
    with redis_page_cache(PAGE_CACHE_SEARCH_SLOTS=20) as key_count:
        client.get("/search/", {"q": "council"})
        before = key_count()
        for n in range(300):
            assert client.get("/search/", {"q": f"council {n}"}).status_code == 200
        assert key_count() - before <= 20


def test_a_search_is_still_served_from_the_cache(client, section, django_assert_num_queries):
    """A repeated query comes from its slot; another query in the same slot is not mixed up."""
    with redis_page_cache(PAGE_CACHE_SEARCH_SLOTS=1):
        first = client.get("/search/", {"q": "council"})
        with django_assert_num_queries(0):
            again = client.get("/search/", {"q": "council"})
        assert again.content == first.content
        other = client.get("/search/", {"q": "story 07"})
        assert other.content != first.content
        assert client.get("/search/", {"q": "council"}).content == first.content


def test_a_search_page_past_the_last_is_not_found(client, section):
    """?q=council&page=9 is a 404 and not kept."""
    with redis_page_cache() as key_count:
        client.get("/search/", {"q": "council"})
        before = key_count()
        assert client.get("/search/", {"q": "council", "page": "9"}).status_code == 404
        assert key_count() == before


def test_a_query_too_long_to_search_whole_is_not_kept(client, section):
    """A query past the kept length is answered fresh."""
    with redis_page_cache() as key_count:
        client.get("/search/", {"q": "council"})
        before = key_count()
        assert client.get("/search/", {"q": "council " * 40}).status_code == 200
        assert key_count() == before


def test_page_identity_keeps_plain_page_numbers_only(rf):
    """The cache key takes ?page=2 but not ?page=02 or ?page=abc."""
    assert pagecache.page_identity(rf.get("/section/a/?page=2"), "articles:section", {"slug": "a"})
    for value in ("02", "abc", "-1", "9999999"):
        request = rf.get(f"/section/a/?page={value}")
        assert pagecache.page_identity(request, "articles:section", {"slug": "a"}) is None
