from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    # The app is the newsroom; "Stories" is one of its models. Naming both "Stories"
    # made the breadcrumb read "Home › Stories › Stories".
    verbose_name = _("Newsroom")

    def ready(self):
        # Deleting a story or a photo by any path is an event (articles.events).
        from . import signal_handlers

        signal_handlers.connect()

        # Keeps the search index fresh after stories or their tags change.
        from . import search

        search.connect_tag_changes()

        # Tags whose names slugify to nothing ("!!!", "🔥") still get an address.
        from . import tags

        tags.connect_tag_slugs()

        # The front page and the site pages tell the page cache what they make stale.
        from . import frontpage

        frontpage.connect_invalidation()
