"""Sections and authors: where a story runs and who signs it."""

import logging
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ..images import (
    RandomlyNamedImageField,
)
from ..paths import slug_path

logger = logging.getLogger(__name__)


NAV_CACHE_KEY = "articles:nav-sections:v1"


class SectionQuerySet(models.QuerySet):
    def for_navigation(self):
        """Sections in menu order, cached: they change a few times a year."""
        sections = cache.get(NAV_CACHE_KEY)
        if sections is None:
            sections = list(self.filter(in_navigation=True).order_by("position", "name"))
            cache.set(NAV_CACHE_KEY, sections, 60 * 60)
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


class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
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

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        transaction.on_commit(partial(cache.delete, NAV_CACHE_KEY))

    def get_absolute_url(self):
        return slug_path("articles:section", self.slug)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        transaction.on_commit(partial(cache.delete, NAV_CACHE_KEY))
        return result


class AuthorQuerySet(models.QuerySet):
    def public(self):
        """Authors readers may see: those with a byline on at least one published story.

        A byline that is only on drafts (a new hire's first story, say) is not public yet.
        """
        from .stories import Article, Byline  # stories refer to authors: imported when used

        return self.filter(
            Exists(
                Byline.objects.filter(
                    author=OuterRef("pk"), article__in=Article.objects.published()
                )
            )
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
