"""The desk's rows about a story: notes between colleagues and autosaved drafts."""

import logging

from django.conf import settings
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .stories import Article

logger = logging.getLogger(__name__)


class StoryNote(models.Model):
    """A note between reporter and editor on a story: newsroom-only, never shown to readers."""

    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note on a story")
        verbose_name_plural = _("notes on stories")

    def __str__(self):
        return Truncator(self.text).words(8, truncate="…")


class Autosave(models.Model):
    """One writer's unsaved text of one story, kept every few seconds while they type.

    Private to that writer, never a revision and never the story: restoring it only
    refills their form, and the version it started from goes with it, so saving
    over someone else's newer save still meets the conflict check.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    standfirst = models.TextField(_("standfirst"), max_length=400, blank=True)
    body = models.TextField(_("body"), blank=True)
    base_version = models.PositiveIntegerField(_("started from version"))
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_autosave_per_writer")
        ]

    def __str__(self):
        return f"{self.article_id}/{self.user_id}@{self.saved_at:%Y-%m-%d %H:%M}"
