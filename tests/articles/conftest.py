import pytest

from articles.related.index import forget_index


@pytest.fixture
def related_settings(settings):
    """An in-memory related index per test that reads every change (tests share one process)."""
    settings.RELATED_STORIES = {**settings.RELATED_STORIES, "SYNC_INTERVAL": 0}
    forget_index()
    yield settings
    forget_index()
