"""A reader rates a story in a real browser, with and without JavaScript."""

import re

import pytest

from ratings.models import RatingSummary, Vote
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story():
    return ArticleFactory(headline="Wildfire season starts early in B.C.")


def _page(browser, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    return context, context.new_page()


def _numbers(page):
    block = page.locator(".ratings-block")
    return (
        block.locator(".ratings-average").inner_text().strip(),
        block.locator(".ratings-count").inner_text().strip(),
    )


def test_clicking_the_fourth_star_updates_the_numbers_in_place_and_is_remembered(
    story, browser, live_server
):
    from playwright.sync_api import expect

    context, page = _page(browser, javascript=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    try:
        page.goto(live_server.url + story.get_absolute_url())
        block = page.locator(".ratings-block")
        expect(block.locator(".ratings-average")).to_have_text("Average rating 0 / 5")
        expect(block).to_have_class(re.compile("has-js"))
        navigations = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))

        block.locator("label[for=ratings-star-4]").click()

        expect(block.locator("[data-ratings-status]")).to_contain_text(
            "Thank you for rating this story."
        )
        expect(block.locator(".ratings-average")).to_have_text("Average rating 4.0 / 5")
        expect(block.locator(".ratings-count")).to_have_text("Vote count: 1")
        expect(block.locator(".ratings-yours--4")).to_be_visible()
        assert navigations == []  # no reload
        assert Vote.objects.get().stars == 4

        page.reload()
        expect(block.locator("#ratings-star-4")).to_be_checked()
        expect(block.locator(".ratings-yours--4")).to_be_visible()
        assert _numbers(page) == ("Average rating 4.0 / 5", "Vote count: 1")

        block.locator("label[for=ratings-star-2]").click()  # changing my mind
        expect(block.locator(".ratings-average")).to_have_text("Average rating 2.0 / 5")
        expect(block.locator(".ratings-count")).to_have_text("Vote count: 1")
        expect(block.locator("#ratings-feedback-text")).to_be_visible()  # low vote
        assert errors == []
    finally:
        context.close()


def test_the_keyboard_alone_can_vote(story, browser, live_server):
    from playwright.sync_api import expect

    context, page = _page(browser, javascript=True)
    try:
        page.goto(live_server.url + story.get_absolute_url())
        block = page.locator(".ratings-block")
        expect(block).to_have_class(re.compile("has-js"))
        block.locator("#ratings-star-1").focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(block.locator(".ratings-count")).to_have_text("Vote count: 1")
        expect(block.locator(".ratings-average")).to_have_text("Average rating 3.0 / 5")
        assert Vote.objects.get().stars == 3
    finally:
        context.close()


def test_without_javascript_the_form_votes_and_the_vote_is_remembered(story, browser, live_server):
    from playwright.sync_api import expect

    context, page = _page(browser, javascript=False)
    try:
        page.goto(live_server.url + story.get_absolute_url())
        block = page.locator(".ratings-block")
        expect(block.locator(".ratings-count")).to_have_text("Vote count: 0")
        block.locator("label[for=ratings-star-4]").click()
        block.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"#ratings-thanks$"))

        expect(block.locator("#ratings-thanks")).to_be_visible()
        expect(block.locator(".ratings-average")).to_have_text("Average rating 4.0 / 5")
        expect(block.locator(".ratings-count")).to_have_text("Vote count: 1")
        expect(block.locator(".ratings-yours--4")).to_be_visible()

        page.goto(live_server.url + story.get_absolute_url())  # come back later
        expect(block.locator(".ratings-yours--4")).to_be_visible()
        expect(block.locator(".ratings-yours--3")).to_be_hidden()
        expect(block.locator("#ratings-thanks")).to_be_hidden()
        assert _numbers(page) == ("Average rating 4.0 / 5", "Vote count: 1")

        block.locator("label[for=ratings-star-5]").click()  # voting again changes the vote
        block.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"#ratings-thanks$"))
        expect(block.locator(".ratings-average")).to_have_text("Average rating 5.0 / 5")
        expect(block.locator(".ratings-count")).to_have_text("Vote count: 1")
        assert RatingSummary.objects.get(article=story).vote_count == 1
    finally:
        context.close()


def test_a_low_vote_can_send_feedback_to_editors(story, browser, live_server):
    from playwright.sync_api import expect

    from ratings.models import Feedback

    context, page = _page(browser, javascript=True)
    try:
        page.goto(live_server.url + story.get_absolute_url())
        block = page.locator(".ratings-block")
        expect(block).to_have_class(re.compile("has-js"))
        expect(block.locator("#ratings-feedback-text")).to_be_hidden()
        block.locator("label[for=ratings-star-1]").click()
        expect(block.locator(".ratings-count")).to_have_text("Vote count: 1")
        block.locator("#ratings-feedback-text").fill("Please name the fire chief.")
        block.locator("button[type=submit]").click()
        expect(block.locator("#ratings-feedback-text")).to_have_value("")
        expect(block.locator("[data-ratings-status]")).to_contain_text("Thank you")
        assert Feedback.objects.get().text == "Please name the fire chief."
        assert RatingSummary.objects.get(article=story).vote_count == 1
    finally:
        context.close()


def test_a_vote_on_a_french_story_writes_the_new_average_the_french_way(browser, live_server):
    """After a vote, ratings.js writes "4,0 / 5" on a French page, not "4.0", and thanks
    the reader in French."""
    from playwright.sync_api import expect

    french = ArticleFactory(headline="La saison des feux commence tôt", language="fr")
    context, page = _page(browser, javascript=True)
    try:
        page.goto(live_server.url + french.get_absolute_url())
        block = page.locator(".ratings-block")
        expect(block).to_have_class(re.compile("has-js"))
        block.locator("label[for=ratings-star-4]").click()
        expect(block.locator(".ratings-average")).to_have_text("Note moyenne 4,0 / 5")
        expect(block.locator(".ratings-count")).to_have_text("Nombre de votes\xa0: 1")
        expect(block.locator("[data-ratings-status]")).to_contain_text(
            "Merci d’avoir évalué cet article."
        )
    finally:
        context.close()
