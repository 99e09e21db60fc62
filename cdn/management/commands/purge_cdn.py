"""``manage.py purge_cdn KEY...``: make the cache in front forget answers by surrogate key.

For an operator (docs/operations/runbook.md, "the CDN serves stale pages"): ``story:<slug>``,
``home``, ``section:<slug>``, ``lang:fr-ca``..., or ``--all`` for every page (the key
``site``). Sent now, from this process, with ``CDN_PURGE_TIMEOUT``; the page cache itself
is left alone (``manage.py shell`` and ``pagecache.bump`` for that).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom import pagecache

from ...backends import PurgeFailed
from ...purge import purge_now


class Command(BaseCommand):
    help = "Purge the cache in front (CDN_PURGE_BACKEND) by surrogate keys."

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", help="surrogate keys, e.g. story:my-slug home")
        parser.add_argument("--all", action="store_true", help="every page (the key 'site')")

    def handle(self, *args, keys, all, **options):
        if settings.CDN_PURGE_BACKEND == "none":
            raise CommandError("CDN_PURGE_BACKEND is 'none': there is no cache in front to purge.")
        keys = [pagecache.surrogate_key(key) for key in keys]
        if all:
            keys.append(pagecache.SITE_GROUP)
        if not keys:
            raise CommandError("Name at least one surrogate key, or --all.")
        try:
            purge_now(sorted(set(keys)))
        except PurgeFailed as exc:
            raise CommandError(f"The purge failed: {exc}") from exc
        self.stdout.write(f"Purged {', '.join(sorted(set(keys)))} ({settings.CDN_PURGE_BACKEND}).")
