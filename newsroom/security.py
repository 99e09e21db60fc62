"""Response headers Django's SecurityMiddleware does not set: CSP and Permissions-Policy.

Django 5.2 has no built-in Content-Security-Policy, and the policy we need is one fixed
header, so a few lines here beat a dependency. The policy allows scripts, styles, fonts
and fetches from our own origin only: no inline script and no ``eval``. JSON data blocks
(``<script type="application/json">``, ``application/ld+json``) are not executed, so they
need no exception. Images may also come from the media host when media lives on an
object store (``MEDIA_URL`` with a scheme and host).

Override with ``CONTENT_SECURITY_POLICY`` (a dict of directive → list of sources) in
settings; set ``CONTENT_SECURITY_POLICY_REPORT_ONLY = True`` to try a change without
breaking pages.
"""

from urllib.parse import urlsplit

from django.conf import settings

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


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
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def policy_header(policy):
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in policy.items())


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or default_policy()
        self.csp = policy_header(policy)
        self.csp_header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        self.permissions = getattr(settings, "PERMISSIONS_POLICY", PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(self.csp_header, self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
