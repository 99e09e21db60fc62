"""Storage of the related-stories engine: stored lists, pins, exclusions, index snapshots."""

import logging

from django.db import models
from django.utils.translation import gettext_lazy as _

from .stories import Article

logger = logging.getLogger(__name__)


class RelatedArticle(models.Model):
    """One entry of a story's precomputed "You may also like" list."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="unique_related_pair")
        ]

    def __str__(self):
        return f"{self.article_id} → {self.related_id}"


class RelatedIndexSnapshot(models.Model):
    """The related-stories index as the worker last saved it, so a worker on any machine can
    load it instead of rebuilding. Kept in the database rather than in media: it holds draft
    stories' text statistics, and media are public."""

    build_id = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    stories = models.PositiveIntegerField(default=0)
    # Rebuild progress: the next index row whose lists are still to be written; null once
    # every list is written. A rebuild cut off part-way resumes from here.
    next_row = models.PositiveIntegerField(null=True, blank=True)
    complete = models.BooleanField(default=False)  # every chunk written

    class Meta:
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.build_id} ({self.stories} stories)"


class RelatedIndexChunk(models.Model):
    """One piece of a snapshot's .npz file (a few MiB each, so no single value is huge)."""

    snapshot = models.ForeignKey(
        RelatedIndexSnapshot, on_delete=models.CASCADE, related_name="chunks"
    )
    position = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "position"], name="unique_index_chunk")
        ]

    def __str__(self):
        return f"{self.snapshot_id}#{self.position}"


class RelatedPin(models.Model):
    """A story an editor wants shown first in another story's related list."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_pins")
    related = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pinned related story")
        verbose_name_plural = _("pinned related stories")
        constraints = [models.UniqueConstraint(fields=["article", "related"], name="unique_pin")]

    def __str__(self):
        return f"{self.article_id} → {self.related_id}"


class RelatedExclusion(models.Model):
    """A story an editor never wants in another story's related list."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_exclusions"
    )
    related = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("excluded related story")
        verbose_name_plural = _("excluded related stories")
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="unique_exclusion")
        ]

    def __str__(self):
        return f"{self.article_id} ≠ {self.related_id}"


class StoryEmbedding(models.Model):
    """A story's vector from the optional embedding model (``RELATED_EMBEDDING``), computed
    once per change of its text by the worker and reused by every rebuild.

    ``source_hash`` identifies the text it was computed from: a save that leaves the text as
    it was (a status change, a new tag) does not recompute it.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    model = models.CharField(max_length=40)
    source_hash = models.CharField(max_length=64)
    vector = models.BinaryField()  # float32, little-endian, unit length
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.model} vector of story {self.article_id}"


class RelatedExplanation(models.Model):
    """Why a story's related list is what it is, as the worker last computed it: each listed
    story's score in parts and the strong candidates it left out, with the reason. Shown to
    editors on the story's admin page, which so never loads the engine."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="related_explanation"
    )
    computed_at = models.DateTimeField(auto_now=True)
    data = models.JSONField(default=dict)

    def __str__(self):
        return f"Related-list explanation of story {self.article_id}"
