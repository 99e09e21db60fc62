"""The purge requests each backend sends (the hosted CDNs are not called: their documented
APIs are checked here request by request; Varnish is run for real in
tests/production/test_varnish_purge.py)."""

import json
import sys
import types

import pytest

from cdn import backends
from cdn.backends import PurgeFailed


@pytest.fixture
def requests(monkeypatch):
    """Every HTTP request a backend sends, answered with ``answer``."""
    sent = []

    def send(url, method, headers, body=None):
        sent.append(
            {"url": url, "method": method, "headers": headers, "body": body and json.loads(body)}
        )
        return json.dumps({"success": True}).encode()

    monkeypatch.setattr(backends, "send_request", send)
    return sent


def test_varnish_sends_one_purge_to_each_varnish(settings, requests):
    settings.CDN_PURGE_URLS = ["http://varnish-a:6081", "http://varnish-b"]
    backends.Varnish().purge(["home", "story:a"])
    assert [(r["method"], r["url"], r["headers"]) for r in requests] == [
        ("PURGE", "http://varnish-a:6081/", {"xkey-purge": "home story:a"}),
        ("PURGE", "http://varnish-b/", {"xkey-purge": "home story:a"}),
    ]


def test_a_varnish_that_does_not_answer_fails_the_purge_after_the_timeout(settings):
    settings.CDN_PURGE_URLS = ["http://127.0.0.1:9"]
    settings.CDN_PURGE_TIMEOUT = 0.5
    with pytest.raises(PurgeFailed, match="127.0.0.1:9"):
        backends.Varnish().purge(["home"])


def test_only_http_addresses_are_purged(settings):
    settings.CDN_PURGE_URLS = ["file:///etc/passwd"]
    with pytest.raises(PurgeFailed, match="only http"):
        backends.Varnish().purge(["home"])


def test_fastly_purges_surrogate_keys_in_batches_of_256(settings, requests):
    settings.CDN_FASTLY_SERVICE_ID = "SERVICE"
    settings.CDN_FASTLY_API_TOKEN = "TOKEN"
    keys = [f"story:{n}" for n in range(300)]
    backends.Fastly().purge(keys)
    assert [r["url"] for r in requests] == ["https://api.fastly.com/service/SERVICE/purge"] * 2
    assert requests[0]["headers"]["Fastly-Key"] == "TOKEN"
    assert "Fastly-Soft-Purge" not in requests[0]["headers"]  # hard: nothing served stale
    assert requests[0]["body"] == {"surrogate_keys": keys[:256]}
    assert requests[1]["body"] == {"surrogate_keys": keys[256:]}


def test_cloudflare_purges_cache_tags_in_batches_of_30_and_labels_answers(settings, requests):
    settings.CDN_CLOUDFLARE_ZONE_ID = "ZONE"
    settings.CDN_CLOUDFLARE_API_TOKEN = "TOKEN"
    keys = [f"tag:{n}" for n in range(31)]
    backends.Cloudflare().purge(keys)
    assert requests[0]["url"] == "https://api.cloudflare.com/client/v4/zones/ZONE/purge_cache"
    assert requests[0]["headers"]["Authorization"] == "Bearer TOKEN"
    assert requests[0]["body"] == {"tags": keys[:30]}
    assert requests[1]["body"] == {"tags": keys[30:]}
    assert backends.Cloudflare().extra_headers(["site", "home"]) == {"Cache-Tag": "site,home"}


def test_cloudflare_refusing_the_purge_fails_it(monkeypatch):
    monkeypatch.setattr(
        backends,
        "send_request",
        lambda *a, **k: json.dumps({"success": False, "errors": ["no"]}).encode(),
    )
    with pytest.raises(PurgeFailed, match="refused"):
        backends.Cloudflare().purge(["home"])


def test_cloudfront_invalidates_the_paths_answered_under_the_keys(settings, monkeypatch):
    settings.CDN_CLOUDFRONT_DISTRIBUTION_ID = "DIST"
    batches = []

    class Client:
        def create_invalidation(self, DistributionId, InvalidationBatch):  # noqa: N803
            batches.append((DistributionId, InvalidationBatch["Paths"]))

    monkeypatch.setitem(
        sys.modules, "boto3", types.SimpleNamespace(client=lambda *a, **k: Client())
    )
    backends.note_paths("story:a", "/story/a/")
    backends.note_paths("home", "/", query=True)
    backends.note_paths("home", "/fr/")
    backends.note_paths("section:b", "/section/b/", query=True)  # ?page=2...
    backends.CloudFront().purge(["story:a", "home", "section:b", "tag:never-served"])
    assert batches == [
        ("DIST", {"Quantity": 4, "Items": ["/", "/fr/", "/section/b/*", "/story/a/"]})
    ]
    backends.CloudFront().purge(["site"])
    assert batches[-1] == ("DIST", {"Quantity": 1, "Items": ["/*"]})
