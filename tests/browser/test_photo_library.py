"""The photo library in headless Chromium: a reporter picks a lead photo from the grid,
an editor sets a focal point by clicking, and axe-core finds nothing on the library.

Screenshots of the library at 1280 and 390 px go to artifacts/screenshots/desk/ (not
committed; CI keeps them) for a person to look at.
"""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article, Photo
from tests.browser.admin_session import log_in
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    StaffFactory,
    image_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "desk"
LIBRARY = "/admin/articles/photo/"


@pytest.fixture
def library():
    """A reporter's draft without a photo, and a library of a dozen photos."""
    reporter = StaffFactory(username="reporter", group="Reporter")
    author = AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=reporter)
    StaffFactory(username="editor", group="Editor")
    draft = ArticleFactory(
        headline="Transit fares frozen for another year",
        section=SectionFactory(name="Canada", slug="canada"),
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=reporter,
        authors=[author],
    )
    first = PhotoFactory(caption="Commuters board a streetcar on King Street in Toronto.")
    # Copies sharing the first one's files; bulk_create, as save() would treat each as a
    # new upload (and the files as the old image's, to delete).
    Photo.objects.bulk_create(
        [
            Photo(
                image=first.image.name,
                width=first.width,
                height=first.height,
                caption=f"Photo number {n} from the wildfire near Kelowna, B.C.",
                credit="THE CANADIAN PRESS/Darryl Dyck",
                alt_text="Smoke over a hillside",
                renditions=first.renditions,
                crops=first.crops,
                renditions_of=first.image.name,
            )
            for n in range(11)
        ]
    )
    return draft, [first, *Photo.objects.exclude(pk=first.pk)]


def test_a_reporter_picks_the_lead_photo_from_the_library(live_server, page, library):
    draft, photos = library
    chosen = photos[0]
    base = live_server.url
    log_in(page, base, "reporter")
    page.goto(f"{base}/admin/articles/article/{draft.pk}/change/")
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_be_visible()

    # The library opens in a dialog inside the page, not in a pop-up window.
    page.get_by_role("button", name="Choose from the library").click()
    picker = page.get_by_role("dialog", name="Choose a photo")
    expect(picker).to_be_visible()
    expect(picker.locator(".newsroom-library__tile")).to_have_count(len(photos))
    # Searched by a word of the caption, as a reporter would; Enter searches, it does not
    # send the story form around the dialog.
    picker.get_by_label("Search the library").fill("streetcar")
    picker.get_by_label("Search the library").press("Enter")
    expect(picker.locator(".newsroom-library__tile")).to_have_count(1)
    picker.get_by_role("button", name="Commuters board a streetcar").click()
    expect(picker).to_be_hidden()

    expect(page.locator("#id_lead_photo")).to_have_value(str(chosen.pk))
    expect(page.locator("[data-photo-chosen]")).to_contain_text("Commuters board a streetcar")
    expect(page.locator("[data-photo-preview] img")).to_be_visible()
    expect(page.get_by_role("button", name="Change")).to_be_visible()
    expect(page.get_by_role("button", name="Remove")).to_be_visible()
    page.locator(".newsroom-actions").get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved at ")
    draft.refresh_from_db()
    assert draft.lead_photo_id == chosen.pk

    # "Remove" takes it off the story.
    page.get_by_role("button", name="Remove").click()
    expect(page.locator("[data-photo-none]")).to_be_visible()
    page.locator(".newsroom-actions").get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved at ")
    draft.refresh_from_db()
    assert draft.lead_photo_id is None


def test_a_photo_dropped_on_the_chooser_is_uploaded_with_the_story(live_server, page, library):
    draft, _ = library
    base = live_server.url
    log_in(page, base, "reporter")
    page.goto(f"{base}/admin/articles/article/{draft.pk}/change/")
    expect(page.locator("[data-photo-drop]")).to_be_visible()
    jpeg = image_bytes()
    # A file dragged from the desktop: a drop event carrying it, as Chromium sends one.
    page.evaluate(
        """async (bytes) => {
          const file = new File([new Uint8Array(bytes)], "ferry.jpg", {type: "image/jpeg"});
          const data = new DataTransfer();
          data.items.add(file);
          const zone = document.querySelector("[data-photo-drop]");
          zone.dispatchEvent(new DragEvent("dragover", {bubbles: true, dataTransfer: data}));
          zone.dispatchEvent(new DragEvent("drop", {bubbles: true, dataTransfer: data}));
        }""",
        list(jpeg),
    )
    expect(page.locator("[data-photo-chosen]")).to_have_text("ferry.jpg")
    page.fill("#id_photo_caption", "The ferry leaves Horseshoe Bay.")
    page.locator(".newsroom-actions").get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved at ")
    draft.refresh_from_db()
    assert draft.lead_photo.original_filename == "ferry.jpg"
    assert draft.lead_photo.caption == "The ferry leaves Horseshoe Bay."


def test_an_editor_sets_the_focal_point_by_clicking_the_photo(live_server, page, library):
    _, photos = library
    photo = photos[0]
    base = live_server.url
    log_in(page, base, "editor")
    page.goto(f"{base}{LIBRARY}{photo.pk}/change/")
    image = page.locator("[data-focal-picker] img")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(page.locator(".newsroom-focal__marker")).to_be_visible()
    x = float(page.input_value("#id_focal_x"))
    y = float(page.input_value("#id_focal_y"))
    assert abs(x - 0.25) <= 0.02 and abs(y - 0.75) <= 0.02
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()
    photo.refresh_from_db()
    assert photo.focal_point == (x, y)


@pytest.mark.parametrize("who", ["reporter", "editor"])
def test_the_photo_library_has_no_axe_violations_and_fits_a_phone(
    live_server, browser, library, who
):
    _, photos = library
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "photo-library": f"{base}{LIBRARY}",
        "photo-picker": f"{base}{LIBRARY}?_to_field=id&_popup=1",
        "photo-form": f"{base}{LIBRARY}{photos[0].pk}/change/",
    }
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, base, who)
        for name, url in pages.items():
            page.goto(url)
            if name != "photo-form":
                expect(page.locator(".newsroom-library__tile").first).to_be_visible()
                # Readable: the grid never makes the page scroll sideways.
                overflow = page.evaluate(
                    "document.querySelector('.newsroom-library').scrollWidth"
                    " - document.querySelector('.newsroom-library').clientWidth"
                )
                assert overflow <= 0, f"{name} at {width} px is {overflow} px too wide"
            page.screenshot(path=str(SHOTS / f"{who}-{name}-{width}.png"), full_page=True)
            results = Axe().run(page, options=AXE_OPTIONS)
            assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
        context.close()
