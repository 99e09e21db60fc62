"""An editor gives a partner an API key in the desk, the partner reads with it, the editor
revokes it. axe-core runs on the desk's key pages; screenshots at 1280 and 390 px go to
artifacts/screenshots/ (not committed) for a person to look at."""

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import ArticleFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots():
    folder = Path(
        os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR, "artifacts", "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _no_violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _read(url, key):
    """GET an API address of the test server with the key; ``(status, JSON)``."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_gives_a_partner_a_key_and_revokes_it(live_server, browser, width):
    StaffFactory(username="editor", group="Editor")
    story = ArticleFactory(headline="Harbour reopens after dredging")
    base = live_server.url
    desk = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(desk, base, "editor")

    desk.goto(f"{base}/admin/api/apikey/add/")
    _no_violations(desk)
    desk.get_by_label("Partner").fill("CBC mobile app")
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.get_by_role("heading", name="The key for CBC mobile app")).to_be_visible()
    _no_violations(desk)
    desk.screenshot(path=str(_shots() / f"desk-api-key-created-{width}.png"), full_page=True)
    key = desk.get_by_label("API key").input_value()

    status, answer = _read(f"{base}/api/v1/stories/", key)
    assert status == 200 and answer["results"][0]["id"] == story.pk

    desk.get_by_role("link", name="Back to the API keys").click()
    desk.screenshot(path=str(_shots() / f"desk-api-keys-{width}.png"), full_page=True)
    assert key not in desk.content()
    desk.locator("input[name=_selected_action]").first.check()
    desk.select_option("select[name=action]", "revoke_selected")
    desk.get_by_title("Run the selected action").click()
    expect(desk.locator(".messagelist")).to_contain_text("1 key revoked")
    _no_violations(desk)

    status, answer = _read(f"{base}/api/v1/stories/", key)
    assert status == 401 and "revoked" in answer["detail"]
