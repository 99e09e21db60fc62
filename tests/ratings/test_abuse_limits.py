"""Ballot stuffing: limits per client address, and which address counts."""

import contextlib
import os
import uuid
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from django_redis import get_redis_connection

from ratings.addresses import address_hash, client_address
from ratings.limits import over_rate_limit
from ratings.models import RatingSummary, Vote
from ratings.voters import VOTER_COOKIE

pytestmark = pytest.mark.django_db


def test_clearing_cookies_cannot_stuff_the_ballot_past_the_address_cap(
    article, post_vote, client, settings
):
    settings.RATINGS_VOTERS_PER_ADDRESS = 3
    for _ in range(3):
        assert post_vote(article, {"stars": "5"}).status_code == 303
        client.cookies.pop(VOTER_COOKIE)  # a "new reader" each time
    response = post_vote(article, {"stars": "5"})
    assert response.status_code == 429
    assert (
        "Too many votes on this story have come from your network recently"
        in response.content.decode()
    )
    assert RatingSummary.objects.get(article=article).vote_count == 3


def test_a_reader_already_counted_can_still_change_their_vote_at_the_cap(
    article, post_vote, settings
):
    settings.RATINGS_VOTERS_PER_ADDRESS = 1
    post_vote(article, {"stars": "2"})
    assert post_vote(article, {"stars": "4"}).status_code == 303
    assert Vote.objects.get().stars == 4


def test_the_cap_is_per_story_and_per_address(article, post_vote, client, settings):
    from tests.factories import ArticleFactory

    settings.RATINGS_VOTERS_PER_ADDRESS = 1
    post_vote(article, {"stars": "5"})
    client.cookies.pop(VOTER_COOKIE)
    assert post_vote(ArticleFactory(), {"stars": "5"}).status_code == 303
    assert post_vote(article, {"stars": "5"}, REMOTE_ADDR="198.51.100.20").status_code == 303


def test_too_many_votes_a_minute_get_429_with_a_sentence(article, post_vote, settings):
    settings.RATINGS_VOTES_PER_MINUTE = 2
    assert post_vote(article, {"stars": "1"}, json=True).status_code == 200
    assert post_vote(article, {"stars": "2"}, json=True).status_code == 200
    response = post_vote(article, {"stars": "3"}, json=True)
    assert response.status_code == 429
    assert response.json()["error"].startswith("You have voted too many times")
    assert response["Retry-After"] == "60"
    assert Vote.objects.get().stars == 2


def test_votes_keep_a_keyed_hash_never_the_address(article, post_vote):
    post_vote(article, {"stars": "4"}, REMOTE_ADDR="198.51.100.23")
    stored = Vote.objects.get()
    assert "198.51.100.23" not in stored.address_hash
    assert stored.address_hash == address_hash("198.51.100.23")
    assert len(stored.address_hash) == 64


def test_the_address_hash_depends_on_the_secret(settings):
    before = address_hash("198.51.100.23")
    settings.SECRET_KEY = "another-secret-" * 4
    assert address_hash("198.51.100.23") != before


def test_ipv6_clients_are_grouped_by_their_slash_64():
    assert address_hash("2001:db8:1:2::1") == address_hash("2001:db8:1:2:ffff::9")
    assert address_hash("2001:db8:1:2::1") != address_hash("2001:db8:1:3::1")
    assert address_hash("::ffff:198.51.100.23") == address_hash("198.51.100.23")


def _request(remote="10.0.0.5", **meta):
    return RequestFactory().post("/", REMOTE_ADDR=remote, **meta)


def test_x_forwarded_for_is_ignored_unless_proxies_are_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request(HTTP_X_FORWARDED_FOR="198.51.100.1")) == "10.0.0.5"


def test_x_forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored(settings):
    """The attack: straight to the app server, past the proxy, with a header of one's own."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = _request(remote="192.0.2.9", HTTP_X_FORWARDED_FOR="198.51.100.1, 127.0.0.1")
    assert client_address(request) == "192.0.2.9"


def test_from_a_trusted_proxy_the_last_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    forged = "6.6.6.6, 198.51.100.1"
    assert client_address(_request(HTTP_X_FORWARDED_FOR=forged)) == "198.51.100.1"


def test_trusted_proxies_in_the_chain_are_skipped_to_find_the_client(settings):
    """A load balancer (203.0.113.9) in front of nginx (10.0.0.5): two proxies of ours."""
    settings.TRUSTED_PROXIES = ["10.0.0.5", "203.0.113.0/24"]
    header = "6.6.6.6, 198.51.100.1, 203.0.113.9"
    assert client_address(_request(HTTP_X_FORWARDED_FOR=header)) == "198.51.100.1"


def test_a_spoofed_chain_with_a_trusted_proxy_appended_still_yields_the_client(settings):
    """The client writes our proxy's address at the end of its own header: never reached."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # The client (198.51.100.1) sent "6.6.6.6, 10.0.0.7"; a proxy that appends added it.
    appended = "6.6.6.6, 10.0.0.7, 198.51.100.1, 10.1.2.3"
    assert client_address(_request("127.0.0.1", HTTP_X_FORWARDED_FOR=appended)) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_only_yields_its_first_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    request = _request("127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.8, 10.0.0.9")
    assert client_address(request) == "10.0.0.8"


def test_ipv4_mapped_and_ported_addresses_are_understood(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = _request("::ffff:127.0.0.1", HTTP_X_FORWARDED_FOR="[2001:db8::1]:5678")
    assert client_address(request) == "2001:db8::1"
    request = _request("127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1:5678")
    assert client_address(request) == "198.51.100.1"


def test_garbage_in_x_forwarded_for_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_address(_request(HTTP_X_FORWARDED_FOR="not-an-ip")) == "10.0.0.5"


def test_votes_with_a_rotating_x_forwarded_for_from_an_untrusted_peer_all_count_against_it(
    article, post_vote, client, settings
):
    """Ninety votes with ninety made-up addresses, sent past the proxy: the limit applies."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.RATINGS_VOTES_PER_MINUTE = 5
    statuses = []
    for n in range(12):
        client.cookies.pop(VOTER_COOKIE, None)
        response = post_vote(
            article,
            {"stars": "5"},
            REMOTE_ADDR="192.0.2.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
        )
        statuses.append(response.status_code)
    assert statuses == [303] * 5 + [429] * 7
    assert set(Vote.objects.values_list("address_hash", flat=True)) == {address_hash("192.0.2.9")}


def test_votes_through_a_trusted_proxy_count_against_each_reader(
    article, post_vote, client, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.RATINGS_VOTERS_PER_ADDRESS = 1
    for n in range(3):
        client.cookies.pop(VOTER_COOKIE, None)
        response = post_vote(
            article, {"stars": "4"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )
        assert response.status_code == 303
    assert set(Vote.objects.values_list("address_hash", flat=True)) == {
        address_hash(f"198.51.100.{n}") for n in range(3)
    }


def test_a_forged_x_forwarded_for_does_not_escape_the_cap(article, post_vote, client, settings):
    settings.RATINGS_VOTERS_PER_ADDRESS = 1
    post_vote(article, {"stars": "5"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    client.cookies.pop(VOTER_COOKIE)
    response = post_vote(article, {"stars": "5"}, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 429


REDIS_DB2 = os.environ.get("RATINGS_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


@contextlib.contextmanager
def redis_cache(backend):
    """Real Redis (db 2, a key prefix of its own) as the default cache, for one test.

    A context manager (not the settings fixture) so the suite's cache.clear() never runs
    against Redis; only this test's own prefixed keys are deleted.
    """
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_DB2, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_DB2}")
    caches_setting = {
        "default": {
            "BACKEND": backend,
            "LOCATION": REDIS_DB2,
            "KEY_PREFIX": f"ratings-test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=caches_setting, RATINGS_VOTES_PER_MINUTE=3):
        try:
            yield redis
        finally:
            caches["default"].delete_pattern("*")
            caches["default"].close()


def test_the_rate_limit_works_through_redis():
    """Shared by every worker in production."""
    with redis_cache("django_redis.cache.RedisCache"):
        client_hash = address_hash("198.51.100.77")
        assert [over_rate_limit(client_hash) for _ in range(4)] == [False, False, False, True]
        assert over_rate_limit(address_hash("198.51.100.78")) is False
        # The counter is created with a life (EXPIRE … NX): it never outlives its window.
        keys = get_redis_connection("default").keys(f"*ratings:rate:{client_hash}:*")
        lives = [get_redis_connection("default").ttl(key) for key in keys]
        assert lives and all(0 < life <= 120 for life in lives)


def test_the_rate_limit_costs_one_redis_round_trip_with_the_sites_cache_backend():
    """The site's own backend (newsroom.cache.RedisCache), as production configures it."""
    with redis_cache("newsroom.cache.RedisCache") as redis:
        sent = []
        real_send = redis.connection.AbstractConnection.send_packed_command

        def counting_send(connection, command, *args, **kwargs):
            sent.append(command)
            return real_send(connection, command, *args, **kwargs)

        client_hash = address_hash("198.51.100.79")
        over_rate_limit(client_hash)  # opens the connection
        sent.clear()
        with mock.patch.object(
            redis.connection.AbstractConnection, "send_packed_command", counting_send
        ):
            assert [over_rate_limit(client_hash) for _ in range(3)] == [False, False, True]
        assert len(sent) == 3  # one round trip (INCR and EXPIRE in one pipeline) each
