"""The front page (lead, top stories, breaking banner) and the site pages."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.links import safe_link, validate_link

from .. import languages
from ..paths import language_path
from ..sanitize import clean_html
from .pairs import Paired, pair_constraints
from .stories import Article

logger = logging.getLogger(__name__)

INFO_PAGES_CACHE_KEY = "articles:footer-pages:v1"


class FrontPage(models.Model):
    """The home page as editors arrange it: one row per language (English: pk 1), edited in
    the admin.

    The lead and the top stories (``FrontPageStory``) are picked by hand, each until an
    optional expiry; empty or expired slots are filled with the newest stories. The
    breaking-news banner shows until its own expiry.
    """

    lead = models.ForeignKey(
        Article,
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The big story at the top. Empty: the newest “lead story” candidate."),
    )
    lead_until = models.DateTimeField(
        _("lead until"),
        null=True,
        blank=True,
        help_text=_("After this time the lead slot falls back to the newest stories."),
    )
    breaking_text = models.CharField(
        _("breaking news"),
        max_length=200,
        blank=True,
        help_text=_("One line shown in a red banner on top of the home page. Empty: no banner."),
    )
    breaking_url = models.CharField(
        _("breaking news link"),
        max_length=300,
        blank=True,
        validators=[validate_link],
        help_text=_(
            "Where the banner leads: an address on this site such as /story/some-story/, "
            "or one starting with https:// (optional)."
        ),
    )
    breaking_until = models.DateTimeField(
        _("banner until"),
        null=True,
        blank=True,
        help_text=_("The banner disappears by itself at this time."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=languages.CHOICES,
        default=languages.DEFAULT,
        unique=True,
    )

    class Meta:
        verbose_name = _("front page")
        verbose_name_plural = _("front page")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=languages.CODES), name="frontpage_known_language"
            )
        ]

    def __str__(self):
        if self.language == languages.DEFAULT:
            return str(_("Front page"))
        return str(_("Front page (%(language)s)") % {"language": languages.name(self.language)})

    def clean(self):
        super().clean()
        if self.lead is not None and self.lead.language != self.language:
            raise ValidationError({"lead": _("Choose a story in the front page's language.")})

    @property
    def breaking_link(self):
        """The banner's link, or "" when the stored value is not a safe one."""
        return safe_link(self.breaking_url)

    @staticmethod
    def automatic_lead_rule():
        """How the home page picks its lead when none is chosen, in the editors' words
        (``articles.frontpage.automatic_lead`` applies it): the front-page editor shows it."""
        hours = settings.FRONT_PAGE_LEAD_HOURS
        return ngettext(
            "Left empty, the lead is chosen automatically: the newest story marked “lead "
            "story” published in the last hour, or else the newest story.",
            "Left empty, the lead is chosen automatically: the newest story marked “lead "
            "story” published in the last %(hours)s hours, or else the newest story.",
            hours,
        ) % {"hours": hours}

    @classmethod
    def current(cls, language=languages.DEFAULT):
        page, _created = cls.objects.get_or_create(language=language)
        return page


class FrontPageStory(models.Model):
    """One of the top stories under the lead, in editors' order."""

    front_page = models.ForeignKey(FrontPage, on_delete=models.CASCADE, related_name="stories")
    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    until = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("After this time the story leaves the top stories by itself."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("top story")
        verbose_name_plural = _("top stories")
        constraints = [
            models.UniqueConstraint(fields=["front_page", "article"], name="unique_top_story")
        ]

    def __str__(self):
        return str(self.article)

    def clean(self):
        super().clean()
        if self.article_id and self.front_page_id:
            if self.article.language != self.front_page.language:
                raise ValidationError(
                    {"article": _("Choose a story in the front page's language.")}
                )


def footer_cache_key(language):
    # English keeps the key it always had.
    if language == languages.DEFAULT:
        return INFO_PAGES_CACHE_KEY
    return f"{INFO_PAGES_CACHE_KEY}:{language}"


class InfoPageQuerySet(models.QuerySet):
    def for_footer(self, language=None):
        """``[(title, url), …]`` of the page's language for the footer, cached: these pages
        rarely change."""
        language = language or languages.current()
        key = footer_cache_key(language)
        links = cache.get(key)
        if links is None:
            pages = self.filter(in_footer=True, language=language)
            links = [(p.title, p.get_absolute_url()) for p in pages]
            cache.set(key, links, 60 * 60)
        return links


class InfoPage(Paired, models.Model):
    """A page every outlet has (About, Contact, Corrections policy, Privacy), kept by editors."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("address"),
        max_length=80,
        help_text=_("The page is at /<address>/ (a French page at /fr/<address>/)."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=languages.CHOICES,
        default=languages.DEFAULT,
        db_index=True,
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    body = models.TextField(_("text"), help_text=_("Paragraphs, headings, lists and links."))
    in_footer = models.BooleanField(_("link in the footer"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InfoPageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        constraints = pair_constraints("infopage", "one_infopage_per_language")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return language_path(self.language, "articles:page", self.slug)

    def clean(self):
        super().clean()
        original = self.translation_of
        if original is None:
            return
        if original.translation_of_id is not None or (self.pk and original.pk == self.pk):
            raise ValidationError({"translation_of": _("Pair the page with an original page.")})
        if original.language == self.language:
            raise ValidationError(
                {
                    "translation_of": _(
                        "A translation must be in another language than its original."
                    )
                }
            )

    def counterparts(self):
        """``{language: page}`` of the other pages of its translation group."""
        group = self.pair_group().exclude(pk=self.pk)
        return {page.language: page for page in group}
