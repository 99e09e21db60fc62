"""The ratings app: readers' star ratings of stories, built on the articles app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """Votes, their summaries and limits; what ratings adds to story pages, it registers here."""

    name = "ratings"
    verbose_name = _("Reader ratings")

    def ready(self):
        # The story page's ratings block, the NewsArticle's aggregateRating and the page
        # cache's note of new numbers: contributed through the hooks the others offer.
        from articles import structured_data as story_data
        from newsroom import templating

        from . import page_helpers, signal_handlers
        from . import structured_data as rating_data

        templating.register(globals=page_helpers.TEMPLATE_GLOBALS)
        story_data.register_news_article_data(rating_data.news_article_data)
        signal_handlers.connect()
