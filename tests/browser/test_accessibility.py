"""Public pages pass axe-core's WCAG checks in Chromium, with real content on them."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from articles.search import update_search_vectors
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# WCAG 2.0, 2.1 and 2.2 A and AA, plus axe's best practices (landmarks, heading order…).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture
def newsroom():
    """A small but realistic site: sections, bylines, tags, photos, a revised story."""
    canada = SectionFactory(name="Canada", slug="canada", description="News from coast to coast.")
    business = SectionFactory(name="Business", slug="business")
    author = AuthorFactory(
        name="Amara Singh",
        slug="amara-singh",
        job_title="Parliamentary reporter",
        bio="Covers Parliament and federal politics.",
    )
    now = timezone.now()
    stories = []
    for n in range(8):
        stories.append(
            ArticleFactory(
                headline=f"Wildfire update {n}: crews hold the line near Kelowna",
                standfirst="Cooler weather helped firefighters overnight.",
                body=(
                    "<p>Crews worked through the night.</p><h2>What comes next</h2>"
                    "<p>Officials will review the evacuation order.</p>"
                    "<blockquote><p>We are not out of the woods yet.</p></blockquote>"
                ),
                section=canada if n % 2 else business,
                authors=[author, AuthorFactory()],
                tags=["Wildfires", "British Columbia"],
                lead_photo=PhotoFactory(),
                publish_at=now - timedelta(hours=n + 1),
                featured=n == 0,
                correction="An earlier version misspelled a street name." if n == 1 else "",
            )
        )
    # The French site: the second story's translation, in the paired section.
    societe = SectionFactory(name="Société", slug="societe", language="fr", translation_of=canada)
    french = ArticleFactory(
        headline="Feux de forêt : les équipes tiennent bon près de Kelowna",
        standfirst="Le temps plus frais a aidé les pompiers pendant la nuit.",
        body="<p>Les équipes ont travaillé toute la nuit.</p><h2>La suite</h2><p>À suivre.</p>",
        section=societe,
        language="fr",
        authors=[author],
        tags=["Feux de forêt"],
        lead_photo=PhotoFactory(caption_fr="Des pompiers", credit_fr="PC", alt_text_fr="Pompiers"),
        translation_of=stories[1],
    )
    # Retracted stories: their addresses answer 410 with a notice (articles/retracted.html).
    retracted = ArticleFactory(
        headline="Inquiry report on the port was based on a forged memo",
        section=canada,
        status="retracted",
        retracted_at=now,
        retraction_note="The memo at the heart of this story was forged. We regret the error.",
    )
    fr_retracted = ArticleFactory(
        headline="Le rapport d’enquête sur le port reposait sur une note falsifiée",
        section=societe,
        language="fr",
        status="retracted",
        retracted_at=now,
        retraction_note="La note au cœur de cet article était falsifiée.",
    )
    # A later update with a word-level difference, for the story's history page.
    stories[1].body += "<p>Crews said the fire was contained by Tuesday.</p>"
    stories[1].describe_change("update", "Adds that the fire was contained.")
    stories[1].save()
    update_search_vectors()
    return {
        "story": stories[1],
        "author": author,
        "fr-story": french,
        "retracted": retracted,
        "fr-retracted": fr_retracted,
        "history": f"{stories[1].get_absolute_url()}history/",
        "fr-history": f"{french.get_absolute_url()}historique/",
    }


# Every public page the reader meets, with the content above on it. One test goes through
# them all (the content is made once: making it for each page took five seconds a page).
PUBLIC_PAGES = [
    "/",
    "story",
    "/section/canada/",
    "/tag/wildfires/",
    "/author/amara-singh/",
    "/search/?q=wildfire",
    "/search/",
    "/search/?q=%25%25",
    "/feeds/",
    "/no-such-page/",
    "/about/",
    "/privacy/",
    "/corrections/",
    "history",
    "/fr/",
    "fr-story",
    "/fr/rubrique/societe/",
    "/fr/mot-cle/feux-de-foret/",
    "/fr/auteur/amara-singh/",
    "/fr/recherche/?q=feux",
    "/fr/recherche/",
    "/fr/fils/",
    "/fr/pas-de-page/",
    "retracted",
    "fr-retracted",
    "retracted-history",
    "/fr/corrections/",
    "fr-history",
]


def test_every_public_page_has_no_axe_violations(page, live_server, newsroom):
    failures = []
    for path in PUBLIC_PAGES:
        if path in ("story", "fr-story", "retracted", "fr-retracted"):
            path = newsroom[path].get_absolute_url()
        elif path in ("history", "fr-history"):
            path = newsroom[path]
        elif path == "retracted-history":
            path = f"{newsroom['retracted'].get_absolute_url()}history/"
        url = f"{live_server.url}{path}"
        page.goto(url)
        # Contrast is only checked if the stylesheet really applied.
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Georgia")
        results = Axe().run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures.append(f"{url}\n{results.generate_report()}")
    assert failures == [], "\n".join(failures)


def test_skip_link_is_the_first_stop_and_becomes_visible(page, live_server, newsroom):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0  # moved on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_search_form_can_be_used_with_the_keyboard(page, live_server, newsroom):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Search stories").fill("wildfire")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=wildfire")
    assert page.locator(".search-result").count() == 8
    assert page.locator(".search-result mark").count() >= 8


def test_keyboard_focus_is_always_visible(page, live_server, newsroom):
    page.goto(f"{live_server.url}{newsroom['story'].get_absolute_url()}")
    seen = []
    for _ in range(30):  # every stop until focus leaves the page
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; })()"
        )
        if outline[0] == "BODY":
            break
        seen.append(outline)
    assert len(seen) >= 8
    assert all(style == "solid" and width == "3px" for _, style, width in seen), repr(seen)
    assert {"A", "INPUT", "BUTTON"} <= {tag for tag, _, _ in seen}
