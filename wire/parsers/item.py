"""The one shape every wire format is read into, whatever the agency sent."""

from dataclasses import dataclass, field
from datetime import datetime

USABLE = "usable"
WITHDRAWN = "withdrawn"  # IPTC's "withheld": the agency pulled it for now
CANCELED = "canceled"  # a kill: the agency says the item must not be used at all
PUBSTATUSES = (USABLE, WITHDRAWN, CANCELED)


class BadItem(ValueError):
    """The item cannot be imported; the message says why, in a sentence an editor reads."""


@dataclass
class Picture:
    """A picture of the item (or the item itself, for a picture item)."""

    name: str = ""  # the rendition's or association's name, for the desk
    href: str = ""  # where the agency put the file: relative to the inbox, or a URL
    content_type: str = ""
    caption: str = ""
    credit: str = ""
    usage_terms: str = ""
    width: int | None = None
    height: int | None = None


@dataclass
class Subject:
    code: str
    name: str


@dataclass
class WireItemData:
    """A wire item, normalised: what ``wire.ingest`` stores."""

    guid: str
    version: int
    format: str  # "ninjs2", "ninjs3", "newsml-g2"
    item_type: str = "text"  # "text" or "picture"
    provider: str = ""
    language: str = ""
    headline: str = ""
    body_html: str = ""  # sanitised already (articles.sanitize)
    byline: str = ""
    credit: str = ""
    usage_terms: str = ""
    subjects: list[Subject] = field(default_factory=list)
    urgency: int | None = None
    embargo: datetime | None = None
    pubstatus: str = USABLE
    version_created: datetime | None = None
    pictures: list[Picture] = field(default_factory=list)
