"""Bilingual WordPress sites (Polylang, WPML): languages, translation pairs, sections per
language, old French addresses, and bad groups reported."""

import pytest
from django.core.management import CommandError

from articles.models import Article, Section
from wordpress.models import WordPressPost

from .exports import SITE, category, polylang, polylang_group, post, wpml

pytestmark = pytest.mark.django_db

FRENCH_CATEGORY = category(6, "politique", "Politique")
# Polylang pairs the categories too: term 5 (politics, English) ↔ term 6 (politique).
CATEGORY_PAIR = polylang_group(
    "pll_cat1", {"en": 5, "fr": 6}, taxonomy="term_translations", term_id=901
)


def story(wp_id):
    return WordPressPost.objects.select_related("article").get(wp_id=wp_id).article


def polylang_pair(fr_first=True, **english):
    """An English post (12) and its French translation (34), the French one first in the
    file, as a Polylang export lists them."""
    en = post(
        12,
        "Carney in Paris",
        slug="carney-in-paris",
        categories=(("politics", "Politics"),),
        extra=polylang("en", "pll_abc"),
        **english,
    )
    fr = post(
        34,
        "Carney à Paris",
        "Le premier ministre est arrivé à Paris.",
        slug="carney-a-paris",
        link=f"{SITE}/fr/2026/01/06/carney-a-paris/",
        categories=(("politique", "Politique"),),
        tags=("Diplomatie",),
        extra=polylang("fr", "pll_abc"),
    )
    return (fr, en) if fr_first else (en, fr)


def test_polylang_posts_become_a_french_translation_of_their_english_original(run_import):
    """Polylang's language terms give each story its language, its group links the French
    story to the English one, up to date, in sections of their own language paired too."""
    channel = FRENCH_CATEGORY + polylang_group("pll_abc", {"en": 12, "fr": 34}) + CATEGORY_PAIR
    out, _ = run_import(*polylang_pair(), channel=channel)
    english, french = story(12), story(34)
    assert (english.language, french.language) == ("en", "fr")
    assert french.translation_of == english and english.translation_of is None
    assert french.translated_version == english.version and not french.is_out_of_date
    assert (french.slug, french.section.slug, french.section.language) == (
        "carney-a-paris",
        "politique",
        "fr",
    )
    assert english.section.language == "en"
    assert french.section.translation_of == english.section
    assert [t.name for t in french.tags.all()] == ["Diplomatie"]
    assert "pairs linked" in out and "stories in French" in out


def test_an_old_polylang_french_address_redirects_to_the_french_story(run_import, client):
    """/fr/2026/01/06/carney-a-paris/ of the old site answers 301 to the French story."""
    run_import(
        *polylang_pair(), channel=FRENCH_CATEGORY + polylang_group("pll_abc", {"en": 12, "fr": 34})
    )
    response = client.get("/fr/2026/01/06/carney-a-paris/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/article/carney-a-paris/"
    assert client.get(response["Location"]).status_code == 200


def test_wpml_export_meta_gives_languages_and_pairs(run_import):
    """WPML Export and Import's meta (language code, translation group) pair the posts."""
    run_import(
        post(40, "Budget day", extra=wpml("en", "budget-2026")),
        post(41, "Jour du budget", extra=wpml("fr_CA", "budget-2026", source="en")),
        post(42, "Un billet seul", extra=wpml("fr", "")),
    )
    assert story(41).language == "fr" and story(41).translation_of == story(40)
    assert story(42).language == "fr" and story(42).translation_of is None
    assert story(41).section.language == "fr" and story(40).section.language == "en"
    assert story(41).section.slug == story(40).section.slug == "news"


@pytest.mark.parametrize(("site_language", "original"), [("en-CA", 12), ("fr-CA", 34)])
def test_the_original_is_the_post_in_the_sites_default_language(
    run_import, site_language, original
):
    """The export's <language> names the default language: its post is the original."""
    run_import(
        *polylang_pair(), channel=polylang_group("pll_abc", {"en": 12, "fr": 34}),
        language=site_language,
    )  # fmt: skip
    translation = 34 if original == 12 else 12
    assert story(translation).translation_of == story(original)
    assert story(original).translation_of is None


def test_without_the_default_language_the_oldest_post_is_the_original(run_import):
    """A group with no post in the default language: its oldest post is the original."""
    run_import(
        post(50, "Plus récent", date="2026-01-07 10:00:00", extra=wpml("fr", "g1")),
        post(51, "Plus ancien", date="2026-01-05 10:00:00", extra=wpml("fr", "g2")),
        post(52, "Older", date="2026-01-04 10:00:00", extra=wpml("en", "g2")),
        language="es-ES",  # neither English nor French: English is the default
    )
    assert story(51).translation_of == story(52)


def test_a_post_in_another_language_is_refused_with_a_sentence(run_import):
    """A German post is refused (not imported as English); the command exits non-zero."""
    with pytest.raises(CommandError, match="1 item"):
        run_import(
            post(70, "Carney in Paris", extra=polylang("en", "pll_de")),
            post(71, "Carney in Paris (DE)", extra=polylang("de", "pll_de")),
            channel=polylang_group("pll_de", {"en": 70, "de": 71}),
        )
    out = run_import.last_stdout
    assert "its language “de” is neither English nor French" in out
    assert not WordPressPost.objects.filter(wp_id=71).exists()
    assert story(70).translation_of is None and not story(70).translations.exists()


def test_a_group_naming_a_post_not_in_the_export_is_reported_and_left_unpaired(run_import):
    """Polylang's group names post 99, absent from the export: the posts stand alone."""
    out, _ = run_import(
        *polylang_pair(), channel=polylang_group("pll_abc", {"en": 12, "fr": 34, "es": 99})
    )
    assert "Translation groups not paired" in out
    assert "it names post #99, which the export does not hold" in out
    assert story(34).translation_of is None and story(34).language == "fr"
    assert Article.objects.count() == 2


def test_two_posts_of_one_language_in_a_group_are_reported_and_left_unpaired(run_import):
    """Two French posts in one group: reported, neither linked to the English one."""
    out, _ = run_import(
        post(80, "Original", extra=wpml("en", "g")),
        post(81, "Première", extra=wpml("fr", "g")),
        post(82, "Seconde", extra=wpml("fr", "g")),
    )
    assert "posts #81, #82 are in the same language" in out
    assert not Article.objects.filter(translation_of__isnull=False).exists()
    assert Article.objects.count() == 3


def test_a_group_of_one_post_is_imported_alone_and_noted(run_import):
    """A group whose translations are gone: the post is imported on its own, noted."""
    out, _ = run_import(
        post(90, "Seul", extra=polylang("fr", "pll_one")),
        channel=polylang_group("pll_one", {"fr": 90}),
    )
    assert story(90).language == "fr" and story(90).translation_of is None
    assert "translation groups of one post (imported alone)" in out


def test_running_again_changes_nothing_and_an_updated_original_leaves_its_translation_behind(
    run_import,
):
    """The second run links the same pair without writing; an original changed in
    WordPress since shows its unchanged translation as out of date."""
    channel = polylang_group("pll_abc", {"en": 12, "fr": 34})
    run_import(*polylang_pair(), channel=channel)
    first = story(34)
    out, _ = run_import(*polylang_pair(), channel=channel)
    assert "unchanged since the last run" in out
    again = story(34)
    assert (again.translation_of_id, again.translated_version, again.version) == (
        first.translation_of_id,
        first.translated_version,
        first.version,
    )
    assert Article.objects.count() == 2 and Section.objects.count() == 2
    run_import(*polylang_pair(excerpt="Now with a standfirst."), channel=channel)
    assert story(12).standfirst == "Now with a standfirst."
    assert story(34).is_out_of_date


def test_a_translation_may_keep_its_originals_slug(run_import):
    """Polylang Pro lets both languages share a slug: each story keeps it in its language."""
    run_import(
        post(20, "Carney in Paris", slug="carney-paris", extra=polylang("en", "pll_s")),
        post(21, "Carney à Paris", slug="carney-paris", extra=polylang("fr", "pll_s")),
        channel=polylang_group("pll_s", {"en": 20, "fr": 21}),
    )
    assert story(20).slug == story(21).slug == "carney-paris"
    assert story(21).get_absolute_url() == "/fr/article/carney-paris/"


def test_a_pair_an_editor_unlinked_here_stays_unlinked(run_import):
    """An editor unlinks the translation here: the next run does not link it again."""
    channel = polylang_group("pll_abc", {"en": 12, "fr": 34})
    run_import(*polylang_pair(), channel=channel)
    french = story(34)
    french.translation_of = None
    french.save()
    out, _ = run_import(*polylang_pair(), channel=channel)
    assert story(34).translation_of is None
    assert "pairs left unlinked: edited here" in out
