"""The keyed hash we keep instead of a voter's network address."""

import ipaddress

from django.utils.crypto import salted_hmac

from newsroom.addresses import client_address

__all__ = ["address_hash", "client_address"]


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
