"""The api app: a read-only JSON API of published content for apps, partners and syndication.

Stories, sections, tags, authors and search under ``/api/v1/``, as JSON or as IPTC ninjs 2.0,
with an OpenAPI 3 schema; anonymous reads limited per client address, partners' keys with
higher limits. Builds on ``articles`` (and registers with the project's page cache);
``articles`` never imports it (an import-linter contract). See docs/architecture/api.md.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Public API")

    def ready(self):
        from . import cached_answers

        cached_answers.register()
