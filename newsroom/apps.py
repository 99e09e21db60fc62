from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from . import checks, login_throttle, pagecache  # noqa: F401 (checks register)

        pagecache.connect_signals()
        login_throttle.connect_signals()
