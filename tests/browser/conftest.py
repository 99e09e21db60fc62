"""Headless Chromium for browser tests; skipped, visibly, when /usr/bin/chromium is missing."""

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


@pytest.fixture
def _allow_orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread, and Django then refuses ORM
    calls from it; they are synchronous and safe here. Set per test only, so the variable
    never leaks into other tests (``check --deploy`` rejects it)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(_allow_orm_beside_playwright):
    """A fresh headless Chromium per test (launching takes well under a second)."""
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
def page(browser):
    """A desktop-sized page in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
