"""The client's network address, and the keyed hash we keep instead of it.

``X-Forwarded-For`` is trivially forged, so it is read only when ``TRUSTED_PROXY_COUNT``
says how many proxies in front of the site append to it; the client is then the address the
outermost trusted proxy saw, i.e. that many entries from the right.
"""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac


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


def address_hash(address):
    """A keyed hash (HMAC-SHA256 with a key derived from SECRET_KEY) of a client address.

    IPv6 clients usually hold a whole /64, so they are grouped by it: otherwise a single
    household could rotate through billions of addresses.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        key = address or "unknown"
    else:
        if ip.version == 6 and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.version == 6:
            key = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        else:
            key = str(ip)
    return salted_hmac("ratings.client-address", key, algorithm="sha256").hexdigest()


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
