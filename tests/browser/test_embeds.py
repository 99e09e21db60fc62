"""Embeds in a real browser: nothing of the host loads until the reader presses play, then
the privacy-enhanced player does; the page stays accessible; the desk inserts an embed when
a video address is pasted on an empty line.

No internet is needed: every request to another host is answered (or refused) by
``page.route`` and recorded.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from articles.embeds import embed_for_id
from articles.models import Article
from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = embed_for_id("youtube", "dQw4w9WgXcQ", "Le maire répond aux questions du conseil")
AUDIO = embed_for_id("soundcloud", "some-artist/a-track")


def _shots():
    folder = Path(
        os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR, "artifacts", "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _story(**kwargs):
    return ArticleFactory(
        headline="Council votes to keep transit fares frozen",
        body=(
            "<p>The council voted seven to four on Thursday.</p>"
            f"{VIDEO.stored_html()}"
            "<p>The mayor said the freeze would cost the city $12 million.</p>"
            f"{AUDIO.stored_html()}"
            "<p>The vote comes after months of debate.</p>"
        ),
        lead_photo=PhotoFactory(),
        **kwargs,
    )


def _record_other_hosts(context, live_server):
    """Answer every request to another host with a tiny page, and list them."""
    own = urlsplit(live_server.url).netloc
    others = []

    def handle(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            others.append(route.request.url)
            route.fulfill(status=200, content_type="text/html", body="<p>Player</p>")

    context.route("**/*", handle)
    return others


def _hosts_asked(page, others):
    """The other hosts asked so far, once the route handler has seen the request."""
    for _ in range(50):
        if others:
            break
        page.wait_for_timeout(100)  # lets Playwright deliver the route event
    return [urlsplit(address).netloc for address in others]


def _box_in_page(page, figure):
    """The player box's place in the page (not in the viewport, which scrolls)."""
    box = figure.locator(".embed__frame").bounding_box()
    return {**box, "y": box["y"] + page.evaluate("window.scrollY")}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_player_loads_only_when_the_reader_presses_play(browser, live_server, width):
    story = _story()
    context = browser.new_context(viewport={"width": width, "height": 900})
    others = _record_other_hosts(context, live_server)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    page.goto(live_server.url + story.get_absolute_url())
    page.wait_for_load_state("networkidle")

    video = page.locator("figure.embed--video")
    play = video.get_by_role("button", name="Play video on YouTube")
    expect(play).to_be_visible()
    expect(page.locator("iframe")).to_have_count(0)
    assert others == []
    box_before = _box_in_page(page, video)
    assert abs(box_before["width"] / box_before["height"] - 16 / 9) < 0.02
    page.screenshot(path=str(_shots() / f"story-embed-{width}.png"), full_page=True)

    # With the keyboard: the button is a real button.
    play.focus()
    with page.expect_request("https://www.youtube-nocookie.com/**"):
        page.keyboard.press("Enter")
    frame = video.locator("iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    expect(frame).to_have_attribute(
        "title", "YouTube player: Le maire répond aux questions du conseil"
    )
    assert _hosts_asked(page, others) == ["www.youtube-nocookie.com"]
    # The box did not move or change size, and focus went to the player.
    assert _box_in_page(page, video) == box_before
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    assert violations == []
    page.screenshot(path=str(_shots() / f"story-embed-playing-{width}.png"))
    context.close()


def test_the_audio_player_is_soundclouds_own_widget(browser, live_server):
    story = _story()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    others = _record_other_hosts(context, live_server)
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    with page.expect_request("https://w.soundcloud.com/**"):
        page.get_by_role("button", name="Play audio on SoundCloud").click()
    expect(page.locator("figure.embed--audio iframe")).to_have_attribute("src", AUDIO.player_url)
    assert _hosts_asked(page, others) == ["w.soundcloud.com"]
    context.close()


def test_a_player_that_arrives_after_the_page_loaded_plays_too(browser, live_server):
    """A live story's new update is inserted into the open page by its script: the player
    in it must show its button and play like the ones present at load."""
    story = _story()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    others = _record_other_hosts(context, live_server)
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.get_by_role("button", name="Play video on YouTube")).to_be_visible()
    # A copy of the page's video, as the server writes it (button hidden), added later.
    page.evaluate(
        """() => {
        const copy = document.querySelector("figure.embed--video").cloneNode(true);
        copy.id = "arrived-later";
        copy.querySelector(".embed__play").hidden = true;
        document.querySelector("main").append(copy);
    }"""
    )
    later = page.locator("#arrived-later")
    play = later.get_by_role("button", name="Play video on YouTube")
    expect(play).to_be_visible()
    with page.expect_request("https://www.youtube-nocookie.com/**"):
        play.click()
    expect(later.locator("iframe")).to_have_count(1)
    assert _hosts_asked(page, others) == ["www.youtube-nocookie.com"]
    context.close()


def test_without_javascript_the_link_remains(browser, live_server):
    story = _story()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.get_by_role("link", name="Watch on YouTube")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    expect(page.get_by_role("button", name="Play video on YouTube")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_story_with_embeds_has_no_axe_violations(page, live_server, language):
    section = SectionFactory(language=language)
    story = _story(language=language, section=section)
    _record_other_hosts(page.context, live_server)
    page.goto(live_server.url + story.get_absolute_url())
    page.wait_for_load_state("networkidle")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def _paste(page, text):
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const target = document.querySelector(".ProseMirror[contenteditable=true]");
            target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                              cancelable: true}));
        }""",
        text,
    )


def test_pasting_a_video_address_on_an_empty_line_inserts_an_embed(browser, live_server):
    StaffFactory(username="editor", group="Editor")
    story = ArticleFactory(body="<p>The council voted.</p>")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    others = _record_other_hosts(context, live_server)
    page = context.new_page()
    log_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.locator("p").first.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    # The paste only becomes an embed on an empty line: wait until the editor has made it (a
    # key press can land late on a loaded machine, and the paste would then go into text).
    expect(body.locator("p")).to_have_count(2)
    _paste(page, "https://youtu.be/dQw4w9WgXcQ")
    card = body.locator('figure.embed[data-embed-provider="youtube"]')
    expect(card).to_be_visible(timeout=15_000)  # after a round trip to the desk's lookup
    page.keyboard.type("The vote was close.")
    expect(body.locator("p").last).to_have_text("The vote was close.")
    # An address of a host not on the list stays a link.
    page.keyboard.press("Enter")
    expect(body.locator("p")).to_have_count(3)
    _paste(page, "https://www.cbc.ca/player/play/video/9.123")
    expect(body.locator('a[href="https://www.cbc.ca/player/play/video/9.123"]')).to_be_visible(
        timeout=15_000
    )
    page.screenshot(path=str(_shots() / "desk-embed-1280.png"))
    # The story is public: the save says what kind of change it is (the public record).
    page.select_option("#id_change_kind", label="Update")
    page.locator(".newsroom-actions").get_by_role("button").first.click()
    expect(page.locator(".messagelist")).to_contain_text("Saved")
    story = Article.objects.get(pk=story.pk)
    assert story.body == (
        "<p>The council voted.</p>"
        + embed_for_id("youtube", "dQw4w9WgXcQ").stored_html()
        + "<p>The vote was close.</p>"
        '<p><a href="https://www.cbc.ca/player/play/video/9.123" rel="noopener noreferrer">'
        "https://www.cbc.ca/player/play/video/9.123</a></p>"
    )
    assert others == []  # the desk asked itself, not the host
    context.close()


def test_an_embed_survives_opening_and_saving_in_the_editor(browser, live_server):
    StaffFactory(username="editor", group="Editor")
    body = f"<p>Before.</p>{VIDEO.stored_html()}<p>After.</p>"
    story = ArticleFactory(body=body)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor.locator("figure.embed a")).to_have_text(VIDEO.title)
    editor.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.type(" More.")
    page.select_option("#id_change_kind", label="Minor edit")
    page.locator(".newsroom-actions").get_by_role("button").first.click()
    expect(page.locator(".messagelist")).to_contain_text("Saved")
    assert Article.objects.get(pk=story.pk).body == (
        f"<p>Before.</p>{VIDEO.stored_html()}<p>After. More.</p>"
    )
