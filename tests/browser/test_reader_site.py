"""The reader's site as a reader sees it: screenshots at desktop and phone widths.

The screenshots go to ``artifacts/screenshots/`` (or ``$SCREENSHOT_DIR``), which is not
committed: CI keeps them as artefacts, and people look at them. The test also holds the
phone home page to a third of its height before the redesign.
"""

import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)
# The home page at 390 px on main before the redesign (commit 210fbab), with the demo content
# `scripts/serve` loads (300 stories, seed 2026): one lead and 7 sections of 4 full-width cards.
HOME_390_BEFORE = 10_768
# The instant the demo is loaded and the pages are read at. The demo's times count back from
# "now" and the "Latest" list shows "N hours ago" or a full date, whose width (so where a
# headline wraps) depends on the time of day: at the real time the heights move with the clock.
# A quarter past the hour, so the minutes the demo takes to load never cross an hour.
READ_AT = datetime(2026, 12, 7, 9, 15, tzinfo=ZoneInfo("America/Toronto"))


def _screenshot_dir():
    folder = Path(
        os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR, "artifacts", "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _show(page, url):
    page.goto(url)
    # Scroll through once so lazy photos load before the full-page picture is taken.
    page.evaluate(
        "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
        " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); }"
        " window.scrollTo(0, 0); }"
    )
    page.wait_for_load_state("networkidle")
    return page.evaluate("document.documentElement.scrollHeight")


@pytest.mark.once  # a photographing sweep, as test_site_pages.py
def test_public_pages_at_desktop_and_phone_widths(browser, live_server):
    # Every thread (the live server's too) reads the clock from READ_AT on; Chromium's clock,
    # which site.js reads for "N hours ago", is set to the same instant in each context.
    with time_machine.travel(READ_AT, tick=True):
        heights = _load_demo_and_measure(browser, live_server)
    print("page heights (px):", heights)
    assert heights["home", 390] <= HOME_390_BEFORE / 3, heights["home", 390]
    # Listing pages of 20 stories fit in a few phone screens, not twelve.
    assert heights["section", 390] <= 900 * 5, heights["section", 390]


def _load_demo_and_measure(browser, live_server):
    # Earlier transactional tests flush the database, groups from the data migration included;
    # load_demo gives its demo accounts these groups.
    for name in ("Editor", "Reporter"):
        Group.objects.get_or_create(name=name)
    call_command("load_demo", articles=300, seed=2026)
    story = (
        Article.objects.published()
        .exclude(lead_photo=None)
        .filter(related_links__isnull=False)
        .latest_first()
        .first()
    )
    tag = Tag.objects.filter(slug="housing").first() or Tag.objects.first()
    author = Author.objects.filter(bylines__isnull=False).first()
    pages = {
        "home": "/",
        "story": story.get_absolute_url(),
        "section": "/section/canada/",
        "tag": f"/tag/{tag.slug}/",
        "author": author.get_absolute_url(),
        "search": "/search/?q=housing",
        "404": "/story/no-such-story/",
        "about": "/about/",
    }
    folder = _screenshot_dir()
    heights = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.clock.set_fixed_time(READ_AT)
        page = context.new_page()
        for name, path in pages.items():
            heights[name, width] = _show(page, live_server.url + path)
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        context.close()
    return heights


def test_recent_times_read_as_hours_ago_in_the_browser(page, live_server):
    now = timezone.now()
    ArticleFactory(headline="Fresh story", publish_at=now - timedelta(hours=2, minutes=5))
    ArticleFactory(headline="Older story", publish_at=now - timedelta(days=3))
    page.goto(live_server.url + "/")
    times = page.locator("time[data-relative]").all_inner_texts()
    assert "2 hours ago" in times
    assert any(text.endswith(("a.m.", "p.m.", "noon", "midnight")) for text in times)


def test_copy_link_button_copies_the_story_address(browser, live_server):
    story = ArticleFactory(headline="Share me")
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").endswith(story.get_absolute_url())
    context.close()


def test_the_footer_leads_readers_to_a_page_that_explains_and_lists_the_feeds(page, live_server):
    ArticleFactory(headline="Council approves new budget")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="All our news feeds").click()
    page.get_by_role("heading", name="News feeds").wait_for()
    rss = page.get_by_role("link", name="Latest stories (RSS)").first.get_attribute("href")
    # The feed itself is a feed, for feed readers: no stylesheet for a browser to apply.
    feed = page.request.get(live_server.url + rss, headers={"Accept": "text/html"})
    assert feed.headers["content-type"].startswith("application/rss+xml")
    assert b"Council approves new budget" in feed.body()
    assert b"xml-stylesheet" not in feed.body()
