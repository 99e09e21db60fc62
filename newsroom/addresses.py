"""The client's network address, as far as the deployment lets us trust it.

``X-Forwarded-For`` is trivially forged, so it is read only when ``TRUSTED_PROXY_COUNT``
says how many proxies in front of the site append to it; the client is then the address the
outermost trusted proxy saw, i.e. that many entries from the right.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address as a string, honouring only trusted proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if forwarded:
            candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
            if _is_ip(candidate):
                return candidate
    return remote


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
