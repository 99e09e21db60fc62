"""The project package: settings, root URLs, WSGI and the serving mechanisms apps use."""

from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """Checks, the sign-in throttle's receivers; the page cache's mechanism is filled by apps."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from . import checks, signal_handlers  # noqa: F401 (checks register)

        signal_handlers.connect()
