from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        # Keeps the search index fresh after stories or their tags change.
        from . import search

        search.connect_tag_changes()

        # Connects the receiver that refreshes related lists after a story's save commits.
        # The front page and the site pages tell the page cache what they make stale.
        from . import (
            frontpage,
            related,  # noqa: F401
        )

        frontpage.connect_invalidation()
