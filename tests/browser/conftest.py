"""Headless Chromium for the browser tests, skipped visibly when it is not installed.

Playwright's sync API runs an event loop in the test's thread while it is open, and
Django refuses ORM calls from a thread with a running loop unless told otherwise. So
Playwright is opened and closed for each test, and DJANGO_ALLOW_ASYNC_UNSAFE is set
only during that test: the rest of the suite (and commands it starts) keep Django's
safety check.
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


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        # ORM calls made while Playwright's loop runs get a connection of their own;
        # close it here, still inside, so the test database can be dropped at the end.
        connections.close_all()
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
