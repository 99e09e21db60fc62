"""The client's network address, as far as the deployment lets us trust it.

Anyone can send ``X-Forwarded-For``, ``X-Forwarded-Proto`` or ``X-Real-IP``, so they mean
something only when the connection comes from one of our own proxies: ``TRUSTED_PROXIES``,
a list of addresses and networks (nginx on the same host: ``127.0.0.1``; empty by default,
which trusts no forwarded header at all). From a trusted peer, ``X-Forwarded-For`` is read
from the right, skipping the addresses of trusted proxies; the first address that is not
one of ours is the client. Whatever a client writes to the left of that is never reached,
so a forged chain, even one ending in a proxy's address, cannot choose the address counted.

``client_address()`` is the one place that answers "who is this", for the vote limits, the
sign-in throttle and anything else that counts per client; ``address_hash()`` is the one
keyed hash that is stored instead. ``ForwardedHeadersMiddleware`` removes the forwarded
headers of requests from untrusted peers before anything (Django's ``SECURE_PROXY_SSL_HEADER``
included) reads them.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

# Headers only a proxy of ours may set (request.META names). Django reads X-Forwarded-Proto
# (SECURE_PROXY_SSL_HEADER) and, with USE_X_FORWARDED_HOST/PORT, X-Forwarded-Host and -Port
# from any peer; the rest are here so that no later code can trust them by mistake.
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


def parse_networks(values):
    """``["127.0.0.1", "10.0.0.0/8"]`` → networks; ValueError with a sentence for a bad entry."""
    networks = []
    for value in values:
        if not value.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"{value!r} is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/8)."
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(values):
    return parse_networks(values)


def _ip(value):
    """An address from a header or REMOTE_ADDR, or None; IPv4-mapped IPv6 becomes IPv4."""
    value = (value or "").strip()
    if value.startswith("["):  # "[2001:db8::1]:443", as some proxies write IPv6 with a port
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # "198.51.100.1:5678"
        value = value.partition(":")[0]
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip


def _trusted(ip):
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return ip is not None and any(ip in network for network in networks)


def in_networks(address, values):
    """Whether ``address`` (a string) is in one of the networks ``values`` (strings) name."""
    ip = _ip(address)
    return ip is not None and any(ip in network for network in _networks(tuple(values)))


def is_trusted_proxy(address):
    """Whether ``address`` (a string) is one of the proxies in ``TRUSTED_PROXIES``."""
    return _trusted(_ip(address))


def client_address(request):
    """The client's IP address as a string, honouring forwarded headers only from our proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    peer = _ip(remote)
    if not _trusted(peer):
        return str(peer) if peer is not None else remote
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            # Garbage (or an empty header) after our proxies: stop at the last address a
            # trusted proxy vouched for rather than guess.
            break
        client = ip
        if not _trusted(ip):
            break
    return str(client)


def address_hash(address, purpose):
    """A keyed hash (HMAC-SHA256 keyed from SECRET_KEY) of a client address, kept instead of it.

    ``purpose`` keys each use apart (votes and sign-in failures cannot be matched with each
    other). IPv6 clients usually hold a whole /64, so they are grouped by it: otherwise one
    household could rotate through billions of addresses.
    """
    ip = _ip(address)
    if ip is None:
        value = address or "unknown"
    elif ip.version == 6:
        value = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    else:
        value = str(ip)
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()


class ForwardedHeadersMiddleware:
    """Drop forwarded headers that did not come from one of our proxies.

    First in MIDDLEWARE: Django's SecurityMiddleware (the HTTPS redirect) and
    ``request.is_secure()`` believe ``X-Forwarded-Proto`` from whoever sends it once
    ``SECURE_PROXY_SSL_HEADER`` is set, and the page's own links (``siteurl``) follow the
    scheme. Without the header the scheme is the connection's own (``wsgi.url_scheme``).
    """

    _warned = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        present = [name for name in FORWARDED_HEADERS if name in meta]
        if present and not is_trusted_proxy(meta.get("REMOTE_ADDR")):
            for name in present:
                del meta[name]
            self._warn_once(meta.get("REMOTE_ADDR"))
        return self.get_response(request)

    @classmethod
    def _warn_once(cls, peer):
        # Once per process: enough for an operator who forgot TRUSTED_PROXIES (every client
        # then counts as the proxy's address), too little to flood the log under an attack.
        if not cls._warned:
            cls._warned = True
            logger.warning(
                "Ignored forwarded headers (X-Forwarded-For, X-Forwarded-Proto…) from %s: "
                "not in TRUSTED_PROXIES. If this is your proxy, add its address there.",
                peer,
            )
