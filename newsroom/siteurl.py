"""The site's origin for absolute links (feeds, sitemaps, structured data, share links).

``SITE_URL`` names the one canonical origin in production. Left unset (as in development),
the origin is the address the current request came to, so a site served on another port
or host links to itself instead of to http://127.0.0.1:8000. The request is kept in a
context variable by ``RequestOriginMiddleware``; outside a request (management commands)
the development address is used.
"""

from contextvars import ContextVar

from django.conf import settings

FALLBACK = "http://127.0.0.1:8000"
_request = ContextVar("newsroom_request", default=None)


def site_url():
    """``scheme://host[:port]`` without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    request = _request.get()
    if request is None:
        return FALLBACK
    return f"{request.scheme}://{request.get_host()}"


class RequestOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
