"""Give every stored photo file the content type of its real format.

Before the media storage typed files by their detected format, an S3 object kept the type
the uploader's browser claimed: ``page.html`` that is really a JPEG with a script in its
tail was stored as ``….jpg`` but served as ``text/html``. This walks every file the database
names (photos, their renditions and crops, author portraits), reads each one's format from
its bytes and, on S3, rewrites the object's metadata in place (a copy onto itself with
``MetadataDirective=REPLACE``) where its type is wrong. On local disk the web server types
files by their name, so a file whose name's extension is not its format's is reported.

Files that are missing or are not a JPEG, PNG or WebP are named, and the command ends with a
non-zero exit; everything else is still repaired. ``--dry-run`` reports and changes nothing.
"""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from articles.models import Author, Photo
from newsroom.storage import IMAGE_FORMATS, NotAnImage, content_type_of, detect_format

PROGRESS_EVERY = 200


def stored_names():
    """Every media file the database names, each once, in a stable order."""
    names = set()
    for image, renditions, crops in Photo.objects.values_list(
        "image", "renditions", "crops"
    ).iterator():
        names.add(image)
        for entry in (renditions or []) + (crops or []):
            names.update(entry.get(key) for key in ("webp", "jpeg"))
    names.update(Author.objects.exclude(photo="").values_list("photo", flat=True))
    return sorted(name for name in names if name)


class Missing(Exception):
    """The database names a file the storage does not hold."""


class Command(BaseCommand):
    help = (
        "Give every stored photo, rendition, crop and author portrait the content type of its "
        "real format (on S3, by rewriting the object's metadata); report files that are missing "
        "or not images."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be fixed; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        storage = default_storage
        s3 = getattr(storage, "bucket_name", None) is not None
        names = stored_names()
        self.stdout.write(
            f"Checking {len(names)} stored files on "
            + (f"the S3 bucket {storage.bucket_name}" if s3 else "local disk")
            + (" (dry run: nothing is changed)" if dry_run else "")
        )
        fixed = right = 0
        problems = []
        for number, name in enumerate(names, start=1):
            try:
                image_format = self.format_of(storage, name)
            except Missing:
                problems.append(f"{name}: missing from the media storage")
                continue
            except NotAnImage:
                problems.append(f"{name}: not a JPEG, PNG or WebP image")
                continue
            expected = IMAGE_FORMATS[image_format][0]
            if s3:
                head = self.s3_head(storage, name)
                current = head.get("ContentType")
                if current == expected:
                    right += 1
                else:
                    self.stdout.write(f"{name}: {current} -> {expected}")
                    if not dry_run:
                        self.set_s3_content_type(storage, name, expected, head)
                    fixed += 1
            elif content_type_of(name) == expected:
                right += 1
            else:
                suffix = name.rsplit(".", 1)[-1] if "." in name else ""
                problems.append(
                    f"{name}: a {image_format} stored under a name ending in .{suffix} "
                    "(served by its name; upload it again)"
                )
            if number % PROGRESS_EVERY == 0:
                self.stdout.write(f"… {number} of {len(names)} checked")
        for problem in problems:
            self.stdout.write(problem)
        done = f"{fixed} to fix" if dry_run else f"{fixed} fixed"
        self.stdout.write(
            f"Checked {len(names)} stored files: {done}, {right} already right, "
            f"{len(problems)} could not be repaired."
        )
        if problems:
            raise CommandError(
                ngettext(
                    "%(count)d stored file could not be repaired (listed above): remove it "
                    "or upload it again.",
                    "%(count)d stored files could not be repaired (listed above): remove "
                    "them or upload them again.",
                    len(problems),
                )
                % {"count": len(problems)}
            )

    def format_of(self, storage, name):
        try:
            with storage.open(name, "rb") as stored:
                return detect_format(stored)
        except FileNotFoundError as exc:
            raise Missing(name) from exc
        except NotAnImage:
            raise
        except Exception as exc:
            if _is_not_found(exc):
                raise Missing(name) from exc
            raise CommandError(
                f"The media storage failed while reading {name} ({exc}). Nothing after it "
                "was checked; run the command again once the storage answers."
            ) from exc

    def s3_head(self, storage, name):
        try:
            return _client(storage).head_object(Bucket=storage.bucket_name, Key=_key(storage, name))
        except Exception as exc:
            raise CommandError(
                f"The object store failed while reading the type of {name} ({exc}). Run the "
                "command again once it answers."
            ) from exc

    def set_s3_content_type(self, storage, name, content_type, head):
        """Rewrite the object's metadata in place: its type, keeping its other headers."""
        wanted = storage.get_object_parameters(name)
        params = {
            "ContentType": content_type,
            "CacheControl": head.get("CacheControl") or wanted.get("CacheControl"),
            "ContentDisposition": head.get("ContentDisposition"),
            "ContentEncoding": head.get("ContentEncoding"),
            "Metadata": head.get("Metadata") or {},
        }
        key = _key(storage, name)
        try:
            _client(storage).copy_object(
                Bucket=storage.bucket_name,
                Key=key,
                CopySource={"Bucket": storage.bucket_name, "Key": key},
                MetadataDirective="REPLACE",
                **{k: v for k, v in params.items() if v is not None},
            )
        except Exception as exc:
            raise CommandError(
                f"The object store refused to update the type of {name} ({exc}). Files "
                "listed before it are fixed; run the command again once it accepts writes."
            ) from exc


def _client(storage):
    return storage.connection.meta.client


def _key(storage, name):
    """The object key of a stored name (under the storage's ``location``, if it has one)."""
    location = (storage.location or "").strip("/")
    return f"{location}/{name}" if location else name


def _is_not_found(exc):
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code")) in {"404", "NoSuchKey", "NotFound"}
