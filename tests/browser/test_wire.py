"""The Wire page in headless Chromium: a reporter finds an item, opens it and uses it.

The list (newest first, the agency filter), the item's page and "Use this", which lands on
the new draft's page with its "From the wire" panel; axe-core on the list and the item's
page; screenshots at 390 and 1280 px in artifacts/screenshots/wire/ (not committed).
"""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import SectionFactory, StaffFactory, image_bytes
from wire import ingest
from wire.models import Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "wire"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
ITEMS = Path(__file__).resolve().parents[1] / "wire" / "items"


def _axe(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def wire_desk():
    SectionFactory(name="Politics", slug="politics")
    SectionFactory(name="Politique", slug="politique", language="fr")
    StaffFactory(username="wire-browser", group="Reporter")
    for name in ("afp-sommet-1.newsml.xml", "cp-budget-1.ninjs2.json"):
        ingest.ingest((ITEMS / name).read_bytes(), source=Source.FOLDER, name=name)
    pictures = {"cp-harbour.jpg": image_bytes(size=(900, 600), colour=(70, 110, 150))}
    ingest.ingest(
        (ITEMS / "cp-photo.ninjs3.json").read_bytes(),
        source=Source.FOLDER,
        name="cp-photo.ninjs3.json",
        resolve=pictures.get,
    )


def test_a_reporter_finds_a_wire_item_and_uses_it_for_a_draft(browser, live_server, wire_desk):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, viewport in SIZES.items():
        page = browser.new_context(viewport=viewport).new_page()
        log_in(page, live_server.url, "wire-browser")
        page.goto(f"{live_server.url}/admin/wire/wireitem/")
        rows = page.locator("#result_list tbody tr th a")
        expect(rows).to_have_text(
            [
                "Ice on the harbour",
                "Ontario budget sets aside $3B for transit",
                "Sommet sur le climat : accord sur le quetzalcoatl",
            ]
        )
        _axe(page)
        page.screenshot(path=str(SHOTS / f"list-{name}.png"), full_page=True)
        page.context.close()

    page = browser.new_context(viewport=SIZES["desktop"]).new_page()
    log_in(page, live_server.url, "wire-browser")
    page.goto(f"{live_server.url}/admin/wire/wireitem/?agency=AFP")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)
    page.goto(f"{live_server.url}/admin/wire/wireitem/")
    page.get_by_role("link", name="Ice on the harbour").click()
    expect(page.locator(".wire-item__picture img")).to_be_visible()
    caption = page.locator(".wire-item__picture figcaption")
    expect(caption).to_contain_text("No sales. No archiving.")
    _axe(page)
    page.screenshot(path=str(SHOTS / "item-desktop.png"), full_page=True)
    page.get_by_role("button", name="Use this").click()
    expect(page.locator(".messagelist")).to_contain_text("Draft made from the wire")
    expect(page.locator("#wire-panel")).to_contain_text("Ice on the harbour")
    page.screenshot(path=str(SHOTS / "draft-desktop.png"))
    story = Article.objects.get()
    assert story.status == Article.Status.DRAFT
    assert story.lead_photo.credit == "THE CANADIAN PRESS/Sam Lens"
    page.context.close()
