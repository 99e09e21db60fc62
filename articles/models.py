import logging
from functools import partial

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from newsroom.links import safe_link, validate_link

from . import events
from .images import (
    RandomlyNamedImageField,
    delete_files,
    delete_renditions,
    make_crops,
    make_renditions,
)
from .paths import slug_path
from .sanitize import clean_html, html_to_text

logger = logging.getLogger(__name__)

NAV_CACHE_KEY = "articles:nav-sections:v1"
INFO_PAGES_CACHE_KEY = "articles:footer-pages:v1"


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
        return self.filter(
            Exists(
                Byline.objects.filter(
                    author=OuterRef("pk"), article__in=Article.objects.published()
                )
            )
        )


def public_tags():
    """Tags readers may see: those on at least one published story (never a draft's tags)."""
    return Tag.objects.filter(
        Exists(
            TaggedArticle.objects.filter(
                tag=OuterRef("pk"), content_object__in=Article.objects.published()
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


class Photo(models.Model):
    # Stored as photos/<year>/<month>/<random token>.<jpg|png|webp>: see articles/images.py.
    image = RandomlyNamedImageField(
        _("image"),
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
        original_name_field="original_filename",
        help_text=_("JPEG, PNG or WebP."),
    )
    original_filename = models.CharField(
        _("original file name"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The name the file was uploaded under (it is stored under a random name)."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    caption = models.TextField(
        _("caption"), blank=True, help_text=_("What the photo shows: who, what, where, when.")
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_('Agency and photographer, e.g. "THE CANADIAN PRESS/Jane Doe".'),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("Describes the image for readers who cannot see it."),
    )
    # Where the subject is, as fractions of the width (from the left) and height (from the
    # top); the 3:2 crops keep it in frame. Empty: the centre.
    focal_x = models.FloatField(
        _("focal point across"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 is the left edge, 1 the right. Click the photo to set it."),
    )
    focal_y = models.FloatField(
        _("focal point down"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    renditions = models.JSONField(_("renditions"), default=list, blank=True, editable=False)
    # 3:2 copies cut around the focal point (images.make_crops), made with the renditions.
    crops = models.JSONField(_("crops"), default=list, blank=True, editable=False)
    # The image file the renditions were made from; different from ``image`` means they are
    # due (the worker makes them; pages show the original meanwhile). Emptied when the focal
    # point moves, so the crops are made again the same way.
    renditions_of = models.CharField(max_length=255, blank=True, default="", editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return Truncator(self.caption or self.original_filename or self.image.name).chars(60)

    def save(self, *args, **kwargs):
        image_changed = self._state.adding or self._loaded_image_name != self.image.name
        focal_moved = not image_changed and self._loaded_focal_point != self.focal_point
        if image_changed:
            old = list(self.renditions) + list(self.crops)
            if old:  # the old image's copies go once this save commits
                transaction.on_commit(partial(delete_renditions, old, self.image.storage))
            self.renditions, self.crops, self.renditions_of = [], [], ""  # due: the worker
        elif focal_moved:
            # Due again; pages keep the current copies until the worker replaces them.
            self.renditions_of = ""
        name_before = self.image.name
        try:
            with transaction.atomic():
                super().save(*args, **kwargs)
        except BaseException:
            if self.image.name != name_before:
                # This save stored a new file and the row naming it is rolled back:
                # remove it rather than leave an orphan in media.
                delete_files([self.image.name], self.image.storage)
            raise
        if image_changed and self.image:
            events.photo_uploaded(self.pk)
        elif focal_moved and self.image:
            events.photo_focal_point_moved(self.pk)
        self._loaded_image_name = self.image.name
        self._loaded_focal_point = self.focal_point

    def file_names(self):
        """Every stored file of the photo: the original, its renditions and crops."""
        names = [self.image.name] if self.image else []
        for copy in [*self.renditions, *(self.crops or [])]:
            names.extend(value for value in copy.values() if isinstance(value, str) and value)
        return names

    def stories_using(self):
        """Stories that show the photo: as their lead photo, or inline in their body.

        Inline use is not stored anywhere else, so bodies are searched for the photo's file
        names (original, renditions, crops): a scan of the table, fine for a deletion.
        """
        shown = Q(lead_photo=self)
        for name in self.file_names():
            shown |= Q(body__contains=name)
        return Article.objects.filter(shown)

    def clean(self):
        super().clean()
        if (self.focal_x is None) != (self.focal_y is None):
            missing = "focal_y" if self.focal_y is None else "focal_x"
            raise ValidationError(
                {missing: _("Give both coordinates of the focal point, or neither.")},
                code="half_focal_point",
            )

    @property
    def focal_point(self):
        return (self.focal_x, self.focal_y)

    def refresh_renditions(self):
        """Make the renditions of the current image unless they exist; True if it made them.

        Idempotent: the worker may run it twice for one upload (a retry, a sweep). Each set
        goes to a fresh random folder; the set it replaces is deleted once stored.
        """
        if not self.image or self.renditions_of == self.image.name:
            return False
        previous = Photo.objects.filter(pk=self.pk).values_list("renditions", "crops").first()
        previous = (previous[0] or []) + (previous[1] or []) if previous else []
        crops = []
        try:
            renditions = make_renditions(self)
            try:
                crops = make_crops(self)
            except BaseException:
                delete_renditions(renditions, self.image.storage)
                raise
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            if isinstance(exc, OSError) and exc.errno is not None:
                raise  # a system error (disk, network, storage): the task retries
            # The file cannot be decoded (it got in past the upload checks, e.g. from code):
            # marked as done without renditions, so pages keep the original and the sweep
            # does not try again every minute.
            logger.error(
                "Photo %s: no renditions, %s cannot be decoded (%s)", self.pk, self.image.name, exc
            )
            renditions = []
        # Stored only if the image and focal point are still the ones rendered: a newer
        # upload or a newer focal point wins (and has queued its own run).
        stored = Photo.objects.filter(
            pk=self.pk, image=self.image.name, focal_x=self.focal_x, focal_y=self.focal_y
        ).update(renditions=renditions, crops=crops, renditions_of=self.image.name)
        if not stored:
            delete_renditions(renditions + crops, self.image.storage)
            return False
        self.renditions, self.crops, self.renditions_of = renditions, crops, self.image.name
        if previous:
            transaction.on_commit(partial(delete_renditions, previous, self.image.storage))
        return True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_image_name = instance.__dict__.get("image")
        instance._loaded_focal_point = (
            instance.__dict__.get("focal_x"),
            instance.__dict__.get("focal_y"),
        )
        return instance

    _loaded_image_name = None
    _loaded_focal_point = (None, None)

    def srcset(self, kind="webp"):
        """``srcset`` value for one format ("webp" or "jpeg")."""
        return ", ".join(
            f"{settings.MEDIA_URL}{r[kind]} {r['width']}w" for r in self.renditions if r.get(kind)
        )

    @property
    def webp_srcset(self):
        return self.srcset("webp")

    @property
    def jpeg_srcset(self):
        return self.srcset("jpeg")

    @property
    def fallback(self):
        """The rendition used as ``src``: the one nearest 960 pixels wide."""
        if not self.renditions:
            return {"url": self.image.url, "width": self.width, "height": self.height}
        best = min(self.renditions, key=lambda r: abs(r["width"] - 960))
        return {
            "url": f"{settings.MEDIA_URL}{best['jpeg']}",
            "width": best["width"],
            "height": best["height"],
        }

    def crop_srcset(self, kind="jpeg"):
        """``srcset`` of the 3:2 crops; empty until the worker has made them."""
        return ", ".join(
            f"{settings.MEDIA_URL}{r[kind]} {r['width']}w" for r in self.crops or [] if r.get(kind)
        )

    @property
    def card_image(self):
        """``src`` of a story card: a 3:2 crop (a rendition before there are crops)."""
        return self.crop(640)

    @property
    def card_srcset(self):
        return self.crop_srcset() or self.jpeg_srcset

    def crop(self, width):
        """The narrowest 3:2 crop at least ``width`` wide (or the widest), as
        ``{"url", "width", "height"}``; the nearest rendition while there are no crops
        (photos rendered before crops existed), the original while there is neither."""
        if not self.crops:
            if not self.renditions:
                return {"url": self.image.url, "width": self.width, "height": self.height}
            chosen = self._at_least(self.renditions, width)
        else:
            chosen = self._at_least(self.crops, width)
        return {
            "url": f"{settings.MEDIA_URL}{chosen['jpeg']}",
            "width": chosen["width"],
            "height": chosen["height"],
        }

    @staticmethod
    def _at_least(entries, width):
        wide_enough = [r for r in entries if r["width"] >= width]
        return wide_enough[0] if wide_enough else entries[-1]

    def rendition_url(self, width, kind="jpeg"):
        """URL of the narrowest rendition at least ``width`` wide (or the widest)."""
        if not self.renditions:
            return self.image.url
        wide_enough = [r for r in self.renditions if r["width"] >= width]
        chosen = wide_enough[0] if wide_enough else self.renditions[-1]
        return f"{settings.MEDIA_URL}{chosen[kind]}"


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
        from .search import search

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


class FrontPage(models.Model):
    """The home page as editors arrange it: one row (pk 1), edited in the admin.

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

    class Meta:
        verbose_name = _("front page")
        verbose_name_plural = _("front page")

    def __str__(self):
        return str(_("Front page"))

    @property
    def breaking_link(self):
        """The banner's link, or "" when the stored value is not a safe one."""
        return safe_link(self.breaking_url)

    @classmethod
    def current(cls):
        page, _created = cls.objects.get_or_create(pk=1)
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


class InfoPageQuerySet(models.QuerySet):
    def for_footer(self):
        """``[(title, url), …]`` for the footer, cached: these pages rarely change."""
        links = cache.get(INFO_PAGES_CACHE_KEY)
        if links is None:
            links = [(p.title, p.get_absolute_url()) for p in self.filter(in_footer=True)]
            cache.set(INFO_PAGES_CACHE_KEY, links, 60 * 60)
        return links


class InfoPage(models.Model):
    """A page every outlet has (About, Contact, Corrections policy, Privacy), kept by editors."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("address"), max_length=80, unique=True, help_text=_("The page is at /<address>/.")
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

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:page", args=[self.slug])


# Models of the WordPress importer live beside it; importing them here registers them.
from .wordpress.models import (  # noqa: E402, F401
    LegacyAddress,
    WordPressAttachment,
    WordPressAuthor,
    WordPressPost,
)
