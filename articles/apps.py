from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        # Keeps the search index fresh after stories or their tags change.
        from . import search

        search.connect_tag_changes()
