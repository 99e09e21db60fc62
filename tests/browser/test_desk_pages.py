"""Every desk page, as a reporter and as an editor, in Chromium: screenshots at 1280, 1024 and
390 px in the light and the dark theme (into artifacts/screenshots/desk/pages/, or
``$SCREENSHOT_DIR/desk/pages``; not committed, for a person to look at), axe-core on each in
both themes, the HTML checker on each, and no page wider than the window.
"""

import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone

from articles.models import Article, FrontPage, InfoPage
from live import services as live
from ratings.models import Feedback, record_vote
from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    StaffFactory,
)
from tests.test_html_validity import assert_valid, vnu  # noqa: F401 (the checker's fixture)

pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]


def _shots():
    root = os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR, "artifacts", "screenshots")
    folder = Path(root, "desk", "pages")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def desk():
    """A desk with something on every page: stories in each state, photos, votes, feedback,
    live coverage, a correction, a site page."""
    reporter = StaffFactory(username="reporter", group="Reporter", email="rita@example.com")
    rita = AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=reporter)
    editor = StaffFactory(username="editor", group="Editor", email="desk@example.com")
    canada = SectionFactory(name="Canada", slug="canada")
    now = timezone.now()
    stories = {}
    for status in ("draft", "review", "scheduled", "published"):
        stories[status] = ArticleFactory(
            headline=f"Ontario’s housing plan: what the new rules mean for renters ({status})",
            standfirst="The province says 1.5 million homes by 2031.",
            body="<p>Rents rose 7 % last year.</p><h2>What changes</h2><p>More units.</p>",
            section=canada,
            status=status,
            publish_at=(
                now + timedelta(days=1)
                if status == "scheduled"
                else now - timedelta(hours=2)
                if status == "published"
                else None
            ),
            lead_photo=PhotoFactory(caption="Cranes over a condo tower in Toronto."),
            created_by=reporter,
            authors=[rita],
            tags=["Housing"],
        )
    published = stories["published"]
    for stars in (5, 4, 4, 2):
        record_vote(published.pk, uuid.uuid4(), stars, f"address-{stars}-{uuid.uuid4()}")
    Feedback.objects.create(
        article=published, stars=2, text="Which cities are covered?", voter=uuid.uuid4()
    )
    published.body += "<p>The minister spoke on Tuesday.</p>"
    published.describe_change("correction", "An earlier version gave the wrong minister.")
    published.save()
    coverage = live.start(published, by=editor)
    live.post(coverage, by=editor, body="<p>The vote is under way.</p>", key_point=True)
    FrontPage.objects.get_or_create(pk=1, defaults={"language": "en"})
    InfoPage.objects.create(title="Masthead", slug="masthead", body="<p>Who we are.</p>")
    return {"reporter": reporter, "editor": editor, "stories": stories}


def _pages(desk, who):
    stories = desk["stories"]
    published = stories["published"].pk
    draft = stories["draft"].pk
    photo = stories["draft"].lead_photo_id
    pages = {
        "desk": "/admin/",
        "story-list": "/admin/articles/article/",
        "new-story": "/admin/articles/article/add/",
        "draft": f"/admin/articles/article/{draft}/change/",
        "in-review": f"/admin/articles/article/{stories['review'].pk}/change/",
        "published": f"/admin/articles/article/{published}/change/",
        "history": f"/admin/articles/article/{published}/history/",
        "photo-library": "/admin/articles/photo/",
        "photo": f"/admin/articles/photo/{photo}/change/",
        "new-photo": "/admin/articles/photo/add/",
        "desk-language": "/admin/desk-language/",
        "password": "/admin/password_change/",
    }
    if who == "editor":
        pages.update(
            {
                "front-page": "/admin/articles/frontpage/1/change/",
                "live-updates": "/admin/live/liveentry/",
                "ratings": "/admin/ratings/ratingsummary/",
                "ratings-report": "/admin/ratings/ratingsummary/report/",
                "feedback": "/admin/ratings/feedback/",
                "corrections": "/admin/articles/storychange/",
                "retract": f"/admin/articles/article/{published}/retract/",
                "sections": "/admin/articles/section/",
                "authors": "/admin/articles/author/",
                "site-pages": "/admin/articles/infopage/",
                "tags": "/admin/taggit/tag/",
                "recover": "/admin/articles/article/recover/",
            }
        )
    else:
        pages["refused"] = "/admin/ratings/ratingsummary/report/"  # the desk's 403 page
    return pages


@pytest.mark.parametrize("who", ["reporter", "editor"])
def test_every_desk_page_is_photographed_and_passes_axe_in_both_themes(
    live_server, browser, desk, who
):
    base = live_server.url
    shots = _shots()
    pages = _pages(desk, who)
    failures = []
    for scheme in ("light", "dark"):
        for width in (1280, 1024, 390):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.emulate_media(color_scheme=scheme)
            log_in(page, base, who)
            for name, path in pages.items():
                response = page.goto(f"{base}{path}")
                expected = 403 if name == "refused" else 200
                assert response.status == expected, (name, response.status)
                page.wait_for_load_state("networkidle")
                shot = shots / f"{who}-{name}-{width}-{scheme}.png"
                page.screenshot(path=str(shot), full_page=True)
                wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if wide > 0 and name not in ("history",):
                    failures.append(f"{name} at {width} px ({scheme}) scrolls {wide} px sideways")
                if width in (1280, 390):
                    results = Axe().run(page, options=AXE_OPTIONS)
                    if results.violations_count:
                        failures.append(f"{name} {width} {scheme}\n{results.generate_report()}")
            context.close()
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("who", ["reporter", "editor"])
def test_every_desk_page_is_valid_html(live_server, browser, desk, who, vnu, tmp_path):  # noqa: F811
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, who)
    files = []
    for name, path in _pages(desk, who).items():
        # The page as the server sent it (the checker judges markup, not the DOM after scripts).
        response = page.request.get(f"{base}{path}")
        file = tmp_path / f"{who}-{name}.html"
        file.write_bytes(response.body())
        files.append(str(file))
    context.close()
    assert_valid(vnu, files)


def test_the_published_story_shows_its_rating_and_a_draft_none(live_server, page, desk):
    log_in(page, live_server.url, "editor")
    stories = desk["stories"]
    page.goto(f"{live_server.url}/admin/articles/article/{stories['published'].pk}/change/")
    rating = page.locator(".newsroom-rating")
    assert "3.8 / 5" in rating.inner_text() and "4" in rating.inner_text()
    page.goto(f"{live_server.url}/admin/articles/article/{stories['draft'].pk}/change/")
    assert page.locator(".newsroom-rating").count() == 0
    assert Article.objects.count() == 4
