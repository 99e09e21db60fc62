"""The journalist's desk in headless Chromium: autosave, a photo from the library, submit, mail,
notes, schedule.

Also runs axe-core on the story form, the story list and the desk page, and saves
screenshots of each at 1280, 1024 and 390 px into artifacts/screenshots/desk/ (not committed;
CI keeps them as artefacts) for a person to look at.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, StoryNote
from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    StaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "desk"
HEADLINE = "Transit fares frozen for another year"


@pytest.fixture
def people():
    reporter = StaffFactory(username="reporter", group="Reporter", email="rita@example.com")
    AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=reporter)
    AuthorFactory(name="Aaron Aardvark", slug="aaron-aardvark")
    editor = StaffFactory(username="editor", group="Editor", email="desk@example.com")
    SectionFactory(name="Business", slug="business")
    SectionFactory(name="Canada", slug="canada")
    PhotoFactory(caption="Commuters board a streetcar on King Street in Toronto.")
    PhotoFactory(caption="Smoke over a hillside near Kelowna, B.C.")
    return reporter, editor


def test_reporter_drafts_with_autosave_submits_and_editor_notes_and_schedules(
    live_server, browser, people
):
    base = live_server.url
    reporter_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(reporter_page, base, "reporter")
    reporter_page.goto(f"{base}/admin/articles/article/add/")
    # The byline is the reporter's own before they touch it.
    expect(reporter_page.locator("#id_bylines-0-author")).to_have_value(
        str(people[0].author_profile.pk)
    )
    reporter_page.fill("#id_headline", HEADLINE)
    expect(reporter_page.locator("#newsroom-headline-count")).to_contain_text("37 characters")
    reporter_page.fill("#id_standfirst", "The TTC board voted on Thursday.")
    body = reporter_page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press_sequentially("The board voted seven to four.")
    reporter_page.select_option("#id_section", label="Canada (EN)")
    # The search and social headline is counted against what results and cards show.
    reporter_page.fill("#id_social_headline", "Transit fares frozen again")
    expect(reporter_page.locator("#newsroom-social_headline-count")).to_contain_text(
        "26 of at most 100 characters"
    )
    actions = reporter_page.locator(".newsroom-actions")
    expect(actions.get_by_role("button")).to_have_text(["Save draft", "Submit for review"])
    actions.get_by_role("button", name="Save draft").click()
    expect(reporter_page.locator(".messagelist")).to_contain_text("Saved at ")
    expect(reporter_page.locator(".messagelist")).to_contain_text(f"“{HEADLINE}”")

    # Keeps typing; a few seconds later the text is autosaved, not saved.
    body = reporter_page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    reporter_page.keyboard.press("End")
    body.press_sequentially(" Fares stay at $3.35.")
    expect(reporter_page.locator("#newsroom-body-count")).to_contain_text("words")
    expect(reporter_page.locator("#newsroom-autosave")).to_contain_text(
        "Autosaved at", timeout=10_000
    )
    story = Article.objects.get()
    assert "$3.35" not in story.body

    # The tab reloads (or crashes): the page offers the text back and restores it.
    reporter_page.reload()
    expect(reporter_page.locator("#autosave-offer")).to_contain_text("were never saved")
    reporter_page.get_by_role("link", name="Restore my changes").click()
    expect(reporter_page.locator(".ProseMirror[contenteditable=true]")).to_contain_text(
        "Fares stay at $3.35."
    )
    # The lead photo comes from the library, found by a word of its caption.
    # The photo library opens in a dialog inside the page.
    reporter_page.get_by_role("button", name="Choose from the library").click()
    picker = reporter_page.get_by_role("dialog", name="Choose a photo")
    picker.get_by_label("Search the library").fill("streetcar")
    picker.get_by_label("Search the library").press("Enter")
    expect(picker.locator(".newsroom-library__tile")).to_have_count(1)
    picker.get_by_role("button", name="Commuters board a streetcar").click()
    expect(picker).to_be_hidden()
    expect(reporter_page.locator("[data-photo-chosen]")).to_contain_text(
        "Commuters board a streetcar"
    )
    reporter_page.locator(".newsroom-actions").get_by_role(
        "button", name="Submit for review"
    ).click()
    expect(reporter_page.locator(".messagelist")).to_have_text(
        f"Submitted for review: “{HEADLINE}” Open the story"
    )
    # The list the reporter lands on starts with their story.
    expect(reporter_page.locator("#result_list tbody tr").first).to_contain_text(HEADLINE)
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW and "$3.35" in story.body
    assert story.social_headline == "Transit fares frozen again"
    assert story.lead_photo.caption.startswith("Commuters board a streetcar")
    assert [b.author.name for b in story.bylines.all()] == ["Rita Reporter"]

    # The editor is told by mail, leaves a note and schedules the story.
    assert [m.to for m in mail.outbox] == [["desk@example.com"]]
    assert mail.outbox[0].subject == f"For review: “{HEADLINE}”"
    editor_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(editor_page, base, "editor")
    editor_page.locator("#newsroom-desk").get_by_role("link", name=HEADLINE).click()
    editor_page.fill("#id_note_text", "Good. Add the vote breakdown by ward.")
    editor_page.get_by_role("button", name="Add note").click()
    expect(editor_page.locator("#notes")).to_contain_text("Add the vote breakdown by ward.")
    assert StoryNote.objects.get().author.username == "editor"

    go_live = timezone.localtime(timezone.now() + timedelta(days=1))
    editor_page.fill("#id_publish_at_0", go_live.strftime("%Y-%m-%d"))
    editor_page.fill("#id_publish_at_1", "09:00:00")
    actions = editor_page.locator(".newsroom-actions")
    expect(actions.get_by_role("button")).to_have_text(
        ["Save changes", "Send back", "Schedule", "Publish now"]
    )
    actions.get_by_role("button", name="Schedule").click()
    expect(editor_page.locator(".messagelist")).to_contain_text(
        f"Scheduled for 9:00 a.m. {go_live:%A}, {go_live:%B} {go_live.day}: “{HEADLINE}”"
    )
    assert mail.outbox[-1].to == ["rita@example.com"]
    assert mail.outbox[-1].subject.startswith("Scheduled for 9:00 a.m.")

    # The reporter sees the editor's note on the story.
    reporter_page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    expect(reporter_page.locator("#notes")).to_contain_text("Add the vote breakdown by ward.")


@pytest.fixture
def desk_content(people):
    reporter, editor = people
    canada = SectionFactory(name="Canada", slug="canada")
    now = timezone.now()
    for n, status in enumerate(
        [
            Article.Status.PUBLISHED,
            Article.Status.IN_REVIEW,
            Article.Status.SCHEDULED,
            Article.Status.DRAFT,
        ]
        * 2
    ):
        ArticleFactory(
            headline=f"Ontario's housing plan, part {n}: what the new rules mean for renters",
            section=canada,
            status=status,
            publish_at=(
                now + timedelta(hours=n + 1)
                if status == Article.Status.SCHEDULED
                else now - timedelta(hours=n + 1)
                if status == Article.Status.PUBLISHED
                else None
            ),
            lead_photo=PhotoFactory() if n % 2 == 0 else None,
            created_by=reporter,
            authors=[reporter.author_profile],
        )
    return Article.objects.filter(status=Article.Status.DRAFT).first()


@pytest.mark.once  # a photographing sweep, as test_desk_pages.py
@pytest.mark.parametrize("who", ["reporter", "editor"])
def test_desk_pages_have_no_axe_violations_and_are_photographed(
    live_server, browser, desk_content, who
):
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "desk": f"{base}/admin/",
        "story-list": f"{base}/admin/articles/article/",
        "story-form": f"{base}/admin/articles/article/{desk_content.pk}/change/",
        "new-story": f"{base}/admin/articles/article/add/",
    }
    for width in (1280, 1024, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, base, who)
        for name, url in pages.items():
            page.goto(url)
            if "story" in name and "list" not in name:
                expect(page.locator(".ProseMirror[contenteditable=true]")).to_be_visible()
            page.screenshot(path=str(SHOTS / f"{who}-{name}-{width}.png"), full_page=True)
            if width == 1280:
                results = Axe().run(page, options=AXE_OPTIONS)
                assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
        context.close()


@pytest.mark.parametrize("who", ["reporter", "editor"])
@pytest.mark.parametrize("width", [1280, 1024])
def test_story_list_keeps_every_column_in_view(live_server, browser, desk_content, who, width):
    """No column cut off and no sideways scrolling; headlines wrap at a readable width."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, who)
    page.goto(f"{live_server.url}/admin/articles/article/")
    measured = page.evaluate(
        """() => {
        const results = document.querySelector("#changelist .results");
        const right = results.getBoundingClientRect().right;
        const shown = [...document.querySelectorAll("#result_list thead th")].filter(
          (th) => th.getBoundingClientRect().width > 0);
        return {
          page: [document.documentElement.scrollWidth, window.innerWidth],
          results: [results.scrollWidth, results.clientWidth],
          cutOff: shown.filter((th) => th.getBoundingClientRect().right > right + 1)
            .map((th) => th.className),
          columns: shown.map((th) => th.className.replace(/^.*column-/, "").split(" ")[0]),
          headline: document.querySelector("#result_list th.field-headline")
            .getBoundingClientRect().width,
        };
      }"""
    )
    assert measured["page"][0] <= measured["page"][1], measured
    assert measured["results"][0] <= measured["results"][1], measured
    assert measured["cutOff"] == [], measured
    for column in ("headline", "status_badge", "section", "byline_names", "publish_when"):
        assert column in measured["columns"], measured
    assert "average_rating" in measured["columns"], measured
    if width >= 1280:  # narrower, the language and translation filters stand in for it
        assert "language_state" in measured["columns"], measured
    assert measured["headline"] >= 160, measured
    context.close()


@pytest.mark.parametrize(
    ("zone", "shown"),
    [("America/Toronto", False), ("America/New_York", False), ("Europe/London", True)],
)
def test_the_time_zone_is_explained_only_when_the_browsers_differs(
    live_server, browser, desk_content, zone, shown
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id=zone)
    page = context.new_page()
    log_in(page, live_server.url, "editor")
    for url in (
        f"{live_server.url}/admin/articles/article/{desk_content.pk}/change/",
        f"{live_server.url}/admin/articles/article/",
        f"{live_server.url}/admin/",
    ):
        page.goto(url)
        note = page.locator("#newsroom-tz-note")
        if shown:
            expect(note).to_be_visible()
            expect(note).to_contain_text("Toronto time (UTC-")
            expect(note).to_contain_text("Europe/London (UTC+")
        else:
            expect(note).to_be_hidden()
    # Django's own "N hours ahead of server time" note never shows beside ours.
    page.goto(f"{live_server.url}/admin/articles/article/{desk_content.pk}/change/")
    expect(page.locator("#id_publish_at_0")).to_be_visible()
    assert page.evaluate(
        "[...document.querySelectorAll('.timezonewarning')].every((w) => !w.offsetParent)"
    )
    context.close()


NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("en", "She said \"it's done\" -- then 'left'", "She said “it’s done” — then ‘left’"),
        (
            "fr",
            'Il a dit "c\'est fini" : vraiment ?',
            f"Il a dit «{NNBSP}c’est fini{NNBSP}»{NBSP}: vraiment{NNBSP}?",
        ),
    ],
)
def test_quotes_and_dashes_become_typographic_as_the_journalist_types(
    live_server, page, people, language, typed, expected
):
    log_in(page, live_server.url, "reporter")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.select_option("#id_language", language)
    page.locator("#id_headline").press_sequentially(typed)
    expect(page.locator("#id_headline")).to_have_value(expected)
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press_sequentially(typed)
    expect(body).to_have_text(expected)
    # Undo right after a replacement gives the straight character back.
    body.press_sequentially(' "')
    body.press("Control+z")
    expect(body).to_have_text(f'{expected} "')


def test_the_body_toolbar_shows_no_missing_glyph(live_server, page, people):
    """Its block menu was marked with "⏷", which the desk's fonts lack (a box showed)."""
    log_in(page, live_server.url, "reporter")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    marker = page.locator(".prose-menubar__selected").first
    expect(marker).to_be_visible()
    assert marker.evaluate("(el) => getComputedStyle(el, '::after').content") == '""'
