"""The demo app: original demo content for a fresh site (``manage.py load_demo``)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Writes demo sections, authors, photos, stories and votes; builds on articles and ratings."""

    name = "demo"
    verbose_name = "Demo content"
