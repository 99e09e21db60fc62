"""Stories: the article, its tags, bylines and old addresses, and ``published()``."""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from .. import events, languages
from ..paths import language_path
from ..sanitize import clean_html, html_to_text
from .pairs import Paired, pair_constraints
from .people import Author, Section
from .photos import Photo
from .record import PUBLIC_TEXT, Change, Kind, Plan

logger = logging.getLogger(__name__)


class TaggedArticle(TaggedItemBase):
    """Tag through model with a real foreign key: one content type, proper joins."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("tagged story")
        verbose_name_plural = _("tagged stories")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Stories readers may see: live status and a publish time that has come.

        The single definition of "visible to readers": every public view, feed,
        sitemap, search, related list and the vote endpoint starts here. ``now`` defaults
        to the current time.
        """
        now = timezone.now() if now is None else now
        return self.filter(status__in=Article.LIVE_STATUSES, publish_at__lte=now)

    def retracted(self):
        """Retracted stories: in no list; their address is a 410 notice (``articles.views``)."""
        return self.filter(status=Article.Status.RETRACTED)

    def with_public_record(self, now=None):
        """Stories whose history and public notes readers may see: those live, and those
        retracted (a retraction stays on the record). A legally removed story has none.

        The one definition for the history page and the corrections page and feeds.
        """
        now = timezone.now() if now is None else now
        return self.filter(
            Q(status__in=Article.LIVE_STATUSES, publish_at__lte=now)
            | Q(status=Article.Status.RETRACTED)
        )

    def in_section(self, section):
        return self.filter(section=section)

    def in_language(self, language):
        """Stories written in ``language`` (``"en"`` or ``"fr"``)."""
        return self.filter(language=language)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def by_author(self, author):
        return self.filter(bylines__author=author)

    def latest_first(self):
        return self.order_by("-publish_at", "-pk")

    def for_cards(self):
        """What a story card in a list needs: no body text, no bylines or tags."""
        return self.select_related("section", "lead_photo").defer("body", "search_vector")

    def search(self, query, language=None):
        """Stories in ``language`` (the page's by default) matching a reader's query, best
        first (see ``articles.search``)."""
        from ..search import search

        return search(self, query, language)

    def with_related_data(self):
        """Everything a story card or story page shows, in a fixed number of queries."""
        return self.select_related("section", "lead_photo").prefetch_related(
            Prefetch(
                "bylines", queryset=Byline.objects.select_related("author").order_by("position")
            ),
            "tags",
        )


class Article(Paired, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        # Withdrawn in public: the address answers 410 with the note saying why.
        RETRACTED = "retracted", _("Retracted")
        # Withdrawn for legal reasons: 404 everywhere, the reason in the editors' log only.
        REMOVED = "removed", _("Removed (legal)")

    # A scheduled story goes live by itself when its publish time comes: no cron job.
    LIVE_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)

    headline = models.CharField(_("headline"), max_length=200)
    # Unique per language (Meta.constraints): a translation may keep its original's slug.
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_("The story's address. Filled from the headline; frozen once published."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=languages.CHOICES,
        default=languages.DEFAULT,
        db_index=True,
        help_text=_("English stories are at /story/…, French ones at /fr/article/…."),
    )
    # A translation is a story of its own (slug, status, bylines, tags…) linked to the story
    # it translates. Deleting the original leaves the translation standing on its own.
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    # The original's ``version`` the translation was last brought up to date with.
    translated_version = models.PositiveIntegerField(
        _("translated version"), null=True, blank=True, editable=False
    )
    standfirst = models.TextField(
        _("standfirst"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences under the headline that sum up the story."),
    )
    body = models.TextField(_("body"), blank=True)
    # Optional: a headline and summary written for search results and social cards, which
    # cut text off (about 60-70 and 155-160 characters); the page itself keeps its own.
    social_headline = models.CharField(
        _("social and search headline"),
        max_length=100,
        blank=True,
        help_text=_(
            "Optional. Shown in search results and when the story is shared, instead of "
            "the headline."
        ),
    )
    social_description = models.CharField(
        _("social and search description"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional. The summary under the link in search results and shares, instead of "
            "the standfirst."
        ),
    )
    excerpt = models.CharField(_("excerpt"), max_length=300, blank=True, editable=False)
    word_count = models.PositiveIntegerField(_("word count"), default=0, editable=False)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, through="Byline", verbose_name=_("authors"), related_name="articles"
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedArticle, blank=True)
    lead_photo = models.ForeignKey(
        Photo,
        verbose_name=_("lead photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When the story goes live. Leave empty to publish now."),
    )
    revised_at = models.DateTimeField(
        _("revised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The last correction, clarification or update, shown as “Updated”."),
    )
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True, editable=False)
    retraction_note = models.TextField(
        _("retraction note"),
        blank=True,
        editable=False,
        help_text=_("Shown to readers at the story's address: why the story was retracted."),
    )
    # The listed notes of the public record (``record.StoryChange``), newest first, kept on
    # the row for the story page: ``[{"kind", "note", "at"}]``.
    public_notes = models.JSONField(default=list, editable=False)
    featured = models.BooleanField(
        _("lead story"), default=False, help_text=_("Candidates for the top of the home page.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Bumped on every save; a form that carries an older number is a conflicting edit.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The version whose derived data (related lists, search vector) the worker last stored;
    # behind ``version`` means that work is still due (queued, or lost and found by the
    # reconciliation sweep).
    derived_version = models.PositiveIntegerField(default=0, editable=False)
    # Maintained after commit on PostgreSQL; unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    TEXT_FIELDS = PUBLIC_TEXT
    _TRACKED_FIELDS = ("slug", "status", "publish_at", *TEXT_FIELDS)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [models.Index(fields=["status", "publish_at"], name="article_visible_idx")]
        constraints = pair_constraints("article", "one_translation_per_language")

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.derive_fields()
        if not self.slug:
            self.slug = self._unique_slug()
        if self._loaded is not None:
            old = self._loaded
            if old["slug"] and old["slug"] != self.slug:
                # Old addresses are per language, like slugs: a French story renamed away
                # from a slug leaves the English story with that old slug its redirect.
                SlugRedirect.objects.update_or_create(
                    language=self.language, old_slug=old["slug"], defaults={"article": self}
                )
                SlugRedirect.objects.filter(language=self.language, old_slug=self.slug).delete()
        # May refuse the save: a public story's text changed without saying how.
        plan = Plan(self, self._change, timezone.now())
        self.revised_at, self.public_notes = plan.revised_at, plan.notes
        if self.pk:
            self.version = (self.version or 0) + 1
        with transaction.atomic():
            super().save(*args, **kwargs)
            plan.write()
        self._change = None
        self._loaded = {f: getattr(self, f) for f in self._TRACKED_FIELDS}
        events.story_changed(self.pk)

    def get_absolute_url(self):
        # Built in the story's own language, whatever the page that links to it.
        return language_path(self.language, "articles:detail", self.slug)

    def clean(self):
        """The language and translation rules, as form errors (docs/architecture/languages.md).

        The database enforces what one row can (a known language, one translation per
        language, never a translation of itself); the rules across rows are checked here.
        """
        super().clean()
        errors = {}
        if self.language not in languages.CODES:
            errors["language"] = _("Choose English or French.")
        original = self.translation_of
        if original is not None:
            if original.pk is not None and original.pk == self.pk:
                errors["translation_of"] = _("A story cannot be a translation of itself.")
            elif original.translation_of_id is not None:
                errors["translation_of"] = _(
                    "That story is itself a translation: link this one to its original, "
                    "“%(original)s”."
                ) % {"original": original.translation_of}
            elif original.language == self.language:
                errors["translation_of"] = _(
                    "A translation must be in another language than its original."
                )
            elif original.translations.filter(language=self.language).exclude(pk=self.pk).exists():
                errors["translation_of"] = _(
                    "That story already has a translation in this language."
                )
            elif self.pk is not None and self.translations.exists():
                errors["translation_of"] = _(
                    "This story has translations of its own, so it cannot be a translation."
                )
        section = getattr(self, "section", None) if self.section_id else None
        if section is not None and section.language != self.language:
            errors["section"] = _("Choose a section in the story's language.")
        if self.slug and self.language in languages.CODES:
            taken = Article.objects.filter(language=self.language, slug=self.slug)
            if taken.exclude(pk=self.pk).exists():
                errors["slug"] = _("Another story in this language already has this address.")
        if errors:
            raise ValidationError(errors)

    _change = None

    def describe_change(self, kind, note=""):
        """Say what the next save changes for readers (``record.Kind``), with its note.

        Needed before saving new text of a public story; raises ``ValidationError`` with a
        sentence when the kind is unknown or the note is missing (correction,
        clarification) or not shown (minor edit).
        """
        change = Change(kind, note)
        change.check()
        self._change = change

    # Translations ----------------------------------------------------------------------

    @property
    def language_in_sentence(self):
        """The story's language named inside a sentence ("français" in French)."""
        return languages.name_in_sentence(self.language)

    @property
    def original(self):
        """The story this one translates, or the story itself when it is an original."""
        return self.translation_of if self.translation_of_id else self

    @property
    def is_out_of_date(self):
        """A translation whose original changed after the translation was last brought up to
        date (the original's version is past ``translated_version``)."""
        if self.translation_of_id is None or self.translation_of is None:
            return False
        return self.translation_of.version > (self.translated_version or 0)

    def translation_group(self):
        """Every story of the group (the original and its translations), this one included."""
        return self.pair_group()

    def published_translations(self):
        """``{language: story}`` of the published stories of the group in other languages:
        what the switcher and the ``hreflang`` links point to. One query."""
        if self.pk is None:
            return {}
        group = self.translation_group().published().exclude(pk=self.pk)
        return {story.language: story for story in group.only("pk", "slug", "language")}

    def language_versions(self):
        """``{language: address}`` of this story and its published translations, or ``{}``
        when it has none. The story page's loader read the counterpart with the story
        (``page_counterpart_slug``); otherwise one query."""
        if self.page_counterpart_slug is not None:
            if not self.page_counterpart_slug:
                return {}
            other = languages.other(self.language)
            found = {other: language_path(other, "articles:detail", self.page_counterpart_slug)}
        else:
            found = {
                code: story.get_absolute_url()
                for code, story in self.published_translations().items()
            }
        return {self.language: self.get_absolute_url(), **found} if found else {}

    # Set by the story page's loader (``articles.page_sql``): "" when there is none.
    page_counterpart_slug = None

    def mark_translation_up_to_date(self):
        """The translator has brought this translation level with its original."""
        if self.translation_of_id is None:
            raise ValidationError(_("This story is not a translation."))
        self.translated_version = self.translation_of.version
        self.save()

    def make_translation_draft(self, by, language=None):
        """A draft translation of this story, pre-filled for the translator; returns it.

        What the desk's "Translate" button calls. The draft has the original's text to
        translate, its bylines and lead photo (shared), and the section paired with the
        original's in the other language; tags are per language, so none are copied. A
        clear ``ValidationError`` (nothing written) when the story is itself a translation,
        already has one in that language, or its section has no counterpart there.
        """
        if self.translation_of_id is not None:
            raise ValidationError(
                _("This story is a translation: translate its original, “%(original)s”.")
                % {"original": self.translation_of}
            )
        language = language or languages.other(self.language)
        section = self.section.counterpart(language)
        if section is None:
            raise ValidationError(
                _("The section “%(section)s” has no %(language)s counterpart yet: pair it first.")
                % {"section": self.section, "language": languages.name(language)}
            )
        draft = Article(
            headline=self.headline,
            standfirst=self.standfirst,
            body=self.body,
            section=section,
            lead_photo=self.lead_photo,
            language=language,
            translation_of=self,
            translated_version=self.version,
            status=self.Status.DRAFT,
            created_by=by,
            last_edited_by=by,
        )
        draft.full_clean(exclude=["slug"])
        with transaction.atomic():
            draft.save()
            for position, author in enumerate(self.byline_authors()):
                Byline.objects.create(article=draft, author=author, position=position)
        return draft

    # No delete() here: deletion by any path (the admin's bulk action, QuerySet.delete(), a
    # cascade) sends the event from post_delete (articles.signal_handlers).

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = {f: instance.__dict__.get(f) for f in cls._TRACKED_FIELDS}
        return instance

    _loaded = None

    @property
    def is_published(self):
        """True when readers can see the story now."""
        return (
            self.status in self.LIVE_STATUSES
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_retracted(self):
        return self.status == self.Status.RETRACTED

    @property
    def is_on_record(self):
        """True when readers see something at the story's address: the story, or its
        retraction page. What the page cache must clear when the story changes."""
        return self.is_published or self.is_retracted

    @property
    def was_revised(self):
        return bool(self.revised_at and self.publish_at and self.revised_at > self.publish_at)

    def listed_notes(self):
        """The public record's notes, newest first: ``[(kind label, note, time)]``."""
        return [
            (Kind(n["kind"]).label, n["note"], datetime.fromisoformat(n["at"]))
            for n in self.public_notes or ()
            if n["note"]
        ]

    # The story page's loader (``articles.story_page``) reads bylines, tags and the related
    # cards with its own SQL and leaves them here; otherwise bylines and tags come from
    # ``with_related_data``'s prefetch and ``related_for()`` runs its own query.
    page_bylines = None
    page_tags = None
    page_related_cards = None
    # Seconds a CDN may keep this story's page, when shorter than PAGE_CDN_MAX_AGE: set while
    # the page renders by a part that changes by the minute (live coverage).
    cdn_max_age = None

    @property
    def share_title(self):
        """The title search engines and social cards show: the social headline if set."""
        return self.social_headline.strip() or self.headline

    @property
    def share_description(self):
        """The summary search engines and social cards show: the social description if set."""
        return self.social_description.strip() or self.excerpt

    def byline_authors(self):
        """Authors in byline order (uses the prefetch from ``with_related_data``)."""
        bylines = self.bylines.all() if self.page_bylines is None else self.page_bylines
        return [b.author for b in bylines]

    def tag_list(self):
        """The story's tags (uses the prefetch from ``with_related_data``)."""
        return list(self.tags.all()) if self.page_tags is None else self.page_tags

    def derive_fields(self):
        """Sanitise the body and compute what pages need from it (excerpt, word count).

        ``save()`` calls this; bulk loaders that bypass ``save()`` call it themselves.
        """
        self.body = clean_html(self.body)
        text = html_to_text(self.body)
        self.word_count = len(text.split())
        self.excerpt = Truncator(self.standfirst or text).words(40, truncate="…")[:300]
        if self.status in self.LIVE_STATUSES and self.publish_at is None:
            self.publish_at = timezone.now()

    def _unique_slug(self):
        base = slugify(self.headline)[:180].strip("-") or "story"
        slug, n = base, 2
        taken = Article.objects.filter(language=self.language).exclude(pk=self.pk)
        while (
            taken.filter(slug=slug).exists()
            or SlugRedirect.objects.filter(language=self.language, old_slug=slug).exists()
        ):
            slug = f"{base}-{n}"
            n += 1
        return slug


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="bylines"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline_author")
        ]

    def __str__(self):
        return str(self.author)


class SlugRedirect(models.Model):
    """An old address of a story, kept so links already shared keep working.

    Per language, like the slugs themselves: ``/story/<old>/`` and ``/fr/article/<old>/`` are
    two addresses, each redirecting (if at all) to a story of its own language.
    """

    language = models.CharField(
        _("language"), max_length=2, choices=languages.CHOICES, default=languages.DEFAULT
    )
    old_slug = models.SlugField(max_length=200)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "old_slug"], name="slug_redirect_per_language"
            ),
            models.CheckConstraint(
                condition=Q(language__in=languages.CODES), name="slug_redirect_known_language"
            ),
        ]

    def __str__(self):
        return self.old_slug


def public_tags(language=None):
    """Tags readers may see: those on at least one published story (never a draft's tags),
    in ``language`` when given."""
    stories = Article.objects.published()
    if language is not None:
        stories = stories.in_language(language)
    return Tag.objects.filter(
        Exists(TaggedArticle.objects.filter(tag=OuterRef("pk"), content_object__in=stories))
    )
