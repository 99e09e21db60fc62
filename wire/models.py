"""Wire items, their pictures and subjects, the stories made from them, and what was refused.

Everything here is private: no reader-facing path reads these tables (the crawl test
checks it). A story made from an item is an ordinary ``Article``, linked by a
:class:`WireStory` row that carries what the wire said since: an update, a kill.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from .parsers import CANCELED, USABLE, WITHDRAWN


class Source(models.TextChoices):
    FOLDER = "folder", _("Folder")
    PUSH = "push", _("Push")


class WireItemQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-received_at", "-pk")

    def unused(self):
        """Items no story was made from: these expire (``wire.services.expire``)."""
        return self.filter(stories__isnull=True)


class WireItem(models.Model):
    """An agency's item at its latest version (earlier versions are not kept)."""

    class PubStatus(models.TextChoices):
        USABLE = USABLE, _("Usable")
        WITHDRAWN = WITHDRAWN, _("Withdrawn")
        CANCELED = CANCELED, _("Killed")

    class ItemType(models.TextChoices):
        TEXT = "text", _("Text")
        PICTURE = "picture", _("Picture")

    guid = models.CharField(_("guid"), max_length=500, unique=True)
    version = models.PositiveIntegerField(_("version"))
    format = models.CharField(_("format"), max_length=12)
    item_type = models.CharField(
        _("type"), max_length=8, choices=ItemType.choices, default=ItemType.TEXT
    )
    provider = models.CharField(_("agency"), max_length=200, db_index=True)
    language = models.CharField(_("language"), max_length=2, blank=True, db_index=True)
    headline = models.CharField(_("headline"), max_length=500)
    body_html = models.TextField(_("body"), blank=True)
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=300, blank=True)
    usage_terms = models.TextField(_("rights and usage terms"), blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), null=True, blank=True, db_index=True)
    embargo = models.DateTimeField(_("embargoed until"), null=True, blank=True)
    pubstatus = models.CharField(
        _("status"), max_length=10, choices=PubStatus.choices, default=PubStatus.USABLE
    )
    version_created = models.DateTimeField(_("version time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    raw = models.TextField(_("item as received"))

    objects = WireItemQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("wire item")
        verbose_name_plural = _("wire items")

    def __str__(self):
        return self.headline

    @property
    def is_killed(self):
        return self.pubstatus != self.PubStatus.USABLE

    def embargoed_at(self, moment):
        return self.embargo is not None and moment < self.embargo


class WireSubject(models.Model):
    item = models.ForeignKey(WireItem, on_delete=models.CASCADE, related_name="subjects")
    code = models.CharField(_("code"), max_length=200, blank=True)
    name = models.CharField(_("subject"), max_length=100, db_index=True)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self):
        return self.name


class WirePicture(models.Model):
    """A picture of an item. Its file, when the agency delivered one into the folder, is kept
    in the database (private by construction, gone with the item) until "Use this" copies it
    into the photo library."""

    item = models.ForeignKey(WireItem, on_delete=models.CASCADE, related_name="pictures")
    name = models.CharField(max_length=100, blank=True)
    href = models.CharField(max_length=1000, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(_("credit"), max_length=300, blank=True)
    usage_terms = models.TextField(_("rights and usage terms"), blank=True)
    data = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("wire picture")
        verbose_name_plural = _("wire pictures")

    def __str__(self):
        return self.caption[:60] or self.href


class WireStory(models.Model):
    """A story made from a wire item ("Use this"), and what the wire said about it since."""

    item = models.ForeignKey(WireItem, on_delete=models.PROTECT, related_name="stories")
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="wire_link")
    used_version = models.PositiveIntegerField(_("version used"))
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(default=timezone.now)
    # The item's words when the story was made (plain text): what an update is compared with.
    used_text = models.TextField(blank=True)
    # "The wire updated this": the words that changed between the version the story was
    # made from and the latest, for the desk; emptied when someone has read it.
    update_diff = models.TextField(blank=True)
    updated_to_version = models.PositiveIntegerField(null=True, blank=True)
    # A kill or withdrawal: the story may not go out until an editor acknowledges it.
    killed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("story from the wire")
        verbose_name_plural = _("stories from the wire")

    def __str__(self):
        return str(self.article)

    @property
    def kill_pending(self):
        return self.killed_at is not None and self.acknowledged_at is None


class InboundItem(models.Model):
    """A pushed item waiting for the worker: the push endpoint stores only this."""

    raw = models.BinaryField()
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("item waiting for the worker")
        verbose_name_plural = _("items waiting for the worker")

    def __str__(self):
        return f"pushed item {self.pk}"


class RejectedItem(models.Model):
    """An item the wire could not import, kept aside with the reason for an editor."""

    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    name = models.CharField(_("file name"), max_length=300, blank=True)
    raw = models.TextField(_("item as received"))
    error = models.TextField(_("reason"))
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("refused wire item")
        verbose_name_plural = _("refused wire items")

    def __str__(self):
        return self.name or self.error[:60]


__all__ = [
    "InboundItem",
    "RejectedItem",
    "Source",
    "WireItem",
    "WirePicture",
    "WireStory",
    "WireSubject",
]
