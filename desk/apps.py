from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The newsroom's working surface in the admin: the story form, photos, the front page,
    autosave, notes, revisions, preview links and mail to the newsroom (no models of its own)."""

    name = "desk"
    verbose_name = _("Desk")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
