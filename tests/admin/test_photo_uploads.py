"""Photos in the admin: describing one without re-uploading, refusing files that do not decode."""

import io
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Author, Photo
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import PhotoFactory, image_bytes

pytestmark = pytest.mark.django_db


def photo_change_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def stored_files(settings):
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def photo_post(photo, **changes):
    return {"caption": photo.caption, "credit": photo.credit, "alt_text": photo.alt_text, **changes}


def admin_errors(response):
    assert response.context is not None, f"expected a form page, got {response.status_code}"
    form = response.context["adminform"].form
    return " | ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())


def truncated_jpeg():
    data = image_bytes(size=(1200, 800))
    return data[: len(data) // 2]


def corrupt_png():
    """A PNG whose header is fine and whose pixel data is not a valid zlib stream."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 20, 30)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    start = data.index(b"IDAT") + 4
    data[start : start + 20] = b"\xff" * 20
    # Keep the chunk's checksum right, so only the decoder can tell.
    length = int.from_bytes(data[start - 8 : start - 4], "big")
    crc = zlib.crc32(bytes(data[start - 4 : start + length]))
    data[start + length : start + length + 4] = crc.to_bytes(4, "big")
    return bytes(data)


BROKEN_UPLOADS = [
    pytest.param(truncated_jpeg, "t.jpg", "incomplete", id="truncated-jpeg"),
    pytest.param(lambda: image_bytes(size=(65000, 1)), "w.jpg", "too long and thin", id="65000x1"),
    pytest.param(lambda: image_bytes(size=(1, 400)), "h.jpg", "too long and thin", id="1x400"),
    pytest.param(corrupt_png, "c.png", "damaged", id="corrupt-png"),
]


# --- describing a photo without uploading it again -------------------------------


@pytest.mark.parametrize("who", ["editor_client", "reporter_client"])
def test_saving_caption_credit_and_alt_text_without_a_new_image_works(request, who):
    client = request.getfixturevalue(who)
    photo = PhotoFactory(caption="Old caption", credit="Old credit", alt_text="Old alt")
    name, renditions = photo.image.name, photo.renditions
    response = client.post(
        photo_change_url(photo),
        {"caption": "Smoke over Yellowknife", "credit": "CP/Jane Doe", "alt_text": "Smoke"},
    )
    assert response.status_code == 302, admin_errors(response)
    photo.refresh_from_db()
    assert (photo.caption, photo.credit, photo.alt_text) == (
        "Smoke over Yellowknife",
        "CP/Jane Doe",
        "Smoke",
    )
    assert photo.image.name == name and photo.renditions == renditions


def test_saving_an_author_without_a_new_photo_works(client, django_user_model):
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    author = Author.objects.create(name="Jane Doe", slug="jane-doe")
    author.photo.save("jane.jpg", ContentFile(image_bytes(size=(200, 200))))
    response = client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {"name": "Jane Doe", "slug": "jane-doe", "job_title": "Columnist", "bio": "", "user": ""},
    )
    assert response.status_code == 302, admin_errors(response)
    author.refresh_from_db()
    assert author.job_title == "Columnist" and author.photo


def test_replacing_the_image_in_the_photo_admin_checks_the_new_file(editor_client, settings):
    photo = PhotoFactory()
    before = sorted(stored_files(settings))
    response = editor_client.post(
        photo_change_url(photo),
        {
            "image": SimpleUploadedFile("new.jpg", truncated_jpeg(), content_type="image/jpeg"),
            "caption": photo.caption,
            "credit": photo.credit,
            "alt_text": photo.alt_text,
        },
    )
    assert response.status_code == 200
    assert "incomplete" in admin_errors(response)
    assert sorted(stored_files(settings)) == before


# --- files that pass the header check but cannot be shown ---------------------------


@pytest.mark.parametrize(("make", "name", "message"), BROKEN_UPLOADS)
def test_a_broken_image_in_the_photo_admin_is_a_form_error_and_stores_nothing(
    editor_client, settings, make, name, message
):
    response = editor_client.post(
        reverse("admin:articles_photo_add"),
        {"image": SimpleUploadedFile(name, make()), "caption": "c", "credit": "", "alt_text": ""},
    )
    assert response.status_code == 200
    assert message in admin_errors(response)
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(("make", "name", "message"), BROKEN_UPLOADS)
def test_a_broken_image_in_the_story_form_is_a_form_error_and_stores_nothing(
    reporter_client, own_draft, settings, make, name, message
):
    data = story_form_data(own_draft, photo_upload=SimpleUploadedFile(name, make()))
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert not Photo.objects.exists()
    assert stored_files(settings) == []
    own_draft.refresh_from_db()
    assert own_draft.lead_photo is None


# --- names -------------------------------------------------------------------------


@pytest.mark.parametrize("upload_name", ["page.html", "shell.php", "photo.svg"])
def test_a_jpeg_named_like_a_page_is_stored_as_a_jpeg_from_the_story_form(
    reporter_client, own_draft, upload_name
):
    data = story_form_data(
        own_draft,
        photo_upload=SimpleUploadedFile(upload_name, image_bytes(), content_type="text/html"),
    )
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    photo = Photo.objects.get()
    assert photo.image.name.endswith(".jpg") and upload_name not in photo.image.name
    assert photo.original_filename == upload_name


def test_a_jpeg_named_like_a_page_is_stored_as_a_jpeg_from_the_photo_admin(editor_client):
    response = editor_client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": SimpleUploadedFile("page.html", image_bytes(), content_type="text/html"),
            "caption": "c",
            "credit": "",
            "alt_text": "",
        },
    )
    assert response.status_code == 302, admin_errors(response)
    assert Photo.objects.get().image.name.endswith(".jpg")


def test_saving_the_caption_does_not_read_the_stored_file_again(editor_client):
    """The file is not downloaded again to re-measure it; even a missing one is no 500."""
    photo = PhotoFactory(caption="Old caption")
    photo.image.storage.delete(photo.image.name)
    response = editor_client.post(photo_change_url(photo), photo_post(photo, caption="New"))
    assert response.status_code == 302, admin_errors(response)
    photo.refresh_from_db()
    assert photo.caption == "New" and (photo.width, photo.height) == (1200, 800)


def test_a_long_upload_name_is_no_reason_to_refuse_a_photo(editor_client):
    """Phones and agencies send long names; the file is stored under a short random one."""
    long_name = "AP_" + "x" * 150 + ".jpg"
    response = editor_client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": SimpleUploadedFile(long_name, image_bytes()),
            "caption": "c",
            "credit": "",
            "alt_text": "",
        },
    )
    assert response.status_code == 302, admin_errors(response)
    assert Photo.objects.get().original_filename == long_name
