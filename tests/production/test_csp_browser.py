"""Chromium enforces our Content-Security-Policy: the site and the admin must not trip it."""

from pathlib import Path

import pytest

from tests.factories import ArticleFactory, PhotoFactory, UserFactory

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Chromium at {CHROMIUM}"),
]


def test_no_csp_violation_on_public_pages_or_in_the_admin(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; only for this test (check --deploy refuses
    # the flag, and other tests spawn it in subprocesses).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    article = ArticleFactory(lead_photo=PhotoFactory(), tags=["Wildfires"])
    user = UserFactory(username="desk", is_staff=True, is_superuser=True)
    user.set_password("correct horse battery")
    user.save()
    violations = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.on(
            "console",
            lambda m: (
                violations.append((page.url, m.text))
                if "Content Security Policy" in m.text
                else None
            ),
        )
        for path in ("/", article.get_absolute_url(), article.section.get_absolute_url()):
            page.goto(live_server.url + path)
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "desk")
        page.fill("#id_password", "correct horse battery")
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        for path in (
            "/admin/articles/article/",
            "/admin/articles/article/add/",
            f"/admin/articles/article/{article.pk}/change/",
            "/admin/articles/photo/add/",
        ):
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
        browser.close()
    assert violations == []
