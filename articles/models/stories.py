"""Stories: the article, its tags, bylines and old addresses, and ``published()``."""

import logging

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from .. import events
from ..paths import slug_path
from ..sanitize import clean_html, html_to_text
from .people import Author, Section
from .photos import Photo

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

    def in_section(self, section):
        return self.filter(section=section)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def by_author(self, author):
        return self.filter(bylines__author=author)

    def latest_first(self):
        return self.order_by("-publish_at", "-pk")

    def for_cards(self):
        """What a story card in a list needs: no body text, no bylines or tags."""
        return self.select_related("section", "lead_photo").defer("body", "search_vector")

    def search(self, query):
        """Stories matching a reader's query, best first (see ``articles.search``)."""
        from ..search import search

        return search(self, query)

    def with_related_data(self):
        """Everything a story card or story page shows, in a fixed number of queries."""
        return self.select_related("section", "lead_photo").prefetch_related(
            Prefetch(
                "bylines", queryset=Byline.objects.select_related("author").order_by("position")
            ),
            "tags",
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    # A scheduled story goes live by itself when its publish time comes: no cron job.
    LIVE_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)

    headline = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("The story's address. Filled from the headline; frozen once published."),
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
        help_text=_("Last change to the text after publication, shown as “Updated”."),
    )
    correction = models.TextField(
        _("correction or update note"),
        blank=True,
        help_text=_("Shown at the end of the story, e.g. what was corrected and when."),
    )
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

    TEXT_FIELDS = ("headline", "standfirst", "body", "correction")
    _TRACKED_FIELDS = ("slug", "status", "publish_at", *TEXT_FIELDS)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [models.Index(fields=["status", "publish_at"], name="article_visible_idx")]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.derive_fields()
        if not self.slug:
            self.slug = self._unique_slug()
        if self._loaded is not None:
            old = self._loaded
            was_public = (
                old["status"] in self.LIVE_STATUSES
                and old["publish_at"] is not None
                and old["publish_at"] <= timezone.now()
            )
            if old["slug"] and old["slug"] != self.slug:
                SlugRedirect.objects.update_or_create(
                    old_slug=old["slug"], defaults={"article": self}
                )
                SlugRedirect.objects.filter(old_slug=self.slug).delete()
            if self.is_published and was_public:
                if any(old[f] != getattr(self, f) for f in self.TEXT_FIELDS):
                    self.revised_at = timezone.now()
        if self.pk:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)
        self._loaded = {f: getattr(self, f) for f in self._TRACKED_FIELDS}
        events.story_changed(self.pk)

    def get_absolute_url(self):
        return slug_path("articles:detail", self.slug)

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
    def was_revised(self):
        return bool(self.revised_at and self.publish_at and self.revised_at > self.publish_at)

    # The story page's loader (``articles.story_page``) reads bylines, tags and the related
    # cards with its own SQL and leaves them here; otherwise bylines and tags come from
    # ``with_related_data``'s prefetch and ``related_for()`` runs its own query.
    page_bylines = None
    page_tags = None
    page_related_cards = None

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
        taken = Article.objects.exclude(pk=self.pk)
        while (
            taken.filter(slug=slug).exists() or SlugRedirect.objects.filter(old_slug=slug).exists()
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
    """An old address of a story, kept so links already shared keep working."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return self.old_slug


def public_tags():
    """Tags readers may see: those on at least one published story (never a draft's tags)."""
    return Tag.objects.filter(
        Exists(
            TaggedArticle.objects.filter(
                tag=OuterRef("pk"), content_object__in=Article.objects.published()
            )
        )
    )
