"""The keyed hash we keep instead of a voter's network address (newsroom.addresses)."""

from newsroom import addresses
from newsroom.addresses import client_address

__all__ = ["address_hash", "client_address"]

# The hash's key for votes; changing it would forget every address's count for a window.
PURPOSE = "ratings.client-address"


def address_hash(address):
    """A voter's address as stored on a vote: ``newsroom.addresses.address_hash``."""
    return addresses.address_hash(address, PURPOSE)
