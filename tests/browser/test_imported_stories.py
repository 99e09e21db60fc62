"""Stories imported from WordPress as a reader sees them: players, links naming their host,
code blocks. Screenshots at desktop and phone widths go to ``artifacts/screenshots/`` (or
``$SCREENSHOT_DIR``), not committed; people look at them."""

import io
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.browser.test_accessibility import AXE_OPTIONS
from tests.wordpress.eras import ERAS, write_uploads
from wordpress.models import WordPressPost

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


@pytest.fixture
def imported(tmp_path):
    uploads = write_uploads(tmp_path / "uploads")
    for name in ("classic editor (WXR 1.2)", "block editor"):
        export = tmp_path / "export.xml"
        export.write_text(ERAS[name]())
        try:
            call_command(
                "import_wordpress", str(export), media_dir=str(uploads),
                stdout=io.StringIO(), stderr=io.StringIO(),
            )  # fmt: skip
        except CommandError:  # the classic era's Rate My Post totals are refused
            pass
    return {
        imported.wp_id: imported.article.get_absolute_url()
        for imported in WordPressPost.objects.select_related("article")
    }


def test_imported_stories_read_right_at_both_widths(browser, live_server, imported):
    """No horizontal scroll on a phone (code scrolls inside its block), no axe violation."""
    folder = Path(
        os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR, "artifacts", "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for wp_id, name in ((301, "players"), (302, "code"), (401, "blocks")):
            page.goto(f"{live_server.url}{imported[wp_id]}")
            assert page.locator("pre code").count() or wp_id == 301
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"{name} at {width} px is {overflow} px wide"
            page.screenshot(path=str(folder / f"imported-{name}-{width}.png"), full_page=True)
            if width == WIDTHS[0]:
                results = Axe().run(page, options=AXE_OPTIONS)
                assert results.violations_count == 0, results.generate_report()
        context.close()
