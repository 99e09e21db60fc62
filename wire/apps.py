"""The wire app: agency copy (IPTC ninjs and NewsML-G2) into the desk.

Items arrive in a watched folder or by a signed push, the worker stores them (``wire.ingest``),
the desk's "Wire" page lists them and "Use this" makes a draft story (``wire.services``).
Builds on ``articles`` and the desk; neither imports it (an import-linter contract): the
embargo and kill checks reach the workflow through its publish guards, registered here, and
the story page's wire panel through the desk's ``story_admin_extensions`` (``wire/admin.py``).
See docs/architecture/wire.md.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WireConfig(AppConfig):
    name = "wire"
    verbose_name = _("Wire")

    def ready(self):
        from articles import workflow

        from . import services

        workflow.register_publish_guard(services.publish_guard)
