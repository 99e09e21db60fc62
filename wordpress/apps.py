"""The ``wordpress`` app: brings a WordPress site's posts, authors, images, ratings and old
addresses over into Newsroom, and keeps those old addresses answering."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordPressConfig(AppConfig):
    """Builds on ``articles`` (stories) and ``ratings`` (Rate My Post totals); neither knows it."""

    name = "wordpress"
    label = "wordpress"
    verbose_name = _("WordPress import")
