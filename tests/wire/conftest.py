"""The wire's test items (tests/wire/items/, written from IPTC's ninjs and NewsML-G2
documentation) and helpers to deliver them."""

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.factories import SectionFactory, StaffFactory, image_bytes
from wire import ingest as wire_ingest
from wire.models import Source

ITEMS = Path(__file__).parent / "items"
SECRET = "a-test-secret-of-at-least-thirty-two-characters"


def item_bytes(name):
    return (ITEMS / name).read_bytes()


def take(name, source=Source.FOLDER):
    """Ingest one test item as the worker does (no picture files)."""
    return wire_ingest.ingest(item_bytes(name), source=source, name=name)


def deliver(folder, *names, pictures=()):
    """Put items (and picture files) in the inbox as an agency's FTP would, settled."""
    for name in names:
        shutil.copy(ITEMS / name, folder / name)
    for picture in pictures:
        (folder / picture).write_bytes(image_bytes(size=(600, 400)))
    past = time.time() - 60  # settled: the poller takes only files that stopped changing
    for path in folder.iterdir():
        if path.is_file():
            os.utime(path, (past, past))


@pytest.fixture
def inbox(settings, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    settings.WIRE_INBOX_DIR = str(folder)
    return folder


@pytest.fixture
def push_secret(settings):
    settings.WIRE_PUSH_SECRET = SECRET
    return SECRET


@pytest.fixture
def sections(db):
    english = SectionFactory(name="Politics", slug="politics")
    french = SectionFactory(name="Politique", slug="politique", language="fr")
    return english, french


@pytest.fixture
def editor(db):
    return StaffFactory(username="wire-editor", group="Editor")


@pytest.fixture
def reporter(db):
    return StaffFactory(username="wire-reporter", group="Reporter")
