"""Media storage that fails cleanly, and the admin page that says so.

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

from django.conf import settings
from django.contrib import admin
from django.core.files.storage import FileSystemStorage
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.static import serve

logger = logging.getLogger(__name__)


class MediaStorageError(OSError):
    """The media storage could not write a file (full, read-only, unreachable)."""


class MediaStorage(FileSystemStorage):
    """Local-disk media (the default) that reports write failures as ``MediaStorageError``."""

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
