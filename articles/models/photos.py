"""Photos: the image, its caption, credit and alt text, renditions and crops."""

import hashlib
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .. import events
from ..images import (
    RandomlyNamedImageField,
    delete_files,
    delete_renditions,
    make_crops,
    make_renditions,
)

logger = logging.getLogger(__name__)


# How many of the look hash's 64 bits may differ for two photos to count as the same picture:
# a re-encoded or resized copy differs by a few, another photo by about half.
LOOK_DISTANCE = 6


def fingerprints(image):
    """``(sha256 hex, difference-hash hex)`` of an image file; empty strings if unreadable."""
    try:
        image.open("rb")
        image.seek(0)
        digest = hashlib.sha256()
        for chunk in image.chunks():
            digest.update(chunk)
        image.seek(0)
        with Image.open(image) as picture:
            small = picture.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
        image.seek(0)
    except (OSError, ValueError):
        logger.warning("Could not fingerprint photo file %s", getattr(image, "name", "?"))
        return "", ""
    pixels = small.tobytes()  # one byte a pixel in mode L, row by row
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = (bits << 1) | (left > right)
    return digest.hexdigest(), f"{bits:016x}"


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
    usage_terms = models.TextField(
        _("rights and usage terms"),
        blank=True,
        help_text=_(
            "What the photo's owner allows, e.g. an agency's \"No sales. No archiving.\" "
            "For the desk only; readers see the credit."
        ),
    )
    # The French words of the photo (the image itself is shared by both languages); a French
    # story shows these, and its publish check asks for them (``text_in``).
    caption_fr = models.TextField(
        _("caption in French"), blank=True, help_text=_("The caption for French stories.")
    )
    credit_fr = models.CharField(
        _("credit in French"),
        max_length=200,
        blank=True,
        help_text=_('e.g. "LA PRESSE CANADIENNE/Jane Doe".'),
    )
    alt_text_fr = models.CharField(
        _("alt text in French"),
        max_length=300,
        blank=True,
        help_text=_("Describes the image for readers of French stories who cannot see it."),
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
    # The image's fingerprints, set when the image is saved, to warn of a second upload of
    # the same photo: its bytes (SHA-256), and a difference hash of its look (64 bits, as
    # hex) that survives re-encoding and resizing (``duplicates()``).
    content_hash = models.CharField(
        max_length=64, blank=True, default="", editable=False, db_index=True
    )
    look_hash = models.CharField(max_length=16, blank=True, default="", editable=False)

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
        if image_changed:
            self.content_hash, self.look_hash = fingerprints(self.image)
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
        from .stories import Article  # stories refer to photos: imported when used

        shown = Q(lead_photo=self)
        for name in self.file_names():
            shown |= Q(body__contains=name)
        return Article.objects.filter(shown)

    def duplicates(self):
        """Other photos with the same bytes, or that look the same (at most
        :data:`LOOK_DISTANCE` of the look hash's 64 bits differ), most alike first."""
        if not (self.content_hash or self.look_hash):
            return []
        others = Photo.objects.exclude(pk=self.pk)
        found = {}
        if self.content_hash:
            for photo in others.filter(content_hash=self.content_hash):
                found[photo.pk] = (0, photo)
        mine = int(self.look_hash or "0", 16)
        # A flat or nearly flat picture's look hash says nothing (every plain one matches).
        if 4 <= mine.bit_count() <= 60:
            near = [
                (pk, (mine ^ int(look, 16)).bit_count())
                for pk, look in others.exclude(look_hash="").values_list("pk", "look_hash")
            ]
            near = {pk: distance for pk, distance in near if distance <= LOOK_DISTANCE}
            for photo in others.filter(pk__in=set(near) - set(found)):
                found[photo.pk] = (near[photo.pk], photo)
        return [photo for _distance, photo in sorted(found.values(), key=lambda f: f[0])]

    def move_files_out_of_sight(self):
        """Store the image again under a new random name and drop every old file.

        For a legal removal: the addresses of the original, its renditions and its crops
        (in pages, feeds, caches, image search) stop answering once the transaction
        commits, while the photo stays in the library; the worker makes new renditions
        under new names. Returns the old original's name.
        """
        from django.core.files.base import ContentFile

        old_name, storage = self.image.name, self.image.storage
        with storage.open(old_name, "rb") as original:
            content = original.read()
        self.image.save(self.original_filename or old_name, ContentFile(content), save=False)
        self.save()  # a new image: the old renditions and crops go after commit
        transaction.on_commit(partial(delete_files, [old_name], storage))
        return old_name

    def clean(self):
        super().clean()
        if (self.focal_x is None) != (self.focal_y is None):
            missing = "focal_y" if self.focal_y is None else "focal_x"
            raise ValidationError(
                {missing: _("Give both coordinates of the focal point, or neither.")},
                code="half_focal_point",
            )

    TEXT_FIELDS = ("caption", "credit", "alt_text")

    def text_in(self, language):
        """``{"caption", "credit", "alt_text"}`` in ``language`` ("en" or "fr")."""
        suffix = "" if language == "en" else f"_{language}"
        return {name: getattr(self, f"{name}{suffix}") for name in self.TEXT_FIELDS}

    def _in_page_language(self, name):
        from ..languages import ENGLISH, current  # imported when used: models load first

        language = current()
        return getattr(self, name if language == ENGLISH else f"{name}_{language}")

    # What readers' pages show: the words in the page's language.
    @property
    def page_caption(self):
        return self._in_page_language("caption")

    @property
    def page_credit(self):
        return self._in_page_language("credit")

    @property
    def page_alt_text(self):
        return self._in_page_language("alt_text")

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
