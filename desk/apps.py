"""The desk app: the newsroom's working surface in the admin, built on the articles app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The newsroom's working surface in the admin: the story form, photos, the front page,
    autosave, notes, revisions, preview links, translations, mail to the newsroom, and each
    journalist's choice of the desk's language (its one model, DeskPreference)."""

    name = "desk"
    verbose_name = _("Desk")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
