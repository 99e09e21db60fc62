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
# The request's origin, worked out once: a story page asks some twenty times, and each
# get_host() checks the host against ALLOWED_HOSTS again.
_origin = ContextVar("newsroom_request_origin", default=None)


def site_url():
    """``scheme://host[:port]`` without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    request = _request.get()
    if request is None:
        return FALLBACK
    origin = _origin.get()
    if origin is None:
        origin = f"{request.scheme}://{request.get_host()}"
        _origin.set(origin)
    return origin


class RequestOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token, origin_token = _request.set(request), _origin.set(None)
        try:
            return self.get_response(request)
        finally:
            _origin.reset(origin_token)
            _request.reset(token)
