"""Media served by Django (``SERVE_MEDIA``): images as images, anything else as a download."""

from pathlib import Path

import pytest
from django.test import RequestFactory

from newsroom.storage import serve_media
from tests.factories import image_bytes


def put(settings, name, content):
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def test_a_photo_is_served_as_an_image(settings):
    put(settings, "photos/2026/12/abc.jpg", image_bytes(size=(20, 20)))
    response = serve_media(
        RequestFactory().get("/media/photos/2026/12/abc.jpg"), "photos/2026/12/abc.jpg"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert not response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize("name", ["photos/2026/12/page.html", "photos/2026/12/shell.php"])
def test_an_old_upload_named_like_a_page_is_never_rendered_as_one(settings, name):
    """Stored before names followed the real format: a download, not a page on our address."""
    put(settings, name, image_bytes(size=(20, 20)))
    response = serve_media(RequestFactory().get(f"/media/{name}"), name)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
