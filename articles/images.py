"""Photo uploads: checks on the way in, safe names in storage, renditions on the way out.

Uploads are opened with Pillow and refused unless they are a real JPEG, PNG or WebP
within the size and pixel limits (the pixel limit stops decompression bombs before
the image is decoded), of a shape a page can show, and decode to the last byte (a
file cut short or damaged is a form error, not a crash after it has been stored).

Stored files are named by a random token and the extension of the format Pillow
found, never by the upload's name: a draft's photo cannot be guessed from its story
or its file name, and ``page.html`` that is really a JPEG is stored as ``….jpg``. The
name it was uploaded under is kept as data (``Photo.original_filename``). The media
storage itself (``newsroom/storage.py``) makes the last check on every write, whatever
wrote it: it refuses what is not an accepted image and stores the type of its format.

Each photo gets renditions at the widths in ``settings.PHOTO_RENDITION_WIDTHS``, in
WebP with a JPEG fallback, for ``srcset`` (:func:`make_renditions`), and crops to the
3:2 frame of story cards and thumbnails, cut around the photo's focal point
(:func:`make_crops`, :func:`crop_box`).
"""

import io
import logging
import secrets
import warnings
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile, ImageFileDescriptor
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from newsroom.storage import IMAGE_FORMATS

logger = logging.getLogger(__name__)

# One table for what media may hold, the storage's: its types and extensions by format.
ALLOWED_FORMATS = {fmt: content_type for fmt, (content_type, _ext) in IMAGE_FORMATS.items()}
EXTENSIONS = {fmt: extension for fmt, (_type, extension) in IMAGE_FORMATS.items()}

# A photo more than ten times as wide as it is tall (or the reverse) is not something
# a story page can show, and its narrow renditions would round to 0 pixels.
MAX_ASPECT_RATIO = 10
# WebP cannot encode a side longer than this; the widest rendition is scaled to fit.
WEBP_MAX_SIDE = 16383


def random_token():
    """128 random bits as 32 hex characters: a file name no one can guess."""
    return secrets.token_hex(16)


def _unreadable():
    return ValidationError(
        _("This file is not an image we can read. Upload a JPEG, PNG or WebP photo."),
        code="not_an_image",
    )


def _too_many_pixels():
    return ValidationError(
        _("This image has too many pixels to process safely."), code="too_many_pixels"
    )


def _rewound(content):
    """Where ``content`` is now, after moving to its start (files may arrive half-read)."""
    position = content.tell() if hasattr(content, "tell") else 0
    if hasattr(content, "seek"):
        content.seek(0)
    return position


def identify(content):
    """``(format, (width, height))`` of an accepted image, read from its header only.

    Raises ``ValidationError`` for anything that is not a JPEG, PNG or WebP. Nothing is
    decoded, so this is cheap enough to run on every save.
    """
    position = _rewound(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(content) as image:
                image_format, size = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except Exception as exc:  # Pillow raises many types for a broken or non-image file.
        raise _unreadable() from exc
    finally:
        if hasattr(content, "seek"):
            content.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted. Upload a JPEG, PNG or WebP photo.")
            % {"format": image_format or _("This kind of")},
            code="bad_format",
        )
    return image_format, size


def _check_shape(width, height):
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels; the limit is "
                "%(limit)s million pixels. Resize it and upload it again."
            )
            % {"width": width, "height": height, "limit": settings.PHOTO_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        )
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels: too long and thin to show as a "
                "photo. A photo may be at most %(ratio)s times as wide as it is tall (or as "
                "tall as it is wide). Crop it and upload it again."
            )
            % {"width": width, "height": height, "ratio": MAX_ASPECT_RATIO},
            code="bad_shape",
        )


def _check_decodes(upload, image_format, width, height):
    """Decode the whole image: a header can be fine and the pixels behind it cut or corrupt."""
    position = _rewound(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image_format == "JPEG":
                    # Decoding at 1/8 scale still reads every byte of the compressed
                    # data, so a cut or damaged file fails the same way, in less time.
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except Exception as exc:
        logger.info("Refused an upload that does not decode: %s", exc)
        if "truncated" in str(exc):
            message = _(
                "This image file is incomplete: it ends before the picture does (a download "
                "or copy was cut short). Get the file again and upload the new copy."
            )
            code = "truncated"
        else:
            message = _(
                "This image file is damaged: its header is fine but the picture cannot be "
                "decoded. Export or download it again and upload the new copy."
            )
            code = "damaged"
        raise ValidationError(message, code=code) from exc
    finally:
        if hasattr(upload, "seek"):
            upload.seek(position)


def validate_image_upload(upload):
    """Raise ``ValidationError`` unless ``upload`` is a JPEG, PNG or WebP a page can show.

    For new uploads only: forms run it through :class:`ImageUploadField`, which never
    passes it the file already stored (re-reading that on every caption edit is what
    used to crash, and it was checked when it came in).
    """
    max_bytes = settings.PHOTO_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s MB; photos may be at most %(limit)s MB.")
            % {"size": round(upload.size / 1_048_576, 1), "limit": max_bytes // 1_048_576},
            code="too_large",
        )
    image_format, (width, height) = identify(upload)
    _check_shape(width, height)
    _check_decodes(upload, image_format, width, height)


class ImageUploadField(forms.FileField):
    """A form field for a photo upload, checked by :func:`validate_image_upload`.

    A plain ``FileField`` rather than Django's ``ImageField``: the content decides what
    a file is, so its name's extension is neither checked nor kept.
    """

    default_validators = [validate_image_upload]

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_FORMATS.values())})
        )
        super().__init__(**kwargs)


class RandomlyNamedImageFieldFile(ImageFieldFile):
    """Stores every file as ``<random token>.<extension of its real format>``."""

    def save(self, name, content, save=True):
        image_format, (width, height) = identify(content)
        field, instance = self.field, self.instance
        if field.original_name_field:
            original = PurePosixPath(str(name or "")).name
            setattr(instance, field.original_name_field, original[:255])
        super().save(random_token() + EXTENSIONS[image_format], content, save=False)
        # Django reads the size back only from content that has a name; an unnamed
        # ContentFile (the usual way to attach bytes from code) left them empty.
        if field.width_field:
            setattr(instance, field.width_field, width)
        if field.height_field:
            setattr(instance, field.height_field, height)
        if save:
            try:
                instance.save()
            except BaseException:
                delete_files([self.name], self.storage)  # the row naming it was not saved
                raise


def _stored_name(value):
    if isinstance(value, str):
        return value
    if isinstance(value, FieldFile):
        return value.name
    return None  # a new upload, or nothing


class KeepMeasuredImageFileDescriptor(ImageFileDescriptor):
    """Assigning a photo the stored file it already holds measures nothing again.

    Model validation, a form saved without a new upload and ``refresh_from_db()`` all
    assign the stored file back; Django would then open it to measure it again: a
    download from the object store on every caption edit, and a 500 if the file has
    gone missing. Stored names are never reused for other content, so the size held
    is still right.
    """

    def __set__(self, instance, value):
        held = instance.__dict__.get(self.field.attname)
        name = _stored_name(value)
        if name and name == _stored_name(held):
            instance.__dict__[self.field.attname] = value
            return
        super().__set__(instance, value)


class RandomlyNamedImageField(models.ImageField):
    """An ``ImageField`` whose stored names cannot be guessed and always match the content.

    ``original_name_field`` names a field that keeps the name the file was uploaded
    under. Forms get an :class:`ImageUploadField`, so a new upload is checked and a save
    without one leaves the stored file alone.
    """

    attr_class = RandomlyNamedImageFieldFile
    descriptor_class = KeepMeasuredImageFileDescriptor

    def __init__(self, *args, original_name_field=None, **kwargs):
        self.original_name_field = original_name_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.original_name_field:
            kwargs["original_name_field"] = self.original_name_field
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        # No limit on the upload's name: it is not what the file is stored under.
        return super().formfield(**{"form_class": ImageUploadField, "max_length": None, **kwargs})


def _as_rgb(image):
    if image.mode == "RGB":
        return image
    if image.mode == "L":
        return image.convert("RGB")
    background = Image.new("RGB", image.size, "white")
    rgba = image.convert("RGBA")
    background.paste(rgba, mask=rgba.split()[-1])
    return background


def rendition_widths(width, height):
    """The widths to render an image of this size at, narrowest first.

    Never wider than the original; the widest also fits WebP's limit on either side.
    """
    largest = max(1, min(width, WEBP_MAX_SIDE, WEBP_MAX_SIDE * width // height))
    widths = sorted({w for w in settings.PHOTO_RENDITION_WIDTHS if w < largest})
    widths.append(largest)
    return widths


# Story cards, related-story and admin thumbnails and the photo library show photos in a
# 3:2 frame; a crop made here keeps the focal point in it, which CSS ``object-fit`` cannot.
CROP_ASPECT = (3, 2)
CROP_WIDTHS = (160, 320, 640, 960)


def crop_box(width, height, focal_x=None, focal_y=None, aspect=CROP_ASPECT):
    """``(left, top, right, bottom)`` of the largest ``aspect`` frame in the image, as near
    centred on the focal point (fractions 0–1 of width and height; None: the centre) as
    the image's edges allow. The focal point is always inside it.
    """
    fx = 0.5 if focal_x is None else min(max(focal_x, 0.0), 1.0)
    fy = 0.5 if focal_y is None else min(max(focal_y, 0.0), 1.0)
    ratio = aspect[0] / aspect[1]
    if width / height > ratio:  # wider than the frame: cut the sides
        crop_w, crop_h = max(1, min(width, round(height * ratio))), height
    else:  # taller: cut the top and bottom
        crop_w, crop_h = width, max(1, min(height, round(width / ratio)))
    left = min(max(round(fx * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(fy * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def _upright_rgb(photo, original):
    try:
        image = ImageOps.exif_transpose(original)
    except Exception:  # a broken orientation tag is not worth losing the photo over
        logger.warning("Ignored unreadable EXIF orientation of %s", photo.image.name)
        image = original
    return _as_rgb(image)


def _save_formats(image, storage, folder, name, entry):
    for fmt, key, options in (
        ("WEBP", "webp", {"quality": 80, "method": 4}),
        ("JPEG", "jpeg", {"quality": 82, "optimize": True, "progressive": True}),
    ):
        buffer = io.BytesIO()
        image.save(buffer, fmt, **options)
        entry[key] = storage.save(
            f"{folder}/{name}{EXTENSIONS[fmt]}", ContentFile(buffer.getvalue())
        )


def make_crops(photo):
    """Write 3:2 crops of ``photo.image`` around its focal point; return their descriptions.

    The same shape as :func:`make_renditions` (``{"width", "height", "webp", "jpeg"}``,
    narrowest first, in a fresh random folder); never wider than the crop itself.
    """
    with photo.image.open("rb") as source, Image.open(source) as original:
        image = _upright_rgb(photo, original)
        box = crop_box(image.width, image.height, photo.focal_x, photo.focal_y)
        cropped = image.crop(box)
        largest = min(cropped.width, WEBP_MAX_SIDE)
        widths = sorted({w for w in CROP_WIDTHS if w < largest} | {min(largest, CROP_WIDTHS[-1])})
        return _write_sizes(cropped, widths, photo.image.storage, "crop-")


def make_renditions(photo):
    """Write the resized copies of ``photo.image`` and return their descriptions.

    Returns a list of ``{"width", "height", "webp", "jpeg"}`` dicts (storage names),
    narrowest first, never wider than the original. The files go under a fresh random
    folder, so they cannot be guessed and a new set never overwrites one a CDN holds.
    If anything fails, the files written so far are removed before the error goes on.
    Callable from anywhere (a request, a worker, a shell); it does not save ``photo``.
    """
    with photo.image.open("rb") as source, Image.open(source) as original:
        image = _upright_rgb(photo, original)
        return _write_sizes(
            image, rendition_widths(image.width, image.height), photo.image.storage, ""
        )


def _write_sizes(image, widths, storage, prefix):
    """Store ``image`` at each of ``widths`` (WebP and JPEG) in a fresh random folder and
    return their descriptions; if one fails, remove those already written and re-raise."""
    folder = f"photos/renditions/{random_token()}"
    written = []
    try:
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            resized = (
                image
                if (width, height) == image.size
                else image.resize((width, height), Image.LANCZOS)
            )
            entry = {"width": width, "height": height}
            written.append(entry)  # listed before its files, so a failure removes them
            _save_formats(resized, storage, folder, f"{prefix}{width}w", entry)
    except BaseException:
        delete_renditions(written, storage)
        raise
    return written


def delete_files(names, storage=None):
    """Remove stored files that nothing names any more; log what cannot go, never raise."""
    storage = storage or default_storage
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:
            logger.warning("Could not remove the media file %s", name, exc_info=True)


def delete_renditions(renditions, storage=None):
    """Remove the files of a list of renditions (a failed or replaced set); never raises."""
    delete_files(
        [entry.get(key) for entry in renditions or [] for key in ("webp", "jpeg")], storage
    )
