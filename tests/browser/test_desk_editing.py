"""The desk beside Wagtail's editor, in Chromium: a pending change to a live story and the
preview beside the form.

Screenshots at 390 and 1280 px go into artifacts/screenshots/editing/ (or
``$SCREENSHOT_DIR``), not committed, for a person to look at.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE = "Council approves new transit line"
NEW = "Council approves new transit line after all-night sitting"


def shots():
    folder = Path(
        os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR, "artifacts", "screenshots")
    )
    folder = folder / "editing"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def newsroom():
    reporter = StaffFactory(username="reporter", group="Reporter")
    StaffFactory(username="editor", group="Editor")
    author = AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=reporter)
    section = SectionFactory(name="Canada", slug="canada")
    live = ArticleFactory(
        headline=LIVE,
        standfirst="The vote was 9 to 4.",
        body="<p>The vote was 9 to 4 after a long debate.</p>",
        section=section,
        created_by=reporter,
        authors=[author],
    )
    draft = ArticleFactory(
        headline="Library hours extended downtown",
        body="<p>The main branch opens at 8 a.m.</p>",
        section=section,
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=reporter,
        authors=[author],
    )
    return live, draft


def select_words(page, words):
    """Select ``words`` in the body's editor by their place in the text (arrow keys and
    double clicks can be lost or land elsewhere on a loaded machine). Applied again until
    it holds: the editor may still redraw its text just after it appears (a selection in
    the text it replaced is lost)."""
    page.locator(".ProseMirror[contenteditable=true]").focus()
    page.wait_for_function(
        """(words) => {
            if (window.getSelection().toString() === words) return true;
            const root = document.querySelector(".ProseMirror[contenteditable=true]");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(words);
                if (at >= 0) {
                    root.focus();
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    window.getSelection().removeAllRanges();
                    window.getSelection().addRange(range);
                    break;
                }
            }
            return false;
        }""",
        arg=words,
        polling=100,
    )


def assert_no_axe_violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def test_a_reporter_prepares_a_change_an_editor_publishes_it_readers_see_it_only_then(
    live_server, browser, newsroom
):
    live, _draft = newsroom
    base = live_server.url
    reader = browser.new_context(viewport={"width": 390, "height": 900}).new_page()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, base, "reporter")
    desk.goto(f"{base}/admin/articles/article/{live.pk}/change/")
    desk.get_by_role("link", name="Prepare a change").click()
    desk.fill("#id_headline", NEW)
    desk.get_by_role("button", name="Submit for review").click()
    expect(desk.locator(".messagelist")).to_contain_text("Pending change submitted for review")
    expect(desk.locator(".newsroom-pending__diff")).to_contain_text("all-night sitting")
    assert_no_axe_violations(desk)
    desk.screenshot(path=str(shots() / "pending-reporter-1280.png"), full_page=True)

    reader.goto(f"{base}{live.get_absolute_url()}")
    expect(reader.locator("h1")).to_have_text(LIVE)

    editor = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    log_in(editor, base, "editor")
    editor.goto(f"{base}/admin/articles/article/{live.pk}/change/")
    expect(editor.locator("#pending-change")).to_contain_text("Submitted for review by reporter")
    editor.screenshot(path=str(shots() / "story-form-pending-editor-390.png"), full_page=True)
    editor.get_by_role("link", name="Open the pending change").click()
    editor.screenshot(path=str(shots() / "pending-editor-390.png"), full_page=True)
    editor.select_option("#id_change_kind", "update")
    editor.fill("#id_change_note", "The council sat through the night.")
    editor.get_by_role("button", name="Publish the change").click()
    expect(editor.locator(".messagelist")).to_contain_text("Pending change published")

    reader.goto(f"{base}{live.get_absolute_url()}")
    expect(reader.locator("h1")).to_have_text(NEW)
    expect(reader.locator("body")).to_contain_text("The council sat through the night.")


def test_the_preview_beside_the_form_follows_the_typing_at_three_widths(
    live_server, browser, newsroom
):
    _live, draft = newsroom
    base = live_server.url
    for width in (1280, 390):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        log_in(page, base, "reporter")
        page.goto(f"{base}/admin/articles/article/{draft.pk}/change/")
        expect(page.locator(".ProseMirror[contenteditable=true]")).to_be_visible()
        page.get_by_role("button", name="Preview beside the form").click()
        panel = page.locator("#newsroom-side-preview")
        expect(panel).to_be_visible()
        frame = page.frame_locator("iframe[name=newsroom-side-preview-frame]")
        expect(frame.locator("h1")).to_have_text("Library hours extended downtown")
        page.fill("#id_headline", "Library hours extended downtown and on Sundays")
        # Refreshed after a pause in typing, without a save.
        expect(frame.locator("h1")).to_have_text("Library hours extended downtown and on Sundays")
        expect(frame.locator(".newsroom-preview-banner")).to_contain_text("Unsaved changes")
        for name, pixels in (("Phone", "390"), ("Tablet", "768"), ("Desktop", "1280")):
            panel.get_by_role("button", name=name).click()
            expect(panel.get_by_role("button", name=name)).to_have_attribute("aria-pressed", "true")
            expect(page.locator("iframe[name=newsroom-side-preview-frame]")).to_have_attribute(
                "width", pixels
            )
        panel.get_by_role("button", name="Phone").click()
        page.screenshot(path=str(shots() / f"side-preview-{width}.png"))
        assert_no_axe_violations(page)
        page.keyboard.press("Escape")
        expect(panel).to_be_hidden()
        assert Article.objects.get(pk=draft.pk).headline == "Library hours extended downtown"
        page.context.close()


def test_the_checks_panel_follows_the_writing(live_server, browser, newsroom):
    _live, draft = newsroom
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, "reporter")
    page.goto(f"{base}/admin/articles/article/{draft.pk}/change/")
    panel = page.locator("#newsroom-checks")
    expect(panel.locator("[data-reading]")).to_contain_text("Reading ease")
    expect(panel.locator("[data-none]")).to_be_visible()
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" " + " ".join(["More"] * 36) + ".")
    expect(panel.locator("[data-code=long_sentence]")).to_contain_text("words (over 35)")
    page.fill(
        "#id_headline",
        "A headline far too long for the home page of the site to show it whole, as it runs on",
    )
    expect(panel.locator("[data-code=long_headline]")).to_be_visible()
    page.screenshot(path=str(shots() / "checks-1280.png"))
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=str(shots() / "checks-390.png"), full_page=True)
    assert_no_axe_violations(page)


def test_the_keyboard_saves_links_to_a_story_and_lists_its_shortcuts(
    live_server, browser, newsroom
):
    live, draft = newsroom
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, "reporter")
    page.goto(f"{base}/admin/articles/article/{draft.pk}/change/")
    body = page.locator(".ProseMirror[contenteditable=true]")
    expect(body).to_be_visible()

    page.locator("h1").first.click()
    page.keyboard.press("?")
    shortcuts = page.locator("#newsroom-shortcuts")
    expect(shortcuts).to_be_visible()
    expect(shortcuts).to_contain_text("Ctrl")
    assert_no_axe_violations(page)
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()

    # Nothing selected: Ctrl+K finds a story and inserts its headline as a link.
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" See ")
    page.keyboard.press("Control+k")
    dialog = page.locator("dialog.newsroom-link-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Find a story by its headline").fill("transit council")
    dialog.get_by_role("button", name=LIVE).click()
    expect(body.locator(f'a[href$="{live.get_absolute_url()}"]')).to_have_text(LIVE)

    # Words selected: the editor's own link dialog opens, with the same search in it.
    select_words(page, "main branch")
    page.keyboard.press("Control+k")
    editor_dialog = page.locator("dialog.prose-editor-dialog")
    expect(editor_dialog.locator(".newsroom-story-search input")).to_be_focused()
    editor_dialog.locator(".newsroom-story-search input").fill("transit")
    editor_dialog.get_by_role("button", name=LIVE).click()
    expect(editor_dialog.locator("input[name=href]")).to_have_value(
        re.compile(re.escape(live.get_absolute_url()) + "$")
    )
    editor_dialog.get_by_role("button", name="Update").click()

    page.keyboard.press("Control+s")
    expect(page.locator(".messagelist")).to_contain_text("Saved at")
    saved = Article.objects.get(pk=draft.pk).body
    assert saved.count(live.get_absolute_url()) == 2, saved


def test_an_editor_comments_on_selected_words(live_server, browser, newsroom):
    _live, draft = newsroom
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/articles/article/{draft.pk}/change/")
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_be_visible()
    select_words(page, "main branch")
    page.get_by_role("button", name="Comment on the selection").click()
    expect(page.locator("#id_comment_text")).to_be_focused()
    page.keyboard.type("Which branch? There are two downtown.")
    page.get_by_role("button", name="Add comment").click()
    comment = page.locator(".newsroom-comment")
    expect(comment).to_contain_text("Which branch?")
    expect(comment.locator("q")).to_have_text("main branch")
    assert_no_axe_violations(page)
