"""The desk's rows about a story: notes between colleagues, autosaved drafts, pending
changes to live stories and comments on a field."""

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


class PendingChange(models.Model):
    """A change to a live story, prepared while readers keep reading the live version.

    Wagtail's "live + draft": the story row (what every public path reads) is not touched
    until an editor publishes the change through the workflow service
    (``articles.workflow.publish_pending``), which then asks what kind of change it is, as
    for any change to a public story. One per story: the next change starts from it.
    """

    article = models.OneToOneField(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="pending_change",
    )
    headline = models.CharField(_("headline"), max_length=200)
    standfirst = models.TextField(_("standfirst"), max_length=400, blank=True)
    body = models.TextField(_("body"), blank=True)
    # The story's version the change was started from: publishing over a newer live
    # version is allowed, but the page says so.
    base_version = models.PositiveIntegerField(_("started from version"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")

    def __str__(self):
        return Truncator(self.headline).words(8, truncate="…")

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    def text(self):
        return {"headline": self.headline, "standfirst": self.standfirst, "body": self.body}


class FieldComment(models.Model):
    """An editor's query on words of a story's field, resolved by the reporter.

    Newsroom-only, like notes: kept apart from the story's text, so it is never in the
    body's HTML, the public record, a feed or the API.
    """

    class Field(models.TextChoices):
        HEADLINE = "headline", _("Headline")
        STANDFIRST = "standfirst", _("Standfirst")
        BODY = "body", _("Body")

    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="field_comments"
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices, default="body")
    quote = models.CharField(_("words commented on"), max_length=500)
    text = models.TextField(_("comment"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on a field")
        verbose_name_plural = _("comments on fields")

    def __str__(self):
        return Truncator(self.text).words(8, truncate="…")

    @property
    def is_resolved(self):
        return self.resolved_at is not None
