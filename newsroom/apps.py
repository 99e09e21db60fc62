from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from . import login_throttle, pagecache

        pagecache.connect_signals()
        login_throttle.connect_signals()
