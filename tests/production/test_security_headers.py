"""Every response carries the security headers a news site needs."""

import base64
import hashlib
import re

import pytest
from django.http import HttpResponse
from django.urls import reverse

from newsroom.security import (
    SecurityHeadersMiddleware,
    default_policy,
    importmap_hashes,
    policy_header,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_story_page_has_a_strict_content_security_policy(client):
    response = client.get(ArticleFactory().get_absolute_url())
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_have_no_executable_inline_script(client):
    """Inline <script> is allowed only as a data block (JSON, JSON-LD), which CSP ignores."""
    article = ArticleFactory(tags=["Wildfires"])
    for url in ("/", article.get_absolute_url(), article.section.get_absolute_url()):
        html = client.get(url).content.decode()
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            if body.strip():
                assert re.search(r'type="application/(ld\+)?json"', attributes), (url, body[:80])
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers


def test_media_on_an_object_store_is_allowed_as_an_image_source(settings):
    settings.MEDIA_URL = "https://media.example.ca/newsroom/"
    assert "https://media.example.ca" in default_policy()["img-src"]


def test_report_only_mode_uses_the_report_only_header(rf, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = True
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse())
    response = middleware(rf.get("/"))
    assert "Content-Security-Policy-Report-Only" in response
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == policy_header(default_policy())


def test_admin_login_page_is_not_cacheable_and_not_framable(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_admin_allows_inline_styles_but_public_pages_do_not(client, admin_client):
    public = client.get(ArticleFactory().get_absolute_url())["Content-Security-Policy"]
    admin = admin_client.get(reverse("admin:index"))["Content-Security-Policy"]
    assert "'unsafe-inline'" not in public
    styles = dict(d.strip().split(" ", 1) for d in admin.split(";"))["style-src"]
    assert "'unsafe-inline'" in styles
    scripts = dict(d.strip().split(" ", 1) for d in admin.split(";"))["script-src"]
    assert "'unsafe-inline'" not in scripts


def test_import_map_of_static_files_is_allowed_by_hash():
    body = b'{"imports": {"editor": "/static/django_prose_editor/editor.js"}}'
    html = b'<p>x</p><script type="importmap">' + body + b"</script>"
    expected = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert importmap_hashes(html) == [f"'sha256-{expected}'"]


def test_import_map_pointing_elsewhere_is_not_allowed():
    html = b'<script type="importmap">{"imports": {"editor": "https://evil.example/x.js"}}</script>'
    assert importmap_hashes(html) == []
    assert importmap_hashes(b'<script type="importmap">not json</script>') == []
