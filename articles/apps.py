from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        # Connects the receiver that refreshes related lists after a story's save commits.
        from . import related  # noqa: F401
