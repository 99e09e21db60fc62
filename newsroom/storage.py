"""Media storage that holds images only, typed by their real format, and fails cleanly.

Every file written to media goes through :func:`checked_name` (in both storages' ``save``),
whatever wrote it (an upload, a rendition or crop, the demo, the WordPress importer): the
file's format is read from its bytes, anything but a JPEG, PNG or WebP is refused
(:class:`NotAnImage`), and the stored name's extension is that format's. The type media are
served with follows from that one decision: a web server serving local media maps the
extension, and on S3 the object's ``Content-Type`` is set from it, never from what the
uploader's browser claimed (an upload's ``content_type``, which django-storages would
otherwise store).

A full disk, a read-only or missing media folder, or an unreachable object store must
not end an editor's upload with a 500 or leave half a file behind. The storages below
turn those failures into ``MediaStorageError`` (removing any partly written file), and
``MediaStorageErrorMiddleware`` answers it with a clear admin page. The admin's add and
change views run in one transaction, so the error rolls back the story or photo row too:
nothing is half-written.
"""

import functools
import logging
import os
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.static import serve
from PIL import Image

logger = logging.getLogger(__name__)


class MediaStorageError(OSError):
    """The media storage could not write a file (full, read-only, unreachable)."""


# The only formats media may hold, by Pillow's name for them: (content type, extension).
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
CONTENT_TYPES = {extension: content_type for content_type, extension in IMAGE_FORMATS.values()}


class NotAnImage(SuspiciousFileOperation):
    """Something that is not a JPEG, PNG or WebP was about to be stored as media.

    Forms and the importer check files before they get here; reaching this is a path that
    forgot to. Django answers it as a 400 (a SuspiciousOperation), never storing the file.
    """


def detect_format(content):
    """Pillow's name for the format of ``content`` (a file), if it is one media may hold.

    Reads the header only, and leaves the file where it was. Raises :class:`NotAnImage`.
    """
    position = content.tell() if hasattr(content, "tell") else 0
    image_format = None
    try:
        content.seek(0)
        with warnings.catch_warnings():
            # Size limits are the upload checks' job; here only the format matters.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(content) as image:
                image_format = image.format
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for a non-image
        logger.info("Refused to store a file that is not an image: %s", exc)
    finally:
        if hasattr(content, "seek"):
            content.seek(position)
    if image_format not in IMAGE_FORMATS:
        raise NotAnImage(
            f"Refused to store a file that is not a JPEG, PNG or WebP image "
            f"({image_format or 'not an image'}): media hold photos only."
        )
    return image_format


def name_for_format(name, image_format):
    """``name`` with the extension of ``image_format`` in place of whatever it had."""
    path = PurePosixPath(name)
    return str(path.with_name(path.stem + IMAGE_FORMATS[image_format][1]))


def content_type_of(name):
    """The type a stored file is served with: its format's, known from its extension."""
    return CONTENT_TYPES.get(PurePosixPath(name).suffix.lower())


def checked_name(name, content):
    """The name both media storages store ``content`` under: ``name`` (or the file's own)
    with its real format's extension. Raises :class:`NotAnImage` for anything else."""
    return name_for_format(content.name if name is None else name, detect_format(content))


class MediaStorage(FileSystemStorage):
    """Local-disk media (the default) that reports write failures as ``MediaStorageError``."""

    def save(self, name, content, max_length=None):
        return super().save(checked_name(name, content), content, max_length)

    def _save(self, name, content):
        full_path = self.path(name)
        existed = os.path.exists(full_path)
        try:
            return super()._save(name, content)
        except OSError as exc:
            if not existed and os.path.isfile(full_path):
                try:
                    os.remove(full_path)  # do not leave a truncated photo behind
                except OSError:
                    logger.warning("Could not remove the partial file %s", full_path)
            raise MediaStorageError(exc.errno, exc.strerror or str(exc), name) from exc


# Connect and per-answer timeouts (seconds) and total attempts for the object store.
S3_CONNECT_TIMEOUT = 2
S3_READ_TIMEOUT = 5
S3_ATTEMPTS = 2


@functools.cache
def s3_storage_class():
    """The S3-compatible storage with the same error reporting (imported only when used)."""
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError
    from storages.backends.s3 import S3Storage

    S3_TIMEOUTS = Config(
        connect_timeout=S3_CONNECT_TIMEOUT,
        read_timeout=S3_READ_TIMEOUT,
        retries={"total_max_attempts": S3_ATTEMPTS, "mode": "standard"},
    )

    class MediaS3Storage(S3Storage):
        def save(self, name, content, max_length=None):
            return super().save(checked_name(name, content), content, max_length)

        def get_object_parameters(self, name):
            # django-storages' documented per-object hook. Without a ContentType here it
            # stores the upload's own (the browser's claim: text/html for page.html).
            params = super().get_object_parameters(name)
            content_type = content_type_of(name)
            if content_type:
                params["ContentType"] = content_type
            return params

        def __init__(self, **settings):
            super().__init__(**settings)
            # botocore waits 60 s to connect and 60 s for each answer, four attempts: a hung
            # object store held an upload for minutes. Bounded, it fails within gunicorn's
            # timeout with the upload's clear error (MediaStorageError), not a killed worker.
            self.client_config = self.client_config.merge(S3_TIMEOUTS)

        def _save(self, name, content):
            try:
                return super()._save(name, content)
            except (BotoCoreError, ClientError) as exc:
                raise MediaStorageError(None, str(exc), name) from exc

    return MediaS3Storage


class MediaS3Storage:
    """Dotted-path entry for ``STORAGES``: builds the S3 storage class on first use."""

    def __new__(cls, *args, **kwargs):
        return s3_storage_class()(*args, **kwargs)


# What a media origin should send (docs/hardening/media-types.md): images need no script,
# style or frame, and "sandbox" gives anything opened directly a unique, powerless origin.
MEDIA_POLICY = "default-src 'none'; img-src 'self'; sandbox"


def serve_media(request, path):
    """Serve a file from ``MEDIA_ROOT`` (``SERVE_MEDIA``, development), images as images only.

    New uploads always carry their format's extension; a file stored before that under
    a name such as ``page.html`` is sent as a download, never rendered as a page from
    the site's own address.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200 and not response["Content-Type"].startswith("image/"):
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    # Media share the site's origin here: whatever a file turned out to be, a browser
    # opening it runs nothing in that origin (SecurityHeadersMiddleware keeps this policy).
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response


class MediaStorageErrorMiddleware:
    """Answer a failed media write with a clear page instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, MediaStorageError):
            return None
        logger.error("Media storage could not save %s: %s", exception.filename, exception)
        reason = exception.strerror or _("the storage refused the file")
        message = _(
            "The file could not be saved because the media storage failed (%(reason)s). "
            "Nothing was saved: go back, keep your text, and try again once the site "
            "administrator has freed space or fixed the media folder."
        ) % {"reason": reason}
        return render(
            request,
            "admin/media_storage_error.html",
            {
                **admin.site.each_context(request),
                "message": message,
                "title": _("The upload could not be saved"),
            },
            status=507,
        )
