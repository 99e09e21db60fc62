"""The cdn app: purges the HTTP cache in front of the site by surrogate keys.

Its job: whenever the page cache (``newsroom.pagecache``) invalidates groups of pages, tell
the cache in front (Varnish, Fastly, Cloudflare or CloudFront: ``CDN_PURGE_BACKEND``) to
forget the answers filed under the same keys, from the background worker, with a short
timeout, coalescing bursts. It registers with the page cache in ``ready()``; nothing else in
the project imports it.
"""

from django.apps import AppConfig


class CdnConfig(AppConfig):
    """Purges of the cache in front: backends, the coalescing queue, the worker's task."""

    name = "cdn"
    verbose_name = "CDN purges"

    def ready(self):
        from . import purge

        purge.register()
