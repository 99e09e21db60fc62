"""Sections and authors: where a story runs and who signs it."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .. import languages
from ..images import (
    RandomlyNamedImageField,
)
from ..paths import language_path, slug_path
from .pairs import Paired, pair_constraints

logger = logging.getLogger(__name__)


NAV_CACHE_KEY = "articles:nav-sections:v1"


def nav_cache_key(language):
    # English keeps the key it always had; French sections have their own.
    return NAV_CACHE_KEY if language == languages.DEFAULT else f"{NAV_CACHE_KEY}:{language}"


def forget_navigation():
    cache.delete_many([nav_cache_key(code) for code in languages.CODES])


class SectionQuerySet(models.QuerySet):
    def for_navigation(self, language=None):
        """The sections of ``language`` (the page's) in menu order, cached: they change a few
        times a year."""
        language = language or languages.current()
        key = nav_cache_key(language)
        sections = cache.get(key)
        if sections is None:
            sections = list(
                self.filter(in_navigation=True, language=language).order_by("position", "name")
            )
            cache.set(key, sections, 60 * 60)
        return sections

    def public(self):
        """Sections readers may open: those in the navigation, or with a published story.

        A section made for stories still in the works (and kept out of the navigation)
        stays unknown to readers until its first story is published.
        """
        from .stories import Article  # stories refer to sections: imported when used

        return self.filter(
            Q(in_navigation=True)
            | Exists(Article.objects.published().filter(section=OuterRef("pk")))
        )


class Section(Paired, models.Model):
    # Sections exist per language (Politique beside Politics); name and slug are unique
    # within a language (Meta.constraints).
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=languages.CHOICES,
        default=languages.DEFAULT,
        db_index=True,
    )
    # A French section is paired with its English one (the switcher on a section page goes
    # to the paired section; a translation draft goes to the original's paired section).
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("same section in English"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the site's navigation (lowest first).")
    )
    in_navigation = models.BooleanField(_("show in navigation"), default=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            *pair_constraints("section", "one_section_per_language"),
            models.UniqueConstraint(fields=["language", "name"], name="section_name_per_language"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        transaction.on_commit(forget_navigation)

    def get_absolute_url(self):
        return language_path(self.language, "articles:section", self.slug)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        transaction.on_commit(forget_navigation)
        return result

    def clean(self):
        super().clean()
        original = self.translation_of
        if original is None:
            return
        if original.translation_of_id is not None or (self.pk and original.pk == self.pk):
            raise ValidationError(
                {"translation_of": _("Pair the section with an original section.")}
            )
        if original.language == self.language:
            raise ValidationError(
                {"translation_of": _("A paired section must be in the other language.")}
            )

    def counterpart(self, language):
        """The section of the same pair in ``language`` (this one if it is in it), or None."""
        if self.language == language:
            return self
        return self.pair_group().filter(language=language).order_by("pk").first()


class AuthorQuerySet(models.QuerySet):
    def public(self, language=None):
        """Authors readers may see: those with a byline on at least one published story (in
        ``language`` when given: an author's French page lists their French stories).

        A byline that is only on drafts (a new hire's first story, say) is not public yet.
        """
        from .stories import Article, Byline  # stories refer to authors: imported when used

        stories = Article.objects.published()
        if language is not None:
            stories = stories.in_language(language)
        return self.filter(
            Exists(Byline.objects.filter(author=OuterRef("pk"), article__in=stories))
        )


class Author(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    bio = models.TextField(
        _("short bio"),
        blank=True,
        max_length=1000,
        help_text=_("Its first sentence is shown under the author's byline."),
    )
    email = models.EmailField(
        _("public email"), blank=True, help_text=_("Shown on the author's page for readers' tips.")
    )
    photo = RandomlyNamedImageField(_("photo"), upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text=_("The staff account this byline belongs to, if any."),
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("articles:author", self.slug)
