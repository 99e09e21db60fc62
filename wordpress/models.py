"""What the WordPress import remembers, so a second run updates instead of duplicating.

Each row ties a WordPress object (identified by the old site's address and its WordPress
id or login) to what it became here. ``LegacyAddress`` keeps the old site's post
addresses answering with a permanent redirect to the story.

The models belonged to the ``articles`` app until the importer became its own app; each
keeps its table (``db_table``: ``articles_…``), so moving them moved no data (state-only
migrations: ``articles`` 0017, ``wordpress`` 0001).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.models import Article, Author, Photo, Section, public_tags
from articles.paths import language_path


class WordPressPost(models.Model):
    """A WordPress post imported as a story."""

    site = models.CharField(_("WordPress site"), max_length=200)
    wp_id = models.PositiveBigIntegerField(_("WordPress post id"))
    article = models.OneToOneField(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="wordpress_post",
    )
    # A digest of everything imported from the post: unchanged → the second run skips it.
    source_digest = models.CharField(max_length=64)
    # The story's version right after the import: a higher one means someone edited it here.
    imported_version = models.PositiveIntegerField(default=1)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    # Set when the post is written, cleared once the work that follows an import (related
    # lists, search index) has run: an interrupted import finishes that work next time.
    derived_pending = models.BooleanField(default=True)
    # What the import changed or lost of the post, and what it refused (wordpress.fidelity):
    # [[kind, what, detail], …], listed again by a run that finds the post unchanged.
    fidelity = models.JSONField(_("fidelity findings"), default=list, blank=True)

    class Meta:
        db_table = "articles_wordpresspost"
        verbose_name = _("imported WordPress post")
        verbose_name_plural = _("imported WordPress posts")
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="unique_wordpress_post")
        ]
        indexes = [models.Index(fields=["wp_id"], name="wordpress_post_id_idx")]

    def __str__(self):
        return f"{self.site} #{self.wp_id}"


class WordPressAuthor(models.Model):
    """A WordPress login imported as a byline (no user account is created)."""

    site = models.CharField(_("WordPress site"), max_length=200)
    login = models.CharField(_("WordPress login"), max_length=200)
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "articles_wordpressauthor"
        verbose_name = _("imported WordPress author")
        verbose_name_plural = _("imported WordPress authors")
        constraints = [
            models.UniqueConstraint(fields=["site", "login"], name="unique_wordpress_author")
        ]

    def __str__(self):
        return self.login


class WordPressAttachment(models.Model):
    """A WordPress attachment imported as a photo (a featured image)."""

    site = models.CharField(_("WordPress site"), max_length=200)
    wp_id = models.PositiveBigIntegerField(_("WordPress attachment id"))
    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    source_digest = models.CharField(max_length=64)

    class Meta:
        db_table = "articles_wordpressattachment"
        verbose_name = _("imported WordPress image")
        verbose_name_plural = _("imported WordPress images")
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="unique_wordpress_attachment")
        ]

    def __str__(self):
        return f"{self.site} #{self.wp_id}"


class LegacyAddressQuerySet(models.QuerySet):
    def live_target(self, path):
        """The published story an old path leads to, or None (drafts never leak)."""
        candidates = {path, path.rstrip("/") or "/", path if path.endswith("/") else f"{path}/"}
        found = (
            self.filter(path__in=candidates, article__in=Article.objects.published())
            .select_related("article")
            .only("article__slug")
            .first()
        )
        return found.article if found else None


class LegacyAddress(models.Model):
    """An address of the old site (the path of a post's link) that now leads to a story."""

    path = models.CharField(_("old path"), max_length=500, unique=True)
    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )

    objects = LegacyAddressQuerySet.as_manager()

    class Meta:
        db_table = "articles_legacyaddress"
        verbose_name = _("old WordPress address")
        verbose_name_plural = _("old WordPress addresses")

    def __str__(self):
        return self.path


class LegacyTermAddressQuerySet(models.QuerySet):
    def live_target(self, path, feed=None):
        """The address of the tag or section page an old tag or category path leads to, or
        None. A tag carried only by drafts is not revealed (its page is a 404 too).

        ``feed`` ("rss" or "atom"): the address of the page's feed instead.
        """
        candidates = {path, path if path.endswith("/") else f"{path}/"}
        found = self.filter(path__in=candidates).select_related("tag", "section").first()
        if found is None:
            return None
        if found.section is not None:
            if feed:
                return language_path(
                    found.section.language, f"articles:feed-section-{feed}", found.section.slug
                )
            return found.section.get_absolute_url()
        if found.tag is not None and public_tags(found.language).filter(pk=found.tag.pk).exists():
            name = f"articles:feed-tag-{feed}" if feed else "articles:tag"
            return language_path(found.language, name, found.tag.slug)
        return None


class LegacyTermAddress(models.Model):
    """An old tag or category address (``/tag/<slug>/``, ``/category/<slug>/``, with
    Polylang's ``/fr/`` before them) that now leads to a tag or a section page."""

    path = models.CharField(_("old path"), max_length=500, unique=True)
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8)

    objects = LegacyTermAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("old WordPress tag or category address")
        verbose_name_plural = _("old WordPress tag and category addresses")

    def __str__(self):
        return self.path
