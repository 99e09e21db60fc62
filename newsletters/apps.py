"""The newsletters app: lists readers subscribe to (double opt-in), issues editors prepare in
the desk, and the worker's idempotent sending (docs/architecture/newsletters.md).

Builds on ``articles`` (stories), ``ratings`` (the readers' top rated) and the desk's
permission shapes; none of them imports it (an import-linter contract).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    """Newsletters: lists, consent, issues and their sending; its webhook receiver is
    connected here."""

    name = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        from . import metrics, page_helpers, signal_handlers  # noqa: F401 - metrics: its series

        signal_handlers.connect()
        page_helpers.register()  # the sign-up forms on every page and on story pages
