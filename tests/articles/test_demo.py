"""The demo content command: deterministic, complete, and safe to re-run."""

import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.utils.html import escape
from django.utils.text import slugify

from articles.models import (
    Article,
    Byline,
    FrontPage,
    InfoPage,
    RelatedArticle,
    Section,
    TaggedArticle,
)
from demo.fr.shapes import PLACE_NAMES
from demo.fr.topics import BEATS as FR_BEATS_BY_SECTION
from demo.generator import ENGLISH_TAGS, story_plan
from ratings.models import RatingSummary

FR_BEATS = set(FR_BEATS_BY_SECTION.values())

pytestmark = pytest.mark.django_db


def test_same_seed_same_stories():
    assert story_plan(7, 42) == story_plan(7, 42)
    assert story_plan(7, 42)["headline"] != story_plan(8, 42)["headline"] or (
        story_plan(7, 42)["body"] != story_plan(8, 42)["body"]
    )


def test_load_demo_fills_the_site(capsys):
    call_command("load_demo", articles=40, seed=3)
    out = capsys.readouterr().out
    assert "40/40 stories" in out and "user: editor" in out
    assert Article.objects.count() == 40
    assert Article.objects.published().count() >= 35
    assert Byline.objects.count() >= 40
    story = Article.objects.published().exclude(lead_photo=None).first()
    assert story.lead_photo.caption and story.lead_photo.credit.startswith("THE CANADIAN PRESS/")
    assert story.tags.exists() and "<h2>" in story.body
    # The demo site shows "You may also like" straight away.
    assert RelatedArticle.objects.exists()


def test_load_demo_does_not_duplicate_on_a_second_run(capsys):
    call_command("load_demo", articles=5)
    call_command("load_demo", articles=5)
    assert Article.objects.count() == 5
    assert "already loaded" in capsys.readouterr().out


def test_negative_count_is_a_clear_error():
    with pytest.raises(CommandError, match="zero or more"):
        call_command("load_demo", articles=-1)


# --- French demo content ---------------------------------------------------------------

NO_BREAK = "\u00a0\u202f"


@pytest.fixture(scope="module")
def bilingual_demo(django_db_setup, django_db_blocker):
    """30 demo stories (English, original French and translations), loaded once per module."""
    with django_db_blocker.unblock():
        before = _rows_of_every_model()
        call_command("load_demo", articles=30, seed=2026, reset=True, stdout=io.StringIO())
        yield
        # The load was committed: leave nothing behind for the next modules' tests (a stored
        # related-index snapshot, users, tags… would change what they compute), only the rows
        # the migrations wrote.
        _delete_rows_not_in(before)


def _rows_of_every_model():
    return {model: set(model.objects.values_list("pk", flat=True)) for model in apps.get_models()}


def _delete_rows_not_in(before):
    left = dict(before)
    for _attempt in range(5):  # protected foreign keys: their referrers go first
        blocked = False
        for model, kept in left.items():
            try:
                model.objects.exclude(pk__in=kept).delete()
            except ProtectedError:
                blocked = True
        if not blocked:
            return
    raise AssertionError("the demo's rows could not all be deleted")


def test_plans_mix_english_french_and_translations_deterministically():
    """300 stories: 200 English, 60 original French, 40 French translations; same each time."""
    plans = [story_plan(2026, i) for i in range(300)]
    assert plans == [story_plan(2026, i) for i in range(300)]
    originals = [p for p in plans if p["translation_of"] is None]
    assert sum(p["language"] == "en" for p in originals) == 200
    assert sum(p["language"] == "fr" for p in originals) == 60
    translations = [p for p in plans if p["translation_of"] is not None]
    assert len(translations) == 40
    for plan in translations:
        original = plans[plan["translation_of"]]
        assert plan["language"] == "fr" and original["language"] == "en"
        assert plan["label"] == original["label"] and plan["shape"] == original["shape"]
        assert plan["photo_choice"] == original["photo_choice"]
        assert plan["headline"] != original["headline"]


def test_french_text_follows_french_typography():
    """Generated French headlines, standfirsts and bodies: no-break spaces before : ; ! ? % $
    and inside « », decimal commas, no English quotes."""
    for i in range(300):
        plan = story_plan(2026, i)
        if plan["language"] != "fr":
            continue
        text = re.sub(
            r"<[^>]+>", "", " ".join((plan["headline"], plan["standfirst"], plan["body"]))
        )
        assert not re.search(rf"(?<![{NO_BREAK}])[:;!?%»$]", text), text
        assert not re.search(rf"«(?![{NO_BREAK}])", text), text
        assert not re.search(r"\d\.\d|[\"“”']|per cent", text), text
        assert not re.search(r"\{\w+\}", text), text


def test_a_translation_keeps_its_originals_place_and_numbers():
    """A translated pair tells the same facts: the same figures, the place's French name."""
    for i in range(300):
        plan = story_plan(2026, i)
        if plan["translation_of"] is not None:
            original = story_plan(2026, plan["translation_of"])
            assert plan["facts"] == original["facts"]
            assert plan["place"] == PLACE_NAMES[original["place"]]


@pytest.mark.django_db
def test_load_demo_writes_french_stories_in_french_sections(bilingual_demo):
    """French stories exist with language fr, in French sections paired with English ones."""
    french = Article.objects.filter(language="fr")
    assert french.count() == 10 and Article.objects.filter(language="en").count() == 20
    assert not french.exclude(section__language="fr").exists()
    names = dict(Section.objects.filter(language="fr").values_list("slug", "name"))
    assert names["politique"] == "Politique" and names["economie"] == "Économie"
    for section in Section.objects.filter(language="fr"):
        assert section.translation_of is not None and section.translation_of.language == "en"
    assert not french.exclude(bylines__author__job_title__in=FR_BEATS).exists()
    assert TaggedArticle.objects.filter(content_object__language="fr").exists()


@pytest.mark.django_db
def test_load_demo_links_translated_pairs_both_ways(bilingual_demo):
    """Each translation names its English original, is up to date, and shares its photo,
    whose French caption, credit and alt text are filled."""
    translations = Article.objects.exclude(translation_of=None)
    assert translations.count() == 4
    for story in translations:
        original = story.translation_of
        assert (story.language, original.language) == ("fr", "en")
        assert not story.is_out_of_date
        assert original.translations.get() == story
        if original.status == Article.Status.PUBLISHED:
            assert original.published_translations() == {"fr": story}
            assert story.published_translations() == {"en": original}
        assert story.lead_photo_id == original.lead_photo_id
        if story.lead_photo:
            words = story.lead_photo.text_in("fr")
            assert all(words.values()) and words["credit"].startswith("LA PRESSE CANADIENNE/")


@pytest.mark.django_db
def test_load_demo_makes_the_french_front_page_site_pages_and_votes(bilingual_demo):
    """The French site has its front page, its site pages paired with the English ones, and
    readers' votes on French stories."""
    assert FrontPage.objects.filter(language="fr").exists()
    about = InfoPage.objects.get(language="fr", slug="a-propos")
    assert about.translation_of.slug == "about" and "«" not in about.title
    assert RatingSummary.objects.filter(article__language="fr").exists()


@pytest.mark.django_db
def test_french_home_lists_the_demos_french_stories(bilingual_demo, client):
    """/fr/ lists French headlines and no English one; / lists no French one."""
    french_home = client.get("/fr/").content.decode()
    english_home = client.get("/").content.decode()
    published = Article.objects.published()
    french = list(published.filter(language="fr").values_list("headline", flat=True))
    english = list(published.filter(language="en").values_list("headline", flat=True))
    assert sum(escape(h) in french_home for h in french) >= 5
    assert not [h for h in english if escape(h) in french_home]
    assert not [h for h in french if escape(h) in english_home]


def test_french_tags_never_take_an_english_tags_slug():
    """A French tag never slugifies to an English tag of another name (« Montréal »), so
    both can exist (tag slugs are unique), and French stories carry French tags."""
    french_tags = {
        tag for i in range(1000) for tag in story_plan(5, i)["tags"]
        if story_plan(5, i)["language"] == "fr"
    }  # fmt: skip
    assert "Logement" in french_tags and "Montréal" not in french_tags
    assert all(ENGLISH_TAGS.get(slugify(tag), tag) == tag for tag in french_tags)


def test_the_newest_story_of_each_language_shows_a_video(bilingual_demo, client):
    """The demo shows an embed on the English and the French site (``scripts/serve``)."""
    for language, host in (("en", "YouTube"), ("fr", "Vimeo")):
        story = (
            Article.objects.published()
            .filter(language=language, body__contains='class="embed"')
            .get()
        )
        assert story.translation_of_id is None
        html = client.get(story.get_absolute_url()).content.decode()
        assert f"{host}</button>" in html


def test_the_demo_has_a_public_record_with_corrections_in_both_languages(bilingual_demo, client):
    """Every published demo story has its first version; a story per language is corrected
    and updated, so the story page, the history and /corrections/ show the feature."""
    from articles.models import StoryChange

    published = Article.objects.published()
    assert StoryChange.objects.filter(kind="published").count() == published.count()
    for language, page in (("en", "/corrections/"), ("fr", "/fr/corrections/")):
        corrected = StoryChange.objects.filter(kind="correction", article__language=language)
        assert corrected.exists()
        assert StoryChange.objects.filter(kind="update", article__language=language).exists()
        assert corrected.first().note in client.get(page).content.decode()


# --- Facts a Canadian reader would check ------------------------------------------------


def _plans(count=2000):
    return [story_plan(2026, i) for i in range(count)]


def test_demo_hockey_scores_and_saves_are_believable():
    """A shutout takes 20 to 45 saves, and an overtime game is won by one goal."""
    for plan in _plans():
        text = plan["headline"]
        for saves in re.findall(r"(\d+) (?:shots|tirs|arrêts)", text):
            assert 20 <= int(saves) <= 45, text
        for won, lost in re.findall(
            r"(\d+)-(\d+) (?:in overtime|au terme d’une prolongation)", text
        ):
            assert int(won) - int(lost) == 1, text


def test_demo_story_bodies_stay_on_their_headlines_subject():
    """No story about another trade good has a body about steel and aluminum."""
    for plan in _plans():
        if plan["label"] == "trade" and "steel" not in plan["headline"].lower():
            assert "steel" not in plan["body"] and "aluminum" not in plan["body"], plan["headline"]
        if plan["label"] == "trade" and "acier" not in plan["headline"]:
            assert "l’acier" not in plan["body"], plan["headline"]
