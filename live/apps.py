"""The live app: live coverage of a story (elections, storms, budget days, trials).

A published story gains timestamped entries, newest first, with its key points on top;
reporters post them from a composer on the story's admin page, readers' open pages pick
them up by polling a small cached endpoint. Builds on ``articles`` (and fills the desk's
hooks); ``articles`` never imports it (an import-linter contract). See
docs/architecture/live.md.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Live coverage and its entries; what it adds to story pages, it registers here."""

    name = "live"
    verbose_name = _("Live coverage")

    def ready(self):
        from articles import page_helpers as story_page
        from articles import structured_data as story_data
        from newsroom import templating

        from . import cached_pages, page_helpers, signal_handlers
        from . import structured_data as live_data

        templating.register(globals=page_helpers.TEMPLATE_GLOBALS)
        story_page.register_story_part(page_helpers.coverage_block)
        story_data.register_news_article_data(live_data.live_blog_data)
        cached_pages.register()
        signal_handlers.connect()
