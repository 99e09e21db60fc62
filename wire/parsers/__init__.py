"""Reading wire items: IPTC ninjs 2.x and 3.0 (JSON) and NewsML-G2 (XML) into one shape.

``parse(raw)`` tells the format from the first character (``{`` or ``<``), checks the item
(ninjs against ``wire/parsers/ninjs-accepted.json``, NewsML-G2 by its structure) and returns a
:class:`WireItemData`, or raises :class:`BadItem` with the sentence the desk shows.
"""

from .item import CANCELED, PUBSTATUSES, USABLE, WITHDRAWN, BadItem, Picture, Subject, WireItemData

__all__ = [
    "CANCELED",
    "PUBSTATUSES",
    "USABLE",
    "WITHDRAWN",
    "BadItem",
    "Picture",
    "Subject",
    "WireItemData",
    "parse",
]


def parse(raw):
    """The item in ``raw`` (bytes or text), normalised; ``BadItem`` when it cannot be."""
    from . import newsml, ninjs

    if isinstance(raw, bytes):
        text = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
        first = text[:1]
    else:
        text = raw.lstrip("\ufeff \t\r\n")
        first = text[:1].encode()
    if first == b"{":
        return ninjs.parse(raw)
    if first == b"<":
        return newsml.parse(raw)
    raise BadItem("This is neither a ninjs item (JSON) nor a NewsML-G2 item (XML).")
