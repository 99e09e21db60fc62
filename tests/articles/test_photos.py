"""Photos: real images only, within limits; renditions for every screen."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.images import validate_image_upload
from tests.factories import PhotoFactory, image_bytes

pytestmark = pytest.mark.django_db


def test_renditions_in_webp_and_jpeg_never_wider_than_the_original():
    photo = PhotoFactory()
    assert [r["width"] for r in photo.renditions] == [320, 640, 960, 1200]
    assert all(r["webp"].endswith(".webp") and r["jpeg"].endswith(".jpg") for r in photo.renditions)
    assert photo.renditions[0]["height"] == 213
    assert "640w" in photo.webp_srcset and ".jpg 320w" in photo.jpeg_srcset
    assert (photo.width, photo.height) == (1200, 800)


def test_png_with_transparency_is_flattened_for_jpeg():
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(buffer, "PNG")
    photo = PhotoFactory(image=ContentFile(buffer.getvalue(), name="clear.png"))
    assert [r["width"] for r in photo.renditions] == [320, 400]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_image_types(fmt):
    validate_image_upload(SimpleUploadedFile("p", image_bytes(fmt, size=(50, 50))))


def test_a_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError, match="not an image"):
        validate_image_upload(SimpleUploadedFile("evil.jpg", b"<?php echo 1; ?>"))


def test_a_gif_is_refused_with_the_accepted_types_named():
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        validate_image_upload(SimpleUploadedFile("a.gif", image_bytes("GIF", size=(10, 10))))


def test_an_oversized_file_is_refused(settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1_048_576
    upload = SimpleUploadedFile("big.jpg", image_bytes(size=(10, 10)) + b"\0" * 1_200_000)
    with pytest.raises(ValidationError, match="at most 1 MB"):
        validate_image_upload(upload)


def test_a_decompression_bomb_is_refused_before_decoding(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    bomb = SimpleUploadedFile("bomb.png", image_bytes("PNG", size=(3000, 3000), colour=(0, 0, 0)))
    with pytest.raises(ValidationError, match="pixels"):
        validate_image_upload(bomb)
