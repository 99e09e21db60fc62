"""Where photo files go: names no one can guess, the extension of the real format."""

import errno
import re
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles import images
from articles.models import Author, Photo
from tests.factories import PhotoFactory, image_bytes

pytestmark = pytest.mark.django_db

TOKEN = r"[0-9a-f]{32}"


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_an_original_is_stored_under_a_random_name_and_keeps_its_upload_name_as_data():
    photo = PhotoFactory(image=ContentFile(image_bytes(), name="council-draft-leak.jpg"))
    assert re.fullmatch(rf"photos/\d{{4}}/\d{{2}}/{TOKEN}\.jpg", photo.image.name)
    assert "council" not in photo.image.name
    assert photo.original_filename == "council-draft-leak.jpg"


def test_two_uploads_of_the_same_file_get_different_names():
    first = PhotoFactory(image=ContentFile(image_bytes(), name="photo.jpg"))
    second = PhotoFactory(image=ContentFile(image_bytes(), name="photo.jpg"))
    assert first.image.name != second.image.name


def test_renditions_are_not_under_the_photo_id_nor_the_upload_name():
    photo = PhotoFactory(image=ContentFile(image_bytes(), name="leak.jpg"))
    names = [r[key] for r in photo.renditions for key in ("webp", "jpeg")]
    assert names, "renditions were made"
    for name in names:
        assert re.fullmatch(rf"photos/renditions/{TOKEN}/\d+w\.(webp|jpg)", name), name
        assert f"/{photo.pk}/" not in name and "leak" not in name


@pytest.mark.parametrize(
    ("upload_name", "fmt", "extension"),
    [
        ("page.html", "JPEG", ".jpg"),
        ("shell.php", "JPEG", ".jpg"),
        ("photo.jpg", "PNG", ".png"),
        ("photo.png", "WEBP", ".webp"),
        ("no-extension", "JPEG", ".jpg"),
    ],
)
def test_a_file_is_stored_with_the_extension_of_its_real_format(upload_name, fmt, extension):
    photo = PhotoFactory(image=ContentFile(image_bytes(fmt, size=(60, 40)), name=upload_name))
    assert photo.image.name.endswith(extension)
    assert photo.original_filename == upload_name


def test_attaching_bytes_from_code_the_ordinary_django_way_works(
    django_capture_on_commit_callbacks,
):
    """``photo.image.save(name, content)`` on a new photo: an importer, a script, a shell."""
    photo = Photo(caption="Imported from the wire", credit="CP", alt_text="A ridge on fire")
    with django_capture_on_commit_callbacks(execute=True):  # and the worker makes renditions
        photo.image.save("wire-0001.jpg", ContentFile(image_bytes(size=(800, 600))))
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (800, 600)
    assert photo.original_filename == "wire-0001.jpg"
    assert [r["width"] for r in photo.renditions] == [320, 640, 800]


def test_attaching_a_file_that_is_not_an_accepted_image_from_code_stores_nothing(settings):
    photo = Photo(caption="Not a photo")
    with pytest.raises(Exception, match="not an image we can read"):
        photo.image.save("page.html", ContentFile(b"<script>alert(1)</script>"))
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_a_rendition_that_fails_to_write_leaves_no_partial_files_and_is_retried(settings):
    photo = PhotoFactory(rendered=False)
    original = stored_files(settings)
    disk_gone = OSError(errno.EIO, "Input/output error")
    with mock.patch.object(images.Image.Image, "resize", side_effect=disk_gone):
        with pytest.raises(OSError):  # a system error: the task retries it
            photo.refresh_renditions()
    assert stored_files(settings) == original
    photo.refresh_from_db()
    assert photo.renditions == [] and photo.renditions_of == ""  # still due


def test_replacing_the_image_makes_new_renditions_and_removes_the_old_ones(
    settings, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    old = [r["jpeg"] for r in photo.renditions]
    with django_capture_on_commit_callbacks(execute=True):
        photo.image = ContentFile(image_bytes(size=(700, 500)), name="second.png")
        photo.save()
    photo.refresh_from_db()  # the worker (in-process here) stored the new set
    assert [r["width"] for r in photo.renditions] == [320, 640, 700]
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(r["jpeg"]) for r in photo.renditions)


def test_saving_the_caption_makes_no_new_renditions():
    photo = PhotoFactory()
    renditions = photo.renditions
    photo.caption = "A corrected caption."
    photo.save()
    photo.refresh_from_db()
    assert photo.renditions == renditions


def test_a_very_wide_image_from_code_still_gets_renditions_of_at_least_one_pixel():
    """Only forms check the shape; rendering a strip attached from code must not crash."""
    photo = Photo(caption="A strip")
    photo.image.save("strip.jpg", ContentFile(image_bytes(size=(4000, 3))))
    assert photo.refresh_renditions()
    assert photo.renditions and all(r["height"] >= 1 for r in photo.renditions)


def test_the_widest_rendition_fits_webp_limits():
    assert images.rendition_widths(20_000, 2_000)[-1] == images.WEBP_MAX_SIDE
    assert images.rendition_widths(1_700, 16_400)[-1] <= 1_700 * images.WEBP_MAX_SIDE // 16_400
    assert images.rendition_widths(1_200, 800) == [320, 640, 960, 1200]


def test_an_author_photo_gets_a_random_name_and_its_real_extension():
    author = Author.objects.create(name="Jane Doe", slug="jane-doe")
    author.photo.save("jane.html", ContentFile(image_bytes(size=(200, 200))))
    assert re.fullmatch(rf"authors/{TOKEN}\.jpg", author.photo.name)
