"""Storing a wire item: parse, check, then create, update, ignore or refuse, all or nothing.

The one path for every source (the folder, the push endpoint's queued items): ``ingest()``.
Same guid and a higher version updates the item and tells the stories made from it (the
diff, and a kill); an equal or lower version is a duplicate and is ignored. A bad item is
kept aside as a :class:`~wire.models.RejectedItem` with its error; nothing of it is stored
elsewhere.
"""

import io
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from articles import workflow
from articles.diff import readable_text, word_diff

from .models import RejectedItem, WireItem, WirePicture, WireStory, WireSubject
from .parsers import BadItem, parse

logger = logging.getLogger(__name__)

CREATED, UPDATED, DUPLICATE, REJECTED = "created", "updated", "duplicate", "rejected"
ITEM_FIELDS = (
    "version",
    "format",
    "item_type",
    "provider",
    "language",
    "headline",
    "body_html",
    "byline",
    "credit",
    "usage_terms",
    "urgency",
    "embargo",
    "pubstatus",
    "version_created",
)


@dataclass
class Outcome:
    result: str  # CREATED, UPDATED, DUPLICATE or REJECTED
    item: WireItem | None = None
    error: str = ""


def item_text(headline, body_html):
    """The words of an item as the desk compares them: headline, then one paragraph a line."""
    return f"{headline}\n{readable_text(body_html)}".strip()


def ingest(raw, *, source, name="", resolve=None):
    """Store the item in ``raw`` (bytes); ``resolve(href)`` gives a picture's file (the folder's
    poller passes one) or ``None``. Returns an :class:`Outcome`."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    try:
        data = parse(raw)
        files = _picture_files(data, resolve)
    except BadItem as error:
        return _reject(source, name, text, str(error))
    try:
        return _store(data, files, source, text)
    except IntegrityError:
        # The same guid arrived twice at once (folder and push): the other one created it,
        # so this one is compared with it like any later arrival.
        return _store(data, files, source, text)


def _store(data, files, source, text):
    with transaction.atomic():
        existing = WireItem.objects.select_for_update().filter(guid=data.guid).first()
        if existing is not None and data.version <= existing.version:
            logger.info(
                "Wire item %s version %s ignored (have %s)",
                data.guid,
                data.version,
                existing.version,
            )
            return Outcome(DUPLICATE, existing)
        if existing is None:
            item = WireItem(guid=data.guid, source=source, raw=text)
            result = CREATED
        else:
            item = existing
            item.raw, item.source, item.received_at = text, source, timezone.now()
            result = UPDATED
        for field in ITEM_FIELDS:
            setattr(item, field, getattr(data, field))
        item.headline = item.headline[:500]
        item.save()
        item.subjects.all().delete()
        WireSubject.objects.bulk_create(
            WireSubject(item=item, code=s.code, name=s.name) for s in data.subjects
        )
        item.pictures.all().delete()
        WirePicture.objects.bulk_create(
            WirePicture(
                item=item,
                name=p.name[:100],
                href=p.href[:1000],
                content_type=p.content_type[:100],
                caption=p.caption,
                credit=p.credit[:300],
                usage_terms=p.usage_terms,
                data=files.get(p.href),
            )
            for p in data.pictures
        )
        if result == UPDATED:
            tell_stories(item)
    return Outcome(result, item)


def tell_stories(item):
    """The stories made from ``item`` learn of its new version: the words that changed since
    each was made, and a kill; scheduled ones a guard now refuses go back to review."""
    now = timezone.now()
    new_text = item_text(item.headline, item.body_html)
    links = list(WireStory.objects.select_for_update().filter(item=item))
    for link in links:
        link.updated_to_version = item.version
        link.update_diff = word_diff(link.used_text, new_text) if link.used_text != new_text else ""
        if item.is_killed and link.killed_at is None:
            link.killed_at = now
            link.acknowledged_at = link.acknowledged_by = None
        link.save()
    if links:
        workflow.hold_back(
            [link.article_id for link in links],
            _("Held back: the wire killed or re-embargoed %(item)s.") % {"item": item.guid},
        )


def _reject(source, name, text, error):
    logger.warning("Wire item %s refused: %s", name or "(pushed)", error)
    RejectedItem.objects.create(source=source, name=name[:300], raw=text, error=error)
    return Outcome(REJECTED, error=error)


def _picture_files(data, resolve):
    """``{href: bytes}`` of the pictures delivered beside the item, each checked as an image.

    A picture item whose file should be here (a relative href) and is not is refused; an
    address elsewhere is never fetched (no network from the worker for agency content).
    """
    files = {}
    for picture in data.pictures:
        relative = not urlsplit(picture.href).scheme and not picture.href.startswith("/")
        found = resolve(picture.href) if (resolve and relative) else None
        if found is None:
            if relative and resolve is not None and data.item_type == "picture":
                raise BadItem(f"The picture file “{picture.href}” was not delivered with the item.")
            continue
        try:
            with Image.open(io.BytesIO(found)) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise BadItem(f"The picture file “{picture.href}” is not an image.") from None
        files[picture.href] = found
    return files
