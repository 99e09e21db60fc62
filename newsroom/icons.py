"""The site's icons at the addresses browsers and phones ask for without being told.

Every browser asks for ``/favicon.ico`` and iOS for ``/apple-touch-icon.png``, whatever the
page's ``<link rel="icon">`` says, so both are answered here from the static files
(``static/icons/``, drawn by ``devtools/icons.py``) rather than with a 404 in every log.
The web app manifest is built here too: its icons' addresses go through ``static()``, so
they follow the hashed names of production's static files.
"""

import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.templatetags.static import static
from django.views.decorators.http import require_safe

ICON_CACHE_SECONDS = 7 * 24 * 60 * 60  # icons change about never; a week in browsers
ROOT_ICONS = {
    "favicon.ico": ("icons/favicon.ico", "image/vnd.microsoft.icon"),
    "apple-touch-icon.png": ("icons/apple-touch-icon.png", "image/png"),
}
THEME_COLOUR = "#a4161a"  # the site's --accent (static/css/site.css)


@lru_cache(maxsize=len(ROOT_ICONS))
def _icon_bytes(static_path):
    # The source folder in development, the collected files in production.
    found = finders.find(static_path)
    if found:
        with open(found, "rb") as file:
            return file.read()
    try:
        with staticfiles_storage.open(static_path) as file:
            return file.read()
    except OSError:
        return None


@require_safe
def root_icon(request, name):
    """``/favicon.ico`` and ``/apple-touch-icon.png``."""
    static_path, content_type = ROOT_ICONS[name]
    content = _icon_bytes(static_path)
    if content is None:
        raise Http404("The icon files are missing (run collectstatic).")
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={ICON_CACHE_SECONDS}"
    return response


@require_safe
def web_manifest(request):
    """``/manifest.webmanifest``: the name, colours and icons a phone uses when a reader adds
    the site to their home screen."""
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "start_url": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("icons/icon.svg"), "type": "image/svg+xml", "sizes": "any"},
            {"src": static("icons/icon-192.png"), "type": "image/png", "sizes": "192x192"},
            {"src": static("icons/icon-512.png"), "type": "image/png", "sizes": "512x512"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "type": "image/png",
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(manifest, indent=2), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response
