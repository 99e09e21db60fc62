import shutil
import tempfile

import pytest
from django.core.cache import cache
from django.db import connection

from articles.related.index import forget_index


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Fast hashing, a throw-away media folder and an empty cache for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tempfile.mkdtemp(prefix="newsroom-media-")
    settings.MEDIA_ROOT = media
    cache.clear()
    forget_index()  # the worker's copy of the related index belongs to one test's data
    yield
    cache.clear()
    forget_index()
    shutil.rmtree(media, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests visibly when the suite runs on SQLite."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
