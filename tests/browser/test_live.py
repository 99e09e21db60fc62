"""Live coverage in headless Chromium, through the repository's nginx with its micro-cache and
the page cache on, as production serves it.

A reporter posts three updates from the composer (Ctrl+Enter, no reload); a reader whose page
was open sees "3 new updates" within 15 s, without the page moving or focus leaving where it
was; a click shows them in order. An edited update shows its update time, a deleted one goes.
axe-core on a live page with 50 updates and on the composer; screenshots of both at 390 and
1280 px in artifacts/screenshots/live/ (not committed) for a person to look at.
"""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from devtools.cluster import Processes, fetch, start_nginx, wait_for
from live import services
from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, StaffFactory
from tests.test_html_validity import live_story_with_updates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "live"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def behind_nginx(live_server, settings, tmp_path):
    """The repository's nginx in front of the test server; the page cache and the proxy's
    one-second copy on, and a short poll so the test need not wait 12 s."""
    from articles import cached_pages
    from newsroom import pagecache

    settings.ALLOWED_HOSTS = ["*"]
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_PROXY_SECONDS = 1
    settings.LIVE_POLL_SECONDS = 2
    cached_pages.forget_slugs()
    pagecache._local.clear()
    processes = Processes(tmp_path)
    port = int(live_server.url.rsplit(":", 1)[1])
    try:
        base, log = start_nginx(processes, tmp_path, [port])
        # nginx passes the host without its port (Host $host): the form's origin is this one.
        settings.CSRF_TRUSTED_ORIGINS = [base]
        yield base, log
    finally:
        processes.stop_all()
        pagecache._local.clear()


@pytest.fixture
def live_story():
    reporter = StaffFactory(username="reporter", group="Reporter")
    author = AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=reporter)
    story = ArticleFactory(
        headline="Election night in Ontario",
        section=SectionFactory(name="Politics", slug="politics"),
        authors=[author],
    )
    services.start(story, by=reporter)
    services.post(story.live_coverage, by=reporter, body="<p>Polls are now closed.</p>")
    return story


def post_update(page, text, shortcut=True):
    editor = page.locator("#live-composer [contenteditable=true]")
    editor.click()
    page.keyboard.type(text)
    if shortcut:
        page.keyboard.press("Control+Enter")
    else:
        page.click("#live-composer button[type=submit]")
    expect(page.locator("#live-desk-entries li").first).to_contain_text(text)
    expect(editor).not_to_contain_text(text)  # emptied for the next one


def entry_texts(page):
    return page.locator("#live-entries .live-entry .live-entry__body").all_inner_texts()


def test_readers_see_new_edited_and_deleted_updates_through_nginx(
    browser, behind_nginx, live_story
):
    base, access_log = behind_nginx
    story_url = f"{base}{live_story.get_absolute_url()}"
    reader = browser.new_context(viewport=SIZES["desktop"]).new_page()
    reader.goto(story_url)
    expect(reader.locator("#live-entries .live-entry")).to_have_count(1)
    # The reader is somewhere on the page, focused on a link, before anything arrives.
    reader.locator(".live-entry__time").first.focus()
    reader.mouse.wheel(0, 300)
    reader.wait_for_function("window.scrollY > 0")
    scrolled = reader.evaluate("window.scrollY")

    desk = browser.new_context(viewport=SIZES["desktop"]).new_page()
    log_in(desk, base, "reporter")
    desk.goto(f"{base}/admin/articles/article/{live_story.pk}/change/")
    updates = [
        "Liberals lead in Ottawa Centre.",
        "Turnout reported at 52 per cent.",
        "NDP holds Hamilton Centre.",
    ]
    post_update(desk, updates[0])
    post_update(desk, updates[1], shortcut=False)
    post_update(desk, updates[2])
    assert desk.url.endswith(f"/{live_story.pk}/change/")  # never left the page

    button = reader.locator(".live__new")
    expect(button).to_have_text("3 new updates", timeout=15_000)
    assert button.evaluate("b => b.parentElement.getAttribute('aria-live')") == "polite"
    assert reader.evaluate("document.activeElement.className") == "live-entry__time"
    assert reader.evaluate("window.scrollY") == scrolled  # nothing moved
    assert entry_texts(reader) == ["Polls are now closed."]  # not shown until asked
    SHOTS.mkdir(parents=True, exist_ok=True)
    reader.screenshot(path=str(SHOTS / "reader-new-updates-desktop.png"))

    button.click()
    expect(button).to_be_hidden()
    assert entry_texts(reader) == [*reversed(updates), "Polls are now closed."]

    # Edited: through the plain edit page; the reader's page shows "Updated …" in place.
    edited = desk.locator("#live-desk-entries li", has_text=updates[1])
    edited.get_by_role("link", name="Edit").click()
    editor = desk.locator("#live-edit [contenteditable=true]")
    editor.click()
    desk.keyboard.press("End")
    desk.keyboard.type(" Up from 2022.")
    desk.click("#live-edit button[type=submit]")
    expect(desk.locator(".messagelist")).to_contain_text("Update edited")
    changed = reader.locator(".live-entry", has_text=updates[1])
    expect(changed).to_contain_text("Up from 2022.", timeout=15_000)
    expect(changed.locator(".live-entry__updated")).to_contain_text("Updated")

    # Deleted: gone from the reader's page without a reload.
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.locator("#live-desk-entries li", has_text=updates[0]).get_by_role(
        "button", name="Delete"
    ).click()
    expect(desk.locator("#live-desk-entries li", has_text=updates[0])).to_have_count(0)
    expect(reader.locator(".live-entry", has_text=updates[0])).to_have_count(0, timeout=15_000)
    assert reader.locator(".live-entry").count() == 3

    # The reader's polls went through nginx's micro-cache: a second read within the second is
    # its copy, and the endpoint tells a CDN it may keep it a few seconds.
    endpoint = f"{base}/story/{live_story.slug}/live/updates/"
    fetch(endpoint)
    status, headers, _body = fetch(endpoint)
    assert status == 200 and headers["X-Cache-Status"] == "HIT"
    assert "s-maxage=5" in headers["Cache-Control"]
    assert "/live/updates/" in access_log.read_text()


def test_without_javascript_a_reload_shows_new_updates(browser, behind_nginx, live_story):
    base, _log = behind_nginx
    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(f"{base}{live_story.get_absolute_url()}")
    services.post(
        live_story.live_coverage,
        by=live_story.created_by or StaffFactory(username="desk", group="Editor"),
        body="<p>A new update.</p>",
    )

    def reload_shows_it():
        reader.reload()
        return "A new update." in reader.locator(".live-entry").first.inner_text()

    # Once nginx's one-second copy has gone (it counts whole seconds: up to two).
    wait_for(reload_shows_it, 10, "a reload to show the new update", interval=0.5)


def _axe(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def test_a_live_page_with_fifty_updates_and_the_composer_pass_axe(browser, live_server, settings):
    settings.LIVE_PAGE_SIZE = 50
    story = live_story_with_updates(55)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, viewport in SIZES.items():
        page = browser.new_context(viewport=viewport).new_page()
        page.goto(f"{live_server.url}{story.get_absolute_url()}")
        expect(page.locator("#live-entries .live-entry")).to_have_count(50)
        _axe(page)
        page.evaluate("document.getElementById('live').scrollIntoView()")
        page.screenshot(path=str(SHOTS / f"reader-{name}.png"))
        page.screenshot(path=str(SHOTS / f"reader-{name}-full.png"), full_page=True)
        page.context.close()
    for name, viewport in SIZES.items():
        desk = browser.new_context(viewport=viewport).new_page()
        log_in(desk, live_server.url, "live-editor-en")
        desk.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        expect(desk.locator("#live-composer [contenteditable=true]")).to_be_visible()
        _axe(desk)
        desk.screenshot(path=str(SHOTS / f"composer-{name}.png"))
        desk.context.close()
