"""Every public page, in English and French, at 1280, 1024 and 390 px, as a reader sees it.

One test loads the demo once and, at each width, takes a full-page screenshot of each page
into ``artifacts/screenshots/site/`` (or ``$SCREENSHOT_DIR/site/``; not committed, people
look at them) and measures what the eye would notice: the home page's rows line up, no white
hole under its top row, its last row of sections is full, "Latest" reads in one style of
time; the section bar marks the current section and shows that it scrolls on a phone; the
story's lines are 60–75 characters long, its related photos fill their columns, its subheads
share the headline's type; search results use the width.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Author, Section, StoryChange
from tests.factories import ArticleFactory
from tests.test_html_validity import live_story_with_updates

pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 1024, 390)


def _shots():
    base = os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR, "artifacts", "screenshots")
    folder = Path(base, "site")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _show(page, url):
    response = page.goto(url)
    # Scroll through once so lazy photos load before the full-page picture is taken.
    page.evaluate(
        "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
        " window.scrollTo(0, y); await new Promise(r => requestAnimationFrame(r)); }"
        " window.scrollTo(0, 0); }"
    )
    page.wait_for_load_state("networkidle")
    return response.status


def _pages(language):
    """``{name: address}`` of every kind of public page in ``language``."""
    stories = Article.objects.published().in_language(language)
    story = (
        stories.exclude(lead_photo=None)
        .filter(related_links__isnull=False)
        .exclude(live_coverage__isnull=False)
        .latest_first()
        .first()
    )
    corrected = StoryChange.objects.corrections().filter(article__language=language).first()
    live = stories.filter(live_coverage__isnull=False).first()
    section = Section.objects.for_navigation(language)[0]
    tag = story.tags.first()
    author = Author.objects.public(language).first()
    retracted = Article.objects.retracted().in_language(language).first()
    prefix = "/fr" if language == "fr" else ""
    words = {
        "en": ("search/?q=housing", "feeds/", "no-such-page/"),
        "fr": ("recherche/?q=logement", "fils/", "pas-de-page/"),
    }[language]
    return {
        "home": f"{prefix}/",
        "section": section.get_absolute_url(),
        "tag": f"{prefix}/{'mot-cle' if language == 'fr' else 'tag'}/{tag.slug}/",
        "author": f"{prefix}/{'auteur' if language == 'fr' else 'author'}/{author.slug}/",
        "story": story.get_absolute_url(),
        "search": f"{prefix}/{words[0]}",
        "feeds": f"{prefix}/{words[1]}",
        "corrections": f"{prefix}/corrections/",
        "history": f"{corrected.article.get_absolute_url()}"
        f"{'historique' if language == 'fr' else 'history'}/",
        "live": live.get_absolute_url(),
        "404": f"{prefix}/{words[2]}",
        "410": retracted.get_absolute_url(),
    }


def _demo():
    # Earlier transactional tests flush the database, groups from the data migration included.
    for name in ("Editor", "Reporter"):
        Group.objects.get_or_create(name=name)
    call_command("load_demo", articles=90, seed=2026)
    for language in ("en", "fr"):
        live_story_with_updates(12, language=language)
        ArticleFactory(
            headline="Inquiry report was based on a forged memo"
            if language == "en"
            else "Le rapport d’enquête reposait sur une note falsifiée",
            language=language,
            section=Section.objects.for_navigation(language)[0],
            status="retracted",
            retracted_at=timezone.now(),
            retraction_note="The memo was forged." if language == "en" else "La note était fausse.",
        )


def test_every_public_page_at_three_widths_in_both_languages(browser, live_server):
    _demo()
    pages = {language: _pages(language) for language in ("en", "fr")}
    folder = _shots()
    problems = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for language, addresses in pages.items():
            for name, path in addresses.items():
                status = _show(page, live_server.url + path)
                expected = {"404": 404, "410": 410}.get(name, 200)
                assert status == expected, (path, status)
                page.screenshot(path=str(folder / f"{language}-{name}-{width}.png"), full_page=True)
                problems += [
                    f"{language} {name} {width}: {problem}"
                    for problem in _check(page, name, width, language)
                ]
        context.close()
    assert not problems, "\n".join(problems)


def _check(page, name, width, language):
    """What a reader would notice on this page at this width, as sentences (none: fine)."""
    checks = {
        "home": _home,
        "section": _section,
        "story": _story,
        "search": _search,
        "404": _not_found,
    }
    try:
        return checks[name](page, width, language) if name in checks else []
    except _Missing as missing:
        return [f"no {missing}"]


def _box(page, selector):
    """The first match's box; a missing element is a problem to report, not a 30 s wait."""
    found = page.locator(selector)
    if not found.count():
        raise _Missing(selector)
    return found.first.bounding_box()


class _Missing(Exception):
    pass


def _home(page, width, language):
    problems = []
    # "Latest" in one style: every time relative ("14 hours ago", "2 days ago").
    times = page.locator(".rail__list--latest .rail__time").all_inner_texts()
    pattern = (
        r"^il y a \d+ (minute|heure|jour)s?$|^à l’instant$"
        if language == "fr"
        else (r"^\d+ (minute|hour|day)s? ago$|^just now$")
    )
    if not times or not all(re.match(pattern, text) for text in times):
        problems.append(f"'Latest' mixes styles of time: {times}")
    # No placeholder that looks like a broken image: a panel with the section's name.
    for placeholder in page.locator(".card__image--none").all():
        if not placeholder.inner_text().strip():
            problems.append("a photo placeholder without its section's name")
        if "gradient" in placeholder.evaluate("el => getComputedStyle(el).backgroundImage"):
            problems.append("the grey diagonal placeholder is back")
    if width >= 960:
        # The top row lines up: every card's picture (photo or panel) at the same top and
        # of the same height, so a story without a photo does not float up.
        boxes = [
            card.locator(".card__image").bounding_box()
            for card in page.locator(".top-grid .card").all()
        ]
        if any(box is None for box in boxes):
            problems.append("a top story has no picture box")
        elif len({(round(b["y"]), round(b["height"])) for b in boxes}) > 1:
            problems.append(f"the top row does not line up: {boxes}")
        # No hole under the top row: the rail does not run far past the main column.
        main, rail = _box(page, ".front__main"), _box(page, ".front__rail")
        hole = (rail["y"] + rail["height"]) - (main["y"] + main["height"])
        if hole > 120:
            problems.append(f"{hole:.0f} px of white under the top row")
    if width >= 640:
        # The last row of sections is full: its last block reaches the right edge.
        blocks = page.locator(".section-block").all()
        last, grid = blocks[-1].bounding_box(), _box(page, ".section-blocks")
        if abs((last["x"] + last["width"]) - (grid["x"] + grid["width"])) > 2:
            problems.append("the last row of sections is not full")
    if width <= 400:
        # The section bar scrolls: a visible hint at the edge that has more.
        more = page.locator(".site-nav").get_attribute("data-more") or ""
        hint = page.evaluate(
            "getComputedStyle(document.querySelector('.site-nav'), '::after').content"
        )
        bar = page.evaluate(
            "(() => { const u = document.querySelector('.site-nav ul');"
            " return u.scrollWidth > u.clientWidth; })()"
        )
        if bar and ("end" not in more or hint in ("none", "normal", "")):
            problems.append(f"the section bar scrolls with no sign of it ({more!r}, {hint!r})")
    return problems


def _section(page, width, language):
    current = page.locator(".site-nav a[aria-current='page']")
    if current.count() != 1:
        return ["the section's own link is not marked aria-current='page'"]
    colour = current.evaluate("el => getComputedStyle(el).color")
    others = page.locator(".site-nav a:not([aria-current])").first.evaluate(
        "el => getComputedStyle(el).color"
    )
    problems = [] if colour != others else ["the current section looks like the others"]
    # On a phone the current section is scrolled into view in the bar.
    link, bar = current.bounding_box(), _box(page, ".site-nav ul")
    if link["x"] < bar["x"] - 1 or link["x"] + link["width"] > bar["x"] + bar["width"] + 1:
        problems.append("the current section is out of sight in the section bar")
    return problems


def _story(page, width, language):
    problems = []
    if page.locator(".site-nav a[aria-current='true']").count() != 1:
        problems.append("the story's section is not marked in the section bar")
    if width >= 1000:
        # 60–75 characters a line: the paragraph's width over its average character's.
        per_line = page.evaluate(
            """() => [...document.querySelectorAll('.story__body > p')].slice(0, 4).map(p => {
                const s = getComputedStyle(p);
                const c = document.createElement('canvas').getContext('2d');
                c.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
                const text = p.textContent.replace(/\\s+/g, ' ').trim();
                return p.clientWidth / (c.measureText(text).width / text.length);
            })"""
        )
        if not per_line or not all(60 <= n <= 75 for n in per_line):
            problems.append(f"body lines of {[round(n) for n in per_line]} characters")
    # Related photos fill their columns.
    for item in page.locator(".related-story").all():
        image = item.locator("img, .related-story__image--none").first.bounding_box()
        column = item.bounding_box()
        if width >= 768 and image and abs(image["width"] - column["width"]) > 1:
            problems.append(f"a related photo narrower than its column: {image} in {column}")
    # Headline and subheads in one family.
    families = page.evaluate(
        "[...document.querySelectorAll('.story__headline, .story__body h2, .story__body h3')]"
        ".map(el => getComputedStyle(el).fontFamily)"
    )
    if len(set(families)) > 1:
        problems.append(f"headline and subheads in different type: {set(families)}")
    return problems


def _search(page, width, language):
    problems = []
    snippets = [s.strip() for s in page.locator(".search-result__snippet").all_inner_texts()]
    if len(snippets) != len(set(snippets)):
        problems.append("the same snippet twice")
    if width >= 1000:
        used, main = _box(page, ".search-page"), _box(page, "main")
        if used["width"] < 0.9 * (main["width"] - 32):
            problems.append(f"results use {used['width'] / main['width']:.0%} of the width")
    return problems


def _not_found(page, width, language):
    heading = page.locator("h1").inner_text()
    designed = "We can’t find that page" if language == "en" else "Nous ne trouvons pas cette page"
    return [] if heading == designed else [f"404 heading {heading!r}"]
