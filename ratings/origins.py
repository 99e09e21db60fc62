"""Cross-site request forgery checks for votes.

The story page is cached and identical for every reader, so the plain (no-JavaScript) vote
form cannot carry a per-reader CSRF token. It is protected instead as OWASP's "verify origin
with standard headers" advises: the browser's ``Origin`` header (or, when a browser leaves it
out, the ``Referer``) must name this site or one of ``CSRF_TRUSTED_ORIGINS``; a request that
names neither is refused. The voter cookie is also ``SameSite=Lax``.

Requests from ratings.js carry Django's token in the ``X-CSRFToken`` header and get Django's
own full check (token and origin).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware


def request_origin(request):
    """The origin the browser says the request came from, or None."""
    origin = request.META.get("HTTP_ORIGIN")
    if origin:
        return None if origin == "null" else origin.rstrip("/")
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.scheme and referer.netloc:
        return f"{referer.scheme}://{referer.netloc}"
    return None


def is_same_origin(request):
    """True when the Origin (or Referer) header names this site or a trusted origin."""
    origin = request_origin(request)
    if origin is None:
        return False
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if origin == trusted.rstrip("/"):
            return True
        scheme, _, host = trusted.partition("://")
        if host.startswith("*.") and origin.startswith(f"{scheme}://"):
            if origin.partition("://")[2].endswith(host[1:]):
                return True
    return False


def _token_checked_view(request):  # stands for "a view that is not csrf_exempt"
    raise NotImplementedError


def passes_token_check(request):
    """Django's standard CSRF check (token header or field, plus origin/referer)."""
    middleware = CsrfViewMiddleware(lambda request: None)
    return middleware.process_view(request, _token_checked_view, (), {}) is None
