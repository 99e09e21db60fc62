"""The site's icon answers wherever browsers and phones look for it."""

import json
from io import BytesIO

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert "max-age=" in response["Cache-Control"]
    icon = Image.open(BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])


def test_apple_touch_icon_is_served_at_the_root_where_ios_asks(client):
    response = client.get("/apple-touch-icon.png")
    assert response.status_code == 200
    image = Image.open(BytesIO(response.content))
    # iOS rounds the corners itself and shows transparency as black: an opaque square.
    assert image.size == (180, 180) and image.mode == "RGB"


@pytest.mark.parametrize("path", ["/", "/fr/", "/search/", "/no-such-page/"])
def test_every_page_links_its_icons_and_manifest(client, path):
    html = client.get(path).content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="48x48">' in html
    assert '<link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


def test_the_web_manifest_names_the_site_and_its_icons_are_there(client, settings):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == settings.SITE_NAME and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"any", "192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    from django.contrib.staticfiles import finders

    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]


def test_the_svg_icon_is_the_drawing_the_png_files_are_made_from():
    """static/icons/ is what devtools/icons.py writes: run it after changing the drawing."""
    from django.contrib.staticfiles import finders

    from devtools import icons

    with open(finders.find("icons/icon.svg")) as file:
        assert file.read() == icons.svg()
