"""The whole flow in Chromium: a reporter writes a story and picks its lead photo in the
library's chooser, submits it; an editor opens it from the desk's review queue, sees the
photo and publishes it now; readers get 404 before and the story with its photo after.

Screenshots of the editor's review step at 1280 and 390 px go to
artifacts/screenshots/desk/ (not committed) for a person to look at.
"""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article, Photo
from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import AuthorFactory, PhotoFactory, SectionFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "desk"
HEADLINE = "Ferry service to Bowen Island restored after strike"
CAPTION = "A BC Ferries vessel leaves Horseshoe Bay for Bowen Island on Monday."
CREDIT = "THE CANADIAN PRESS/Darryl Dyck"
ALT = "A white ferry pulls away from a dock below forested hills"


@pytest.fixture
def newsroom():
    """A reporter with a byline, an editor, a section, and a library in which the photo the
    reporter wants has no alt text yet (the desk asks for it before publication)."""
    reporter = StaffFactory(username="reporter", group="Reporter")
    AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=reporter)
    StaffFactory(username="editor", group="Editor")
    SectionFactory(name="Canada", slug="canada")
    ferry = PhotoFactory(caption=CAPTION, credit=CREDIT, alt_text="")
    for n in range(5):
        PhotoFactory(caption=f"Wildfire smoke over Kelowna, B.C., day {n}.")
    return ferry


# Every field, picture and editor of the story form whose box runs past its card's.
FIELDS_PAST_THEIR_CARD = """() => [...document.querySelectorAll(
    "#article_form :is(input, textarea, select, img, .ProseMirror, .prose-menubar)")]
  .filter((el) => el.offsetParent && el.closest("fieldset, .module"))
  .filter((el) => {
    const box = el.closest("fieldset, .module").getBoundingClientRect();
    const own = el.getBoundingClientRect();
    return own.left < box.left + 1 || own.right > box.right - 1;
  })
  .map((el) => el.id || el.className || el.tagName)"""


def fields_past_their_card(page):
    return page.evaluate(FIELDS_PAST_THEIR_CARD)


def assert_no_axe_violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def test_a_reporter_writes_with_a_library_photo_an_editor_publishes_it_readers_see_it(
    live_server, browser, newsroom
):
    ferry = newsroom
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The reporter starts the story from the desk.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, base, "reporter")
    desk.locator("#newsroom-desk").get_by_role("link", name="Start a story").click()
    desk.locator("#id_headline").fill(HEADLINE)
    desk.fill("#id_standfirst", "Sailings resume Tuesday morning.")
    body = desk.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press_sequentially("The first sailing leaves at 6:20 a.m.")
    desk.select_option("#id_section", label="Canada (EN)")

    # The lead photo, from the library: searched, picked, then described as the desk asks.
    desk.get_by_role("button", name="Choose from the library").click()
    chooser = desk.get_by_role("dialog", name="Choose a photo")
    expect(chooser).to_be_visible()
    chooser.get_by_label("Search the library").fill("Bowen Island")
    chooser.get_by_label("Search the library").press("Enter")
    expect(chooser.locator(".newsroom-library__tile")).to_have_count(1)
    assert_no_axe_violations(desk)
    chooser.get_by_role("button", name="A BC Ferries vessel").click()
    expect(chooser).to_be_hidden()
    expect(desk.locator("#id_lead_photo")).to_have_value(str(ferry.pk))
    expect(desk.locator("[data-photo-chosen]")).to_have_text(CAPTION)
    expect(desk.locator("[data-photo-credit]")).to_have_text(CREDIT)
    # The photo's own words come into the form's fields: the reporter sees what is missing.
    expect(desk.locator("#id_photo_caption")).to_have_value(CAPTION)
    expect(desk.locator("#id_photo_credit")).to_have_value(CREDIT)
    expect(desk.locator("#id_photo_alt_text")).to_have_value("")
    desk.fill("#id_photo_alt_text", ALT)
    assert_no_axe_violations(desk)
    expect(desk.locator("button[data-transition=published]")).to_have_count(0)
    desk.get_by_role("button", name="Submit for review").click()
    expect(desk.locator(".messagelist")).to_contain_text(f"Submitted for review: “{HEADLINE}”")

    story = Article.objects.get()
    assert story.status == Article.Status.IN_REVIEW
    assert story.lead_photo_id == ferry.pk
    assert Photo.objects.get(pk=ferry.pk).alt_text == ALT
    address = f"{base}{story.get_absolute_url()}"

    # A reader before publication: nothing there.
    reader = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    assert reader.goto(address).status == 404

    # The editor opens it from the review queue, sees the photo and its words.
    for width in (1280, 390):
        editor = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        log_in(editor, base, "editor")
        queue = editor.get_by_role("region", name="Waiting for review")
        queue.get_by_role("link", name=HEADLINE).click()
        expect(editor.locator("#id_headline")).to_have_value(HEADLINE)
        # First on the form: it waits for them, with its photo and the words readers get.
        review = editor.get_by_role("region", name="Waiting for review")
        expect(review).to_contain_text("Last saved by reporter")
        expect(review.get_by_role("img", name=ALT)).to_be_visible()
        expect(review).to_contain_text(CAPTION)
        expect(review).to_contain_text(CREDIT)
        expect(editor.locator("[data-photo-preview] img")).to_have_attribute("alt", ALT)
        expect(editor.locator("[data-photo-chosen]")).to_have_text(CAPTION)
        expect(editor.locator("#id_photo_alt_text")).to_have_value(ALT)
        publish = editor.locator(".newsroom-actions").get_by_role("button", name="Publish now")
        expect(publish).to_be_visible()
        editor.screenshot(path=str(SHOTS / f"flow-editor-review-{width}.png"), full_page=True)
        assert fields_past_their_card(editor) == [], f"at {width} px"
        assert_no_axe_violations(editor)
        if width == 390:
            publish.click()
            expect(editor.locator(".messagelist")).to_contain_text(f"Published: “{HEADLINE}”")
        editor.context.close()

    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED

    # The reader now sees the story with its photo, its alt text, caption and credit.
    assert reader.goto(address).status == 200
    expect(reader.locator("h1")).to_have_text(HEADLINE)
    figure = reader.locator("figure.photo").first
    expect(figure.locator("img")).to_have_attribute("alt", ALT)
    expect(figure.locator("figcaption .caption")).to_have_text(CAPTION)
    expect(figure.locator("figcaption .credit")).to_have_text(CREDIT)
    assert_no_axe_violations(reader)

    reader.goto(f"{base}/")
    card = reader.locator("article.card").filter(has=reader.get_by_role("link", name=HEADLINE))
    expect(card.first).to_be_visible()
    expect(card.first.locator(".card__image img")).to_be_visible()
    assert_no_axe_violations(reader)
