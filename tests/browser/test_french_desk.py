"""The desk in French, end to end in headless Chromium: a reporter whose desk language is
French drafts a story, submits it, translates it with "Traduire en français", submits the
translation; the editor publishes the pair; readers find the French page with reciprocal
hreflang and a language switcher that leads to the English original and back.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Section
from tests.browser.admin_session import log_in
from tests.factories import AuthorFactory, SectionFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Council approves new transit line"
TITRE = "Le conseil approuve une nouvelle ligne de transport en commun"


def test_french_desk_reporter_translates_and_editor_publishes_the_pair(live_server, browser):
    """A French-desk reporter drafts and translates; the editor publishes both; readers switch."""
    reporter = StaffFactory(username="reporter", group="Reporter")
    AuthorFactory(name="Rita Reporter", slug="rita-reporter", user=reporter)
    StaffFactory(username="editor", group="Editor")
    canada = SectionFactory(name="Canada", slug="canada")
    Section.objects.create(name="Canada", slug="canada", language="fr", translation_of=canada)
    base = live_server.url

    # The reporter makes the desk French on the "Desk language" page.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, base, "reporter")
    desk.get_by_role("link", name="Desk language").click()
    desk.check("input[name=language][value=fr-ca]")
    desk.click("input[type=submit]")
    expect(desk.locator(".messagelist")).to_have_text("La langue du bureau est enregistrée.")

    # The story form speaks French.
    desk.goto(f"{base}/admin/articles/article/add/")
    expect(desk.locator("label[for=id_headline]")).to_have_text("Titre :")
    expect(desk.locator("label[for=id_standfirst]")).to_have_text("Chapeau :")
    expect(desk.locator("label[for=id_section]")).to_have_text("Rubrique :")
    actions = desk.locator(".newsroom-actions")
    expect(actions.get_by_role("button")).to_have_text(
        ["Enregistrer le brouillon", "Soumettre pour révision"]
    )
    desk.fill("#id_headline", HEADLINE)
    desk.fill("#id_standfirst", "The vote was 9 to 2.")
    body = desk.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press_sequentially("Construction starts in the spring.")
    # A new story starts in the desk's language (French): this one is written in English.
    expect(desk.locator("#id_language")).to_have_value("fr")
    desk.select_option("#id_language", "en")
    # Both sections are called "Canada": the desk names each one's language.
    desk.select_option("#id_section", label="Canada (EN)")
    actions.get_by_role("button", name="Soumettre pour révision").click()
    expect(desk.locator(".messagelist")).to_have_text(
        f"Soumis pour révision : « {HEADLINE} » Ouvrir l’article"
    )
    original = Article.objects.get()
    assert (original.language, original.status) == ("en", Article.Status.IN_REVIEW)
    assert original.slug == "council-approves-new-transit-line"

    # "Traduire en français" opens the linked draft, pre-filled, for the reporter to translate.
    desk.goto(f"{base}/admin/articles/article/{original.pk}/change/")
    desk.get_by_role("button", name="Traduire en français").click()
    expect(desk.locator(".messagelist")).to_contain_text("Traduction commencée")
    expect(desk.locator("#languages-heading")).to_have_text("Langues")
    expect(desk.locator("#id_headline")).to_have_value(HEADLINE)
    desk.fill("#id_headline", TITRE)
    desk.fill("#id_slug", "conseil-ligne-transport")
    desk.fill("#id_standfirst", "Le vote a été de 9 contre 2.")
    body = desk.locator(".ProseMirror[contenteditable=true]")
    body.click()
    desk.keyboard.press("Control+A")
    body.press_sequentially("Les travaux commencent au printemps.")
    desk.locator(".newsroom-actions").get_by_role("button", name="Soumettre pour révision").click()
    expect(desk.locator(".messagelist")).to_have_text(
        f"Soumis pour révision : « {TITRE} » Ouvrir l’article"
    )
    translation = Article.objects.get(translation_of=original)
    assert (translation.language, translation.status) == ("fr", Article.Status.IN_REVIEW)
    assert translation.section.language == "fr"
    assert "Les travaux commencent au printemps." in translation.body
    assert "Construction starts" not in translation.body

    # The editor (an English desk) publishes the pair.
    editor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(editor, base, "editor")
    for story, headline in ((original, HEADLINE), (translation, TITRE)):
        editor.goto(f"{base}/admin/articles/article/{story.pk}/change/")
        editor.click("button[data-transition=published]")
        expect(editor.locator(".messagelist")).to_contain_text(f"Published: “{headline}”")
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.PUBLISHED}

    # Readers: the French page names both languages, and the switcher goes to the original.
    reader = browser.new_context().new_page()
    french_url = f"{base}/fr/article/conseil-ligne-transport/"
    english_url = f"{base}/story/council-approves-new-transit-line/"
    reader.goto(french_url)
    expect(reader.locator("html")).to_have_attribute("lang", "fr-CA")
    expect(reader.locator("h1")).to_have_text(TITRE)
    alternates = {"en-CA": english_url, "fr-CA": french_url, "x-default": english_url}
    for hreflang, href in alternates.items():
        expect(reader.locator(f"link[rel=alternate][hreflang={hreflang}]")).to_have_attribute(
            "href", href
        )
    reader.locator(".language-switch a").click()
    reader.wait_for_url(english_url)
    expect(reader.locator("html")).to_have_attribute("lang", "en-CA")
    expect(reader.locator("h1")).to_have_text(HEADLINE)
    for hreflang, href in alternates.items():
        expect(reader.locator(f"link[rel=alternate][hreflang={hreflang}]")).to_have_attribute(
            "href", href
        )
    expect(reader.locator(".language-switch a")).to_have_text("Français")
    reader.locator(".language-switch a").click()
    reader.wait_for_url(french_url)
