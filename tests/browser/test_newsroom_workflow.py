"""A reporter drafts and submits a story; an editor previews, schedules it, and it goes live.

Runs in headless Chromium against the live server. The clock is time-machine's: it is
patched process-wide, so moving it here moves it for the server thread too, and the
scheduled story goes live without anyone sleeping.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.admin_session import log_in
from tests.factories import AuthorFactory, SectionFactory, StaffFactory, TagFactory, image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_drafts_editor_schedules_readers_see_it_on_time(live_server, browser):
    reporter = StaffFactory(username="reporter", group="Reporter")
    AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=reporter)
    StaffFactory(username="editor", group="Editor")
    SectionFactory(name="Canada", slug="canada")
    TagFactory(name="Wildfires", slug="wildfires")
    base = live_server.url

    with time_machine.travel(timezone.now(), tick=True) as clock:
        # The reporter drafts the story with its photo and tags, then submits it.
        reporter_page = browser.new_context().new_page()
        log_in(reporter_page, base, "reporter")
        reporter_page.goto(f"{base}/admin/articles/article/add/")
        # Typed key by key: the slug is filled from the headline as the reporter types.
        reporter_page.locator("#id_headline").press_sequentially(
            "Evacuation order lifted for West Kelowna"
        )
        expect(reporter_page.locator("#id_slug")).to_have_value(
            "evacuation-order-lifted-for-west-kelowna"
        )
        reporter_page.fill("#id_standfirst", "Residents can return home from Friday.")
        body = reporter_page.locator(".ProseMirror[contenteditable=true]")
        body.click()
        body.press_sequentially("Crews held the fire line overnight.")
        reporter_page.select_option("#id_section", label="Canada (EN)")
        tags = reporter_page.locator("#id_tags")
        tags.press_sequentially("wild")
        expect(reporter_page.locator("#newsroom-tag-suggestions option")).to_have_attribute(
            "value", "Wildfires"
        )
        tags.fill("wildfires, British Columbia")
        reporter_page.set_input_files(
            "#id_photo_upload",
            {"name": "ridge.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()},
        )
        expect(reporter_page.locator("[data-photo-preview] img")).to_be_visible()
        reporter_page.fill("#id_photo_caption", "Firefighters on a ridge above West Kelowna.")
        reporter_page.fill("#id_photo_credit", "THE CANADIAN PRESS/Jane Doe")
        reporter_page.fill("#id_photo_alt_text", "Firefighters walk along a smoky ridge")
        expect(reporter_page.locator("button[data-transition=published]")).to_have_count(0)
        reporter_page.click("button[data-transition=review]")
        expect(reporter_page.locator(".messagelist")).to_contain_text(
            "Submitted for review: “Evacuation order lifted for West Kelowna”"
        )

        story = Article.objects.get()
        assert story.status == Article.Status.IN_REVIEW
        assert sorted(t.name for t in story.tags.all()) == ["British Columbia", "Wildfires"]
        assert "Crews held the fire line overnight." in story.body
        assert story.lead_photo.alt_text == "Firefighters walk along a smoky ridge"
        assert [b.author.name for b in story.bylines.all()] == ["Rita Reporter"]

        # The editor finds it on the desk, previews it, and schedules it a minute ahead.
        editor_context = browser.new_context()
        editor_page = editor_context.new_page()
        log_in(editor_page, base, "editor")
        editor_page.locator("#newsroom-desk").get_by_role(
            "link", name="Evacuation order lifted for West Kelowna"
        ).click()
        with editor_context.expect_page() as preview_info:
            editor_page.click("a.newsroom-preview")
        preview = preview_info.value
        expect(preview.locator("h1.story__headline")).to_have_text(
            "Evacuation order lifted for West Kelowna"
        )
        expect(preview.locator("figure figcaption")).to_contain_text("Firefighters on a ridge")
        assert re.search(r"/admin/articles/article/preview/[^/]+/$", preview.url)
        preview.close()

        go_live = timezone.localtime(timezone.now() + timedelta(minutes=1))
        editor_page.fill("#id_publish_at_0", go_live.strftime("%Y-%m-%d"))
        editor_page.fill("#id_publish_at_1", go_live.strftime("%H:%M:%S"))
        editor_page.click("button[data-transition=scheduled]")
        expect(editor_page.locator(".messagelist")).to_contain_text("Scheduled for ")
        story.refresh_from_db()
        assert story.status == Article.Status.SCHEDULED

        # Readers: nothing yet, then the story appears by itself when its time comes.
        reader = browser.new_context().new_page()
        response = reader.goto(f"{base}/story/{story.slug}/")
        assert response.status == 404
        clock.shift(timedelta(minutes=2))
        response = reader.goto(f"{base}/story/{story.slug}/")
        assert response.status == 200
        expect(reader.locator("h1")).to_have_text("Evacuation order lifted for West Kelowna")
        reader.goto(f"{base}/")
        expect(
            reader.get_by_role("link", name="Evacuation order lifted for West Kelowna").first
        ).to_be_visible()
