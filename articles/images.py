"""Photo uploads: checks on the way in, renditions on the way out.

Uploads are opened with Pillow and refused unless they are a real JPEG, PNG or WebP
within the size and pixel limits (the pixel limit stops decompression bombs before
the image is decoded). Each accepted photo gets renditions at the widths in
``settings.PHOTO_RENDITION_WIDTHS``, in WebP with a JPEG fallback, for ``srcset``.
"""

import io
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def validate_image_upload(upload):
    """Raise ``ValidationError`` unless ``upload`` is a JPEG, PNG or WebP within limits."""
    max_bytes = settings.PHOTO_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s MB; photos may be at most %(limit)s MB.")
            % {"size": round(upload.size / 1_048_576, 1), "limit": max_bytes // 1_048_576},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > settings.PHOTO_MAX_PIXELS:
                    raise ValidationError(
                        _(
                            "This image is %(width)s × %(height)s pixels; the limit is "
                            "%(limit)s million pixels. Resize it and upload it again."
                        )
                        % {
                            "width": width,
                            "height": height,
                            "limit": settings.PHOTO_MAX_PIXELS // 1_000_000,
                        },
                        code="too_many_pixels",
                    )
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("This image has too many pixels to process safely."), code="too_many_pixels"
        ) from exc
    except Exception as exc:  # Pillow raises many types for a broken or non-image file.
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG or WebP photo."),
            code="not_an_image",
        ) from exc
    finally:
        if hasattr(upload, "seek"):
            upload.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted. Upload a JPEG, PNG or WebP photo.")
            % {"format": image_format or _("This kind of")},
            code="bad_format",
        )


def make_renditions(photo):
    """Write the resized copies of ``photo.image`` and return their descriptions.

    Returns a list of ``{"width", "height", "webp", "jpeg"}`` dicts (storage names),
    narrowest first, never wider than the original.
    """
    renditions = []
    with photo.image.open("rb") as source, Image.open(source) as original:
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.split()[-1])
            image = background
        elif image.mode == "L":
            image = image.convert("RGB")
        stem = PurePosixPath(photo.image.name).stem
        widths = sorted({w for w in settings.PHOTO_RENDITION_WIDTHS if w < image.width})
        widths.append(image.width)
        for width in widths:
            height = round(image.height * width / image.width)
            resized = (
                image if width == image.width else image.resize((width, height), Image.LANCZOS)
            )
            entry = {"width": width, "height": height}
            for fmt, ext, options in (
                ("WEBP", "webp", {"quality": 80, "method": 4}),
                ("JPEG", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
            ):
                buffer = io.BytesIO()
                resized.save(buffer, fmt, **options)
                name = f"photos/renditions/{photo.pk}/{stem}-{width}w.{ext}"
                if default_storage.exists(name):
                    default_storage.delete(name)
                entry[ext if ext == "webp" else "jpeg"] = default_storage.save(
                    name, ContentFile(buffer.getvalue())
                )
            renditions.append(entry)
    return renditions
