"""Response headers Django's SecurityMiddleware does not set: CSP and Permissions-Policy.

Django 5.2 has no built-in Content-Security-Policy, and the policy we need is one fixed
header, so a few lines here beat a dependency. The policy allows scripts, styles, fonts
and fetches from our own origin only: no inline script and no ``eval``. JSON data blocks
(``<script type="application/json">``, ``application/ld+json``) are not executed, so they
need no exception. Images may also come from the media host when media lives on an
object store (``MEDIA_URL`` with a scheme and host).

The admin (never cached, never shown to readers) also allows inline styles and the
rich-text editor's import map, by hash: see ``SecurityHeadersMiddleware``. Admin pages may
frame their own origin, and an admin response sent with ``X-Frame-Options: SAMEORIGIN``
may be framed by it (``frame-ancestors 'self'``); every other response, by none.

Frames: ``frame-src`` allows exactly the origins apps register with :func:`allow_frames`
(the articles app registers its video and audio players, ``articles.embeds``), and
nothing when none are registered.

Override with ``CONTENT_SECURITY_POLICY`` (a dict of directive → list of sources) in
settings; set ``CONTENT_SECURITY_POLICY_REPORT_ONLY = True`` to try a change without
breaking pages.
"""

import base64
import functools
import hashlib
import json
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Origins pages may frame (players loaded when a reader asks); apps register them.
_FRAME_SOURCES = set()


def allow_frames(origins):
    """Let pages frame ``origins`` (``https://host``); called from an app's ``ready()``."""
    _FRAME_SOURCES.update(origins)


def default_policy():
    media = urlsplit(settings.MEDIA_URL)
    media_origin = [f"{media.scheme}://{media.netloc}"] if media.scheme and media.netloc else []
    static = urlsplit(settings.STATIC_URL)
    static_origin = (
        [f"{static.scheme}://{static.netloc}"] if static.scheme and static.netloc else []
    )
    return {
        "default-src": ["'self'"],
        "script-src": ["'self'", *static_origin],
        "style-src": ["'self'", *static_origin],
        "img-src": ["'self'", "data:", *media_origin, *static_origin],
        "font-src": ["'self'", *static_origin],
        "connect-src": ["'self'"],
        "frame-src": sorted(_FRAME_SOURCES) or ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def policy_header(policy):
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in policy.items())


IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


def importmap_hashes(html):
    """CSP hashes of the import maps in an admin page whose every target is a static file.

    The rich-text editor's widget declares an import map, which browsers treat as inline
    script. Only maps pointing at our own static files are allowed, so text injected into a
    page cannot use this to load anything new.
    """
    hashes = []
    for match in IMPORTMAP.finditer(html):
        try:
            data = json.loads(match.group(1))
        except ValueError:
            continue
        targets = list(data.get("imports", {}).values()) + [
            target for scope in data.get("scopes", {}).values() for target in scope.values()
        ]
        if targets and all(str(t).startswith(settings.STATIC_URL) for t in targets):
            digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return hashes


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy to every response.

    Public pages get the strict policy. Admin pages, which are never cached and never
    shown to readers, also allow inline styles (the admin's templates use a few; styles
    cannot run code), ``blob:`` images (upload previews) and the rich-text editor's import
    map, by hash.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or default_policy()
        self.policy = policy
        self.csp = policy_header(policy)
        self.csp_header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        self.permissions = getattr(settings, "PERMISSIONS_POLICY", PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.csp_header not in response:
            if request.path.startswith(self.admin_prefix()):
                response[self.csp_header] = self.admin_policy(response)
            else:
                response[self.csp_header] = self.csp
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response

    @staticmethod
    @functools.cache
    def admin_prefix():
        try:
            return reverse("admin:index")
        except NoReverseMatch:
            return "/admin/"

    def admin_policy(self, response):
        policy = dict(self.policy)
        # Admin pages may frame admin pages that say they may be framed by their own
        # origin (X-Frame-Options: SAMEORIGIN), such as a preview beside a form.
        policy["frame-src"] = [s for s in policy.get("frame-src", []) if s != "'none'"] + ["'self'"]
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            policy["frame-ancestors"] = ["'self'"]
        policy["style-src"] = [*policy.get("style-src", []), "'unsafe-inline'"]
        # Previews of a photo chosen for upload, before it is sent.
        policy["img-src"] = [*policy.get("img-src", []), "blob:"]
        if not response.streaming and "html" in response.get("Content-Type", ""):
            policy["script-src"] = [
                *policy.get("script-src", []),
                *importmap_hashes(response.content),
            ]
        return policy_header(policy)
