"""One interface to every cache in front: ``purge(keys)``, and the headers answers carry.

``CDN_PURGE_BACKEND`` picks one:

- ``none``: nothing in front is told anything (nginx's one-second cache needs no purge);
- ``varnish``: ``PURGE /`` with ``xkey-purge: <keys>`` to each address in ``CDN_PURGE_URLS``;
  ``deploy/varnish/newsroom.vcl`` turns it into a ban on ``Surrogate-Key`` (stock Varnish),
  ``deploy/varnish/newsroom-xkey.vcl`` into an xkey purge (the varnish-modules package);
- ``fastly``: Fastly's surrogate-key purge API (hard purge: no stale copy is served after);
- ``cloudflare``: Cloudflare's purge by cache tag; answers also carry ``Cache-Tag``;
- ``cloudfront``: CloudFront has no keys, so the paths answered under each key are noted
  (``note_paths``) and invalidated (``create_invalidation``, through boto3).

The hosted adapters are written against their documented APIs and checked here only for
the requests they build (tests/cdn/test_backends.py); Varnish is tested for real
(tests/production/test_varnish_purge.py). Every request has ``CDN_PURGE_TIMEOUT``.
"""

import json
import logging
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


class PurgeFailed(Exception):
    """The cache in front did not confirm the purge (the task retries)."""


def send_request(url, method, headers, body=None):
    """Send one HTTP(S) request with the purge timeout; its body, or PurgeFailed."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise PurgeFailed(f"{url}: only http and https addresses are purged")
    request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310 - checked above
    try:
        with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT) as response:  # noqa: S310
            return response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PurgeFailed(f"{method} {url}: {exc}") from exc


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Backend:
    name = "none"
    wants_paths = False

    def purge(self, keys):
        """Make the cache in front forget every answer filed under any of ``keys``."""

    def extra_headers(self, keys):
        """Headers besides ``Surrogate-Key`` this cache files answers by."""
        return {}


class Varnish(Backend):
    name = "varnish"
    PURGE_HEADER = "xkey-purge"

    def purge(self, keys):
        failures = []
        for base in settings.CDN_PURGE_URLS:
            parts = urlsplit(base)
            try:
                send_request(
                    f"{parts.scheme}://{parts.netloc}/",
                    "PURGE",
                    {self.PURGE_HEADER: " ".join(keys)},
                )
            except PurgeFailed as exc:
                failures.append(str(exc))
        if failures:
            raise PurgeFailed("; ".join(failures))


class Fastly(Backend):
    name = "fastly"
    API = "https://api.fastly.com"
    KEYS_PER_CALL = 256  # Fastly's limit for a batch surrogate-key purge

    def purge(self, keys):
        for chunk in _chunks(list(keys), self.KEYS_PER_CALL):
            send_request(
                f"{self.API}/service/{settings.CDN_FASTLY_SERVICE_ID}/purge",
                "POST",
                {
                    "Fastly-Key": settings.CDN_FASTLY_API_TOKEN,
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
                json.dumps({"surrogate_keys": chunk}).encode(),
            )


class Cloudflare(Backend):
    name = "cloudflare"
    API = "https://api.cloudflare.com/client/v4"
    KEYS_PER_CALL = 30  # Cloudflare's limit of cache tags per purge call

    def purge(self, keys):
        for chunk in _chunks(list(keys), self.KEYS_PER_CALL):
            body = send_request(
                f"{self.API}/zones/{settings.CDN_CLOUDFLARE_ZONE_ID}/purge_cache",
                "POST",
                {
                    "Authorization": f"Bearer {settings.CDN_CLOUDFLARE_API_TOKEN}",
                    "Content-Type": "application/json",
                },
                json.dumps({"tags": chunk}).encode(),
            )
            try:
                answer = json.loads(body)
            except ValueError as exc:
                raise PurgeFailed(f"Cloudflare answered something else than JSON: {exc}") from exc
            if not answer.get("success"):
                raise PurgeFailed(f"Cloudflare refused the purge: {answer.get('errors')}")

    def extra_headers(self, keys):
        return {"Cache-Tag": ",".join(keys)}


class CloudFront(Backend):
    """Invalidation paths: the paths answered under each key, noted as they are served."""

    name = "cloudfront"
    wants_paths = True
    PATHS_PER_KEY = 100  # more than this under one key: invalidate everything instead
    EVERYTHING = "/*"

    def purge(self, keys):
        paths = paths_for(keys)
        if not paths:
            return
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        client = boto3.client(
            "cloudfront",
            config=Config(
                connect_timeout=settings.CDN_PURGE_TIMEOUT,
                read_timeout=settings.CDN_PURGE_TIMEOUT,
                retries={"max_attempts": 1},
            ),
        )
        try:
            client.create_invalidation(
                DistributionId=settings.CDN_CLOUDFRONT_DISTRIBUTION_ID,
                InvalidationBatch={
                    "Paths": {"Quantity": len(paths), "Items": paths},
                    "CallerReference": uuid.uuid4().hex,
                },
            )
        except (BotoCoreError, ClientError) as exc:
            raise PurgeFailed(f"CloudFront refused the invalidation: {exc}") from exc


def _paths_key(key):
    return f"cdn:paths:{key}"


def note_paths(key, path, query=False):
    """Remember that ``path`` is answered under ``key`` (with ``query``: and its query-string
    variants, ``path*``; never for "/", whose ``/*`` would be every page)."""
    noted = cache.get(_paths_key(key)) or []
    pattern = f"{path}*" if query and path != "/" else path
    if pattern in noted or CloudFront.EVERYTHING in noted:
        return
    noted = [CloudFront.EVERYTHING] if len(noted) >= CloudFront.PATHS_PER_KEY else [*noted, pattern]
    cache.set(_paths_key(key), noted, timeout=None)


def paths_for(keys):
    """The invalidation paths of ``keys``: every page for the site's key, else those noted."""
    if "site" in keys:
        return [CloudFront.EVERYTHING]
    found = cache.get_many([_paths_key(key) for key in keys])
    paths = sorted({path for noted in found.values() for path in noted})
    return [CloudFront.EVERYTHING] if CloudFront.EVERYTHING in paths else paths


BACKENDS = {b.name: b for b in (Backend, Varnish, Fastly, Cloudflare, CloudFront)}


def current():
    return BACKENDS[settings.CDN_PURGE_BACKEND]()
