"""An editor retracts a story in the desk; a reader then finds the 410 notice.

axe-core runs on the desk's confirmation page and on the notice, and screenshots of both
go to artifacts/screenshots/ (the notice at 1280 and 390 px, in English and French; not
committed) for a person to look at.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = (
    "This story relied on a memo that we have since learned was forged. The inquiry's report "
    "does not say what the story said it did. We regret the error."
)


def _shots():
    folder = Path(
        os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR, "artifacts", "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _no_violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def test_an_editor_retracts_a_story_and_a_reader_sees_why(live_server, browser):
    StaffFactory(username="editor", group="Editor")
    story = ArticleFactory(
        headline="Port inquiry report blames harbour commission for dredging delays",
        section=SectionFactory(name="Canada", slug="canada"),
        lead_photo=PhotoFactory(),
        body="<p>Zyxwordinbody appears only in the story's text.</p>",
    )
    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, base, "editor")
    desk.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    # The body's toolbar is drawn by script: checked once it is there (its unavailable
    # buttons once failed the contrast rule only when axe ran late enough to see them).
    expect(desk.locator(".prose-menubar__button").first).to_be_visible()
    _no_violations(desk)  # the story form, with its two links
    desk.screenshot(path=str(_shots() / "desk-story-withdrawals-1280.png"), full_page=True)
    desk.get_by_role("link", name="Retract…").click()
    expect(desk.get_by_role("heading", name="What will happen")).to_be_visible()
    _no_violations(desk)
    desk.get_by_role("button", name="Retract").click()  # empty: a form error, nothing moved
    expect(desk.locator(".errorlist")).to_contain_text("needs a note")
    desk.screenshot(path=str(_shots() / "desk-retract-1280.png"), full_page=True)
    desk.get_by_label("Note for readers (required)").fill(NOTE)
    desk.get_by_role("button", name="Retract").click()
    expect(desk.locator(".messagelist")).to_contain_text("Retracted:")
    story.refresh_from_db()
    assert story.status == Article.Status.RETRACTED

    french = ArticleFactory(
        headline="Le rapport d’enquête sur le port blâme la commission portuaire",
        language="fr",
        status=Article.Status.RETRACTED,
        retracted_at=timezone.now(),
        retraction_note="La note au cœur de cet article était falsifiée. Nous regrettons l’erreur.",
    )
    for width in (1280, 390):
        reader = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        for name, article in (("retracted", story), ("retracted-fr", french)):
            response = reader.goto(base + article.get_absolute_url())
            assert response.status == 410
            text = reader.locator("main").inner_text()
            assert article.headline in text and article.retraction_note.split(".")[0] in text
            assert "Zyxwordinbody" not in reader.content()
            assert reader.locator("main img").count() == 0
            _no_violations(reader)
            # Nothing wider than the screen on a phone.
            assert reader.evaluate("document.documentElement.scrollWidth") <= width
            reader.screenshot(path=str(_shots() / f"{name}-{width}.png"), full_page=True)
        # Its history stays public, the retraction on top (linked from the notice).
        reader.goto(base + story.get_absolute_url())
        reader.locator("main").get_by_role("link", name="Story history").click()
        expect(reader.locator("#retraction")).to_contain_text("forged")
        _no_violations(reader)
        reader.screenshot(path=str(_shots() / f"retracted-history-{width}.png"), full_page=True)
        reader.context.close()
