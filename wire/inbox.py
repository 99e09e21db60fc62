"""The watched folder (``WIRE_INBOX_DIR``): agencies deliver items into it, by FTP say.

``poll()`` takes each ``.json`` or ``.xml`` file that has stopped changing, claims it by
moving it into ``.processing/`` (an atomic rename: two pollers never take the same file),
ingests it and moves it to ``done/`` or ``rejected/`` with the picture files it named. Picture
files wait in the folder until an item names them; unnamed ones are left alone.
"""

import logging
import os
import time
from pathlib import Path

from django.conf import settings

from . import ingest
from .models import Source

logger = logging.getLogger(__name__)

ITEM_SUFFIXES = (".json", ".xml")
# A file younger than this may still be arriving (FTP writes in place): the next poll takes it.
SETTLE_SECONDS = 5
WORK, DONE, REJECTED = ".processing", "done", "rejected"


def inbox():
    return Path(settings.WIRE_INBOX_DIR) if settings.WIRE_INBOX_DIR else None


def ready_files(folder, now=None):
    now = now or time.time()
    found = []
    for entry in sorted(folder.iterdir()):
        if not entry.is_file() or entry.name.startswith("."):
            continue
        if entry.suffix.lower() not in ITEM_SUFFIXES:
            continue
        if now - entry.stat().st_mtime < SETTLE_SECONDS:
            continue
        found.append(entry)
    return found


def poll(folder=None):
    """Ingest every settled item file of the inbox; return ``{result: count}``."""
    folder = Path(folder) if folder else inbox()
    counts = {}
    if folder is None or not folder.is_dir():
        return counts
    for name in (WORK, DONE, REJECTED):
        (folder / name).mkdir(exist_ok=True)
    for path in ready_files(folder):
        claimed = folder / WORK / path.name
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            continue  # another poller took it
        used = []

        def resolve(href, used=used):
            return _picture(folder, href, used)

        outcome = ingest.ingest(
            claimed.read_bytes(), source=Source.FOLDER, name=path.name, resolve=resolve
        )
        counts[outcome.result] = counts.get(outcome.result, 0) + 1
        target = folder / (REJECTED if outcome.result == ingest.REJECTED else DONE)
        os.replace(claimed, target / path.name)
        if outcome.result != ingest.REJECTED:
            for picture in used:
                os.replace(picture, target / picture.name)
    return counts


def _picture(folder, href, used):
    """The bytes of a picture file named by an item, if it is in the inbox (never outside)."""
    root = folder.resolve()
    candidate = (folder / href).resolve()
    if not candidate.is_relative_to(root) or candidate.parent != root or not candidate.is_file():
        return None
    if candidate.stat().st_size > settings.WIRE_MAX_PICTURE_BYTES:
        return None
    used.append(candidate)
    return candidate.read_bytes()
