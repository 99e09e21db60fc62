"""The articles app: the newsroom's stories and their data, and the readers' pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    """Stories, photos, sections, authors and the public pages that show them."""

    name = "articles"
    # The app is the newsroom; "Stories" is one of its models. Naming both "Stories"
    # made the breadcrumb read "Home › Stories › Stories".
    verbose_name = _("Newsroom")

    def ready(self):
        # Every receiver of the app (deletions as events, search on tagging, tag addresses,
        # cached pages) and the page cache's registrations: articles.signal_handlers.
        from . import signal_handlers

        signal_handlers.connect()

        # What the project package offers to register with (it imports no app).
        from newsroom import security, templating, warm_up

        from . import embeds, page_helpers, story_page

        # The click-to-load players of story embeds, and nothing else, may be framed.
        security.allow_frames(embeds.frame_origins())

        templating.register(
            globals=page_helpers.TEMPLATE_GLOBALS, filters=page_helpers.TEMPLATE_FILTERS
        )
        warm_up.register(story_page.warm_up)
