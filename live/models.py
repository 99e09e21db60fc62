"""Live coverage of a story and its entries.

A story is live when it has a :class:`LiveCoverage`; readers see its entries only while the
story itself is visible (``Article.objects.published()``), and only entries that were not
deleted (``LiveEntry.objects.public()``: the one definition of "an entry readers may see").
Deletion is soft: the row stays, with who deleted it and when, for the editors; the story's
admin history says so too (``live.services``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.sanitize import clean_html, html_to_text


class LiveCoverage(models.Model):
    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="live_coverage",
        verbose_name=_("story"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverage")

    def __str__(self):
        return str(self.article)

    @property
    def is_live(self):
        return self.ended_at is None


class LiveEntryQuerySet(models.QuerySet):
    def not_deleted(self):
        return self.filter(deleted_at__isnull=True)

    def public(self, now=None):
        """Entries readers may see: not deleted, on a story readers may see."""
        return self.not_deleted().filter(
            coverage__article__in=Article.objects.published(now).values("pk")
        )

    def newest_first(self):
        # Ids grow with posting time (an entry is posted when it is saved), and the page, the
        # update endpoint and the permalinks all count positions in this one order.
        return self.order_by("-pk")

    def for_page(self):
        return self.select_related("photo").prefetch_related("authors")


class LiveEntry(models.Model):
    coverage = models.ForeignKey(
        LiveCoverage, on_delete=models.CASCADE, related_name="entries", verbose_name=_("coverage")
    )
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)
    updated_at = models.DateTimeField(
        _("updated"), null=True, blank=True, help_text=_("Set when the entry is edited.")
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authors = models.ManyToManyField(
        "articles.Author", blank=True, related_name="live_entries", verbose_name=_("authors")
    )
    body = models.TextField(_("text"))
    photo = models.ForeignKey(
        "articles.Photo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
        verbose_name=_("photo"),
    )
    link = models.URLField(
        _("link"),
        blank=True,
        max_length=500,
        help_text=_("A post, video or document the entry is about; shown as a link."),
    )
    key_point = models.BooleanField(
        _("key point"), default=False, help_text=_("Listed in the key points at the top.")
    )
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Kept at the top of the updates.")
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        indexes = [models.Index(fields=["coverage", "deleted_at", "id"], name="live_entry_page")]

    def __str__(self):
        return self.summary

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    @property
    def summary(self):
        """The entry's first words, for the key points list and the admin's history."""
        return Truncator(html_to_text(self.body)).words(30, truncate="…")

    @property
    def version(self):
        """Changes when readers must see the entry again (edited, pinned or unpinned)."""
        stamp = self.updated_at or self.posted_at
        return f"{self.pk}-{int(stamp.timestamp() * 1000)}-{int(self.pinned)}-{int(self.key_point)}"

    @property
    def anchor(self):
        return f"entry-{self.pk}"
