"""Headless Chromium for browser tests; skipped, visibly, when /usr/bin/chromium is missing.

One Chromium per test module, and a fresh browser context (cookies, storage, cache) per test,
so tests stay independent while the launch is paid once a module. Not per session: while
Playwright's sync API is alive its event loop runs in the test thread and Django refuses ORM
calls, so it must be gone before the next module's (non-browser) tests. The stories and users
cannot be shared the same way: pytest-django runs every ``live_server`` test on a transactional
database and empties its tables after each test.
"""

from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread, and Django then refuses ORM
    calls from it; they are synchronous and safe here. Set for the browser's module only (the
    database flush after each test included), so the variable never leaks into other tests
    (``check --deploy`` rejects it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def _chromium(_allow_orm_beside_playwright):
    """One headless Chromium for the module's tests (each gets its own context)."""
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # ORM calls made while Playwright's loop runs get their own (context-local)
        # connections; close them here or the test database cannot be dropped.
        connections.close_all()


@pytest.fixture
def browser(_chromium):
    """The module's Chromium; whatever contexts a test opens are closed after it."""
    yield _chromium
    for context in _chromium.contexts:
        context.close()
    # As above: the connections of this test's ORM calls, before the tables are emptied.
    connections.close_all()


@pytest.fixture
def page(browser):
    """A desktop-sized page in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
