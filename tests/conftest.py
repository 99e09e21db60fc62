import shutil
import tempfile

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.backends.jinja2 import Template as Jinja2Template
from django.test.signals import template_rendered
from django.utils import translation

from articles.related.index import forget_index
from newsroom import breaker as breakers


@pytest.fixture(autouse=True, scope="session")
def jinja2_pages_report_their_context():
    """``response.context`` for the readers' pages (Jinja2), as Django gives for its own.

    Django's test client learns a page's context from the ``template_rendered`` signal,
    which only Django's template engine sends.
    """
    render = Jinja2Template.render

    def render_and_report(self, context=None, request=None):
        html = render(self, context, request)
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return html

    Jinja2Template.render = render_and_report
    yield
    Jinja2Template.render = render


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Fast hashing, a throw-away media folder and an empty cache for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tempfile.mkdtemp(prefix="newsroom-media-")
    settings.MEDIA_ROOT = media
    cache.clear()
    forget_index()  # the worker's copy of the related index belongs to one test's data
    breakers.reset_all()  # a broker or cache fault in one test must not skip calls in the next
    yield
    cache.clear()
    forget_index()
    shutil.rmtree(media, ignore_errors=True)
    # A request to /fr/ leaves French active in this thread (each request sets its own
    # language, so the site does not care); the next test starts in the default language.
    translation.activate(settings.LANGUAGE_CODE)


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests visibly when the suite runs on SQLite, and the ``once``
    sweeps (their result does not depend on the database) on PostgreSQL: CI runs both."""
    if connection.vendor == "postgresql":
        again = pytest.mark.skip(reason="run once, on the SQLite pass (marked `once`)")
        for item in items:
            if "once" in item.keywords:
                item.add_marker(again)
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def page_cache_on(settings):
    """The whole-page cache on, as in production, starting from nothing remembered."""
    from articles import cached_pages
    from newsroom import pagecache

    settings.PAGE_CACHE_SECONDS = 600
    cached_pages.forget_slugs()  # ids are reused from one test's database to the next
    pagecache._local.clear()
    yield
    pagecache._local.clear()
