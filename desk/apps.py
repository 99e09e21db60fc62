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
        from django.apps import apps

        from . import signal_handlers

        # django-taggit calls its app "Taggit": the desk page's heading for the tags list
        # says what they are instead.
        if apps.is_installed("taggit"):
            apps.get_app_config("taggit").verbose_name = _("Tags")

        signal_handlers.connect()
