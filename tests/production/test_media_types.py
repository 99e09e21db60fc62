"""Stored media carry the type of their real format, never the one the uploader claimed.

A JPEG with an HTML tail uploaded as ``page.html`` with ``Content-Type: text/html`` must be
served by the object store (SeaweedFS here, any S3 in production) as ``image/jpeg``, whatever
path stored it: the photo library, the story form, an author's portrait. Anything that is not
a JPEG, PNG or WebP is refused by the storage itself, and ``repair_media_types`` fixes the
type of objects stored before.
"""

import io
import secrets
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article, Author, Photo
from devtools.cluster import create_public_bucket, fetch, s3_client
from newsroom.storage import NotAnImage, serve_media
from tests.admin.story_form import add_url, story_form_data
from tests.factories import AuthorFactory, PhotoFactory, SectionFactory, image_bytes

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(document.domain)</script></body></html>"


def polyglot():
    """A real JPEG (Pillow decodes it) whose tail is an HTML page with a script."""
    return image_bytes(size=(300, 200)) + SCRIPT


def as_page(content=None):
    return SimpleUploadedFile("page.html", content or polyglot(), content_type="text/html")


@pytest.fixture
def s3_media(settings, seaweedfs):
    """Media on a fresh public bucket of the run's SeaweedFS; the bucket's name."""
    bucket = f"media-types-{secrets.token_hex(4)}"
    create_public_bucket(seaweedfs, bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "newsroom.storage.MediaS3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": seaweedfs,
                "region_name": "us-east-1",
                "access_key": "newsroom-test",
                "secret_key": "newsroom-test-secret",
                "querystring_auth": False,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=86400"},
            },
        },
    }
    settings.MEDIA_URL = f"{seaweedfs}/{bucket}/"
    return bucket


def served_type(url):
    """The Content-Type the object store answers ``url`` with (over HTTP, as a reader gets it)."""
    status, headers, body = fetch(url)
    assert status == 200, f"{url}: {status}"
    return headers["Content-Type"]


def upload_to_library(client):
    response = client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": as_page(),
            "caption": "Smoke over Yellowknife",
            "credit": "THE CANADIAN PRESS",
            "alt_text": "Smoke over a city",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Photo.objects.get().image


def upload_with_a_story(client):
    data = story_form_data(
        section=str(SectionFactory().pk),
        headline="Flood waters rise in Fredericton",
        photo_upload=as_page(),
        photo_caption="The Saint John River over its banks",
        photo_credit="THE CANADIAN PRESS",
        photo_alt_text="A flooded street",
    )
    response = client.post(add_url(), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Article.objects.get(headline="Flood waters rise in Fredericton").lead_photo.image


def upload_as_a_portrait(client):
    response = client.post(
        reverse("admin:articles_author_add"),
        {"name": "Jane Doe", "slug": "jane-doe", "photo": as_page()},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Author.objects.get(slug="jane-doe").photo


UPLOAD_PATHS = [upload_to_library, upload_with_a_story, upload_as_a_portrait]


@pytest.mark.parametrize("upload", UPLOAD_PATHS, ids=["photo-library", "story-form", "portrait"])
def test_an_html_named_jpeg_upload_is_served_by_the_object_store_as_a_jpeg(
    s3_media, admin_browser, upload
):
    """The object store serves the uploaded original as image/jpeg, not the claimed text/html."""
    stored = upload(admin_browser)
    assert stored.name.endswith(".jpg")
    assert served_type(stored.url) == "image/jpeg"


def test_renditions_and_crops_on_the_object_store_have_their_formats_types(s3_media):
    """Every copy the worker writes is served with its own format's type."""
    photo = PhotoFactory(image=ContentFile(polyglot(), name="page.html"))
    names = [e[k] for e in photo.renditions + photo.crops for k in ("webp", "jpeg")]
    assert names
    for name in names:
        expected = "image/webp" if name.endswith(".webp") else "image/jpeg"
        assert served_type(default_storage.url(name)) == expected


@pytest.mark.parametrize("where", ["local", "s3"])
def test_the_storage_names_and_types_a_file_by_its_detected_format(request, where):
    """Saved straight to storage under a wrong name, a PNG is stored as .png (and typed so)."""
    if where == "s3":
        request.getfixturevalue("s3_media")
    png = io.BytesIO(image_bytes("PNG", size=(30, 20)))
    name = default_storage.save("wordpress/2019/04/evil.html", ContentFile(png.getvalue()))
    assert name.startswith("wordpress/2019/04/evil") and name.endswith(".png")
    if where == "s3":
        assert served_type(default_storage.url(name)) == "image/png"


@pytest.mark.parametrize("where", ["local", "s3"])
@pytest.mark.parametrize(
    "content",
    [
        SCRIPT,
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<?php system($_GET['c']); ?>",
        image_bytes("GIF", size=(10, 10)),
    ],
    ids=["html", "svg", "php", "gif"],
)
def test_the_storage_refuses_a_file_that_is_not_an_accepted_image(request, where, content):
    """Nothing but a JPEG, PNG or WebP is ever written to media, whatever path tries."""
    if where == "s3":
        request.getfixturevalue("s3_media")
    with pytest.raises(NotAnImage, match="JPEG, PNG or WebP"):
        default_storage.save("photos/2026/01/x.jpg", ContentFile(content))
    assert not default_storage.exists("photos/2026/01/x.jpg")


# --------------------------------------------------------------------------- the repair


def mistype(bucket, endpoint, name, content_type="text/html"):
    """What an upload stored before the fix left: the object's type is the uploader's."""
    client = s3_client(endpoint)
    client.copy_object(
        Bucket=bucket,
        Key=name,
        CopySource={"Bucket": bucket, "Key": name},
        ContentType=content_type,
        CacheControl="public, max-age=86400",
        MetadataDirective="REPLACE",
    )
    assert served_type(default_storage.url(name)) == content_type


@pytest.fixture
def mistyped(s3_media, seaweedfs):
    """A photo (original, a rendition, a crop) and a portrait, all stored as text/html."""
    photo = PhotoFactory()
    author = AuthorFactory(photo=ContentFile(image_bytes("PNG", size=(40, 40)), name="me.png"))
    names = [photo.image.name, photo.renditions[0]["webp"], photo.crops[0]["jpeg"]]
    names.append(author.photo.name)
    for name in names:
        mistype(s3_media, seaweedfs, name)
    return dict(zip(["original", "rendition", "crop", "portrait"], names, strict=True))


def test_repair_command_gives_stored_objects_their_detected_type(mistyped):
    """Objects stored with the uploader's type are served with their real type afterwards."""
    out = io.StringIO()
    call_command("repair_media_types", stdout=out)
    assert served_type(default_storage.url(mistyped["original"])) == "image/jpeg"
    assert served_type(default_storage.url(mistyped["rendition"])) == "image/webp"
    assert served_type(default_storage.url(mistyped["crop"])) == "image/jpeg"
    assert served_type(default_storage.url(mistyped["portrait"])) == "image/png"
    report = out.getvalue()
    assert f"{mistyped['original']}: text/html -> image/jpeg" in report
    assert "4 fixed" in report


def test_repair_command_dry_run_reports_and_changes_nothing(mistyped):
    """--dry-run lists what it would fix and leaves every object as it was."""
    out = io.StringIO()
    call_command("repair_media_types", "--dry-run", stdout=out)
    assert f"{mistyped['portrait']}: text/html -> image/png" in out.getvalue()
    assert "4 to fix" in out.getvalue()
    assert served_type(default_storage.url(mistyped["original"])) == "text/html"


def test_repair_command_fails_with_a_sentence_on_a_stored_file_that_is_not_an_image(
    s3_media, seaweedfs
):
    """A stored page that is no image is named and the command exits non-zero; others are fixed."""
    good = PhotoFactory(rendered=False)
    mistype(s3_media, seaweedfs, good.image.name)
    s3_client(seaweedfs).put_object(
        Bucket=s3_media, Key="authors/old.html", Body=SCRIPT, ContentType="text/html"
    )
    Author.objects.filter(pk=AuthorFactory().pk).update(photo="authors/old.html")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 stored file could not be repaired"):
        call_command("repair_media_types", stdout=out)
    assert "authors/old.html: not a JPEG, PNG or WebP" in out.getvalue()
    assert served_type(default_storage.url(good.image.name)) == "image/jpeg"


def test_repair_command_on_local_disk_reports_files_named_unlike_their_format(settings):
    """On local disk the name decides the type: a file whose name lies is reported, not missed."""
    photo = PhotoFactory(rendered=False)
    (Path(settings.MEDIA_ROOT) / "photos" / "old.html").write_bytes(polyglot())
    Photo.objects.filter(pk=photo.pk).update(image="photos/old.html")
    out = io.StringIO()
    with pytest.raises(CommandError, match="could not be repaired"):
        call_command("repair_media_types", stdout=out)
    assert "photos/old.html: a JPEG stored under a name ending in .html" in out.getvalue()


# --------------------------------------------------------------------------- local disk


@pytest.mark.parametrize("upload", UPLOAD_PATHS, ids=["photo-library", "story-form", "portrait"])
def test_an_html_named_jpeg_upload_is_served_from_local_disk_as_a_sandboxed_jpeg(
    admin_browser, upload
):
    """Media served by the app (SERVE_MEDIA): image/jpeg, under a sandboxing policy."""
    stored = upload(admin_browser)
    response = serve_media(RequestFactory().get(stored.url), stored.name)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
