"""Related stories per language: French stemmed as French, candidates in the story's language."""

import io
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from articles.models import RelatedArticle
from articles.related.conf import config
from articles.related.index import RelatedIndex
from articles.related.rebuild import compute_lists
from articles.related.refresh import refresh_related
from articles.related.words import terms, tokens
from tests.articles.test_related import TEXTS, refresh_all, stored_ids, story
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

FRENCH = {
    "hopitaux": (
        "Les hôpitaux débordés : les urgences manquent d’infirmières",
        "Les urgences des hôpitaux de l’Outaouais débordent cet hiver.",
        "<p>Les infirmières des hôpitaux réclament des renforts; les civières s’entassent "
        "dans les corridors des urgences.</p>",
    ),
    "hopital": (
        "L’hôpital de Gatineau rouvre son urgence",
        "Une infirmière-chef décrit une urgence à bout de souffle.",
        "<p>À l’hôpital, l’infirmière a vu la civière attendre dans le corridor; "
        "l’urgence a rouvert ses portes.</p>",
    ),
    "ecoles": (
        "Les écoles ferment pour la tempête",
        "Les élèves resteront à la maison jeudi.",
        "<p>Les centres de services scolaires ont fermé les écoles; les élèves et les "
        "enseignantes suivront des cours en ligne.</p>",
    ),
    "ecole": (
        "Une école de Laval agrandie",
        "L’élève aura une nouvelle cour.",
        "<p>L’école primaire accueillera chaque élève dans un gymnase neuf; "
        "l’enseignante se réjouit du projet scolaire.</p>",
    ),
    "hockey": (
        "Le Canadien l’emporte en prolongation",
        "Un but en avantage numérique a fait la différence au Centre Bell.",
        "<p>Le gardien a réalisé quarante arrêts et le capitaine a marqué en prolongation "
        "devant une foule en liesse.</p>",
    ),
    "budget": (
        "Le ministre des Finances dépose un budget déficitaire",
        "Les dépenses en défense et en logement augmentent.",
        "<p>L’opposition dénonce l’abandon de la cible budgétaire; le directeur "
        "parlementaire du budget examinera les projections.</p>",
    ),
}


@pytest.fixture(autouse=True)
def related_settings(related_settings):
    """The shared related index (tests/articles/conftest.py), a low bar to see the whole ranking."""
    related_settings.RELATED_STORIES = {**related_settings.RELATED_STORIES, "MIN_SCORE": 0.01}
    return related_settings


def french(key, **kwargs):
    headline, standfirst, body = FRENCH[key]
    kwargs.setdefault(
        "section", SectionFactory(slug=f"fr-{key}", name=f"Rubrique {key}", language="fr")
    )
    return ArticleFactory(
        language="fr",
        headline=kwargs.pop("headline", headline),
        standfirst=standfirst,
        body=body,
        publish_at=timezone.now() - timedelta(hours=1),
        **kwargs,
    )


def stored_lists():
    return {
        (a, r): round(score, 4)
        for a, r, score in RelatedArticle.objects.values_list("article_id", "related_id", "score")
    }


def test_french_words_stem_together_across_plurals_elision_and_accents():
    """French is tokenised and stemmed as French: plurals, elided articles and accents."""
    assert tokens("Les écoles", "fr") == tokens("l’école", "fr") == tokens("ECOLE", "fr")
    assert tokens("hôpitaux", "fr") == tokens("L'hôpital", "fr") == ["hopital"]
    assert tokens("Qu’il a dit aujourd’hui à la", "fr") == []  # stop words only
    assert tokens("cœur", "fr") == ["coeur"]
    assert terms("école", "fr") == ["fr:ecol"]  # one vocabulary, never an English word
    assert tokens("The schools", "en") == tokens("The schools") == ["school"]


def test_a_french_storys_list_holds_french_stories_ranked_by_french_similarity():
    """Under a French story: French stories only, the one sharing its French stems first."""
    tag = TagFactory(name="Santé")
    target = french("hopitaux", tags=[tag])
    similar = french("hopital")
    others = [french(key) for key in ("ecoles", "hockey", "budget")]
    english = [story(key, tags=[tag]) for key in ("fire", "hockey", "rates")]
    refresh_all()
    ranking = stored_ids(target)
    assert ranking[0] == similar.pk
    assert set(ranking) <= {similar.pk, *(o.pk for o in others)}
    for other in english:
        assert not {target.pk, similar.pk} & set(stored_ids(other))


def test_a_french_storys_list_is_the_same_from_a_rebuild_and_from_refreshes():
    """The full rebuild scores each language against its own pool, as a save does."""
    tag = TagFactory(name="Éducation")
    stories = [french(key, tags=[tag]) for key in FRENCH] + [
        story(key, tags=[tag]) for key in ("fire", "fire2", "hockey", "rates")
    ]
    refresh_all()
    incremental = stored_lists()
    lists = {}
    for _, block, _ in compute_lists(RelatedIndex.build(), config()):
        lists.update(block)
    rebuilt = {(a, r): round(s, 4) for a, entries in lists.items() for r, s in entries}
    assert rebuilt == incremental
    languages = {s.pk: s.language for s in stories}
    assert all(languages[a] == languages[r] for a, r in rebuilt)


def test_an_english_storys_list_is_unchanged_by_adding_french_stories():
    """French stories, even sharing the English stories' tags, change no English list."""
    tag = TagFactory(name="Canada")
    english = [story(key, tags=[tag]) for key in TEXTS]
    refresh_all()
    before = stored_lists()
    for key in FRENCH:
        french(key, tags=[tag])
    lists = {}
    for _, block, _ in compute_lists(RelatedIndex.build(), config()):
        lists.update(block)
    after = {
        (a, r): round(s, 4)
        for a, entries in lists.items()
        for r, s in entries
        if a in {e.pk for e in english}
    }
    assert after == before


def test_a_translation_is_never_listed_under_its_original_nor_the_original_under_it():
    """A story and its translation are one story in two languages: never each other's related."""
    tag = TagFactory(name="Écoles")
    original = story("fire", tags=[tag])
    translation = french("ecoles", tags=[tag], translation_of=original)
    for key in ("fire2", "hockey"):
        story(key, tags=[tag])
    for key in ("ecole", "hockey"):
        french(key, tags=[tag])
    refresh_all()
    assert translation.pk not in stored_ids(original)
    assert original.pk not in stored_ids(translation)
    assert stored_ids(original) and stored_ids(translation)


def test_a_second_version_of_a_french_story_is_left_out_as_a_near_duplicate():
    """Near-duplicates are found among French stories with the French stems."""
    target = french("hopitaux")
    second = french("hopitaux", headline=FRENCH["hopitaux"][0] + " (vidéo)")
    relative = french("hopital")
    refresh_all()
    ranking = stored_ids(target)
    assert second.pk not in ranking
    assert relative.pk in ranking


def test_a_story_that_changes_language_moves_to_the_other_languages_lists():
    """Saved in the other language, a story leaves the lists of its old language."""
    tag = TagFactory(name="Hôpitaux")
    target = french("hopitaux", tags=[tag])
    moved = french("hopital", tags=[tag])
    english = story("fire", tags=[tag])
    refresh_all()
    assert moved.pk in stored_ids(target)
    moved.language = "en"
    moved.section = english.section
    moved.save()
    refresh_related(moved.pk)
    assert moved.pk not in stored_ids(target)
    assert target.pk not in stored_ids(moved)


def test_the_snapshot_keeps_each_storys_language_and_an_older_one_is_not_trusted():
    """The stored index carries languages; one written before them is rebuilt, not used."""
    french("hopitaux")
    story("fire")
    index = RelatedIndex.build()
    out = io.BytesIO()
    index.write(out)
    out.seek(0)
    assert sorted(RelatedIndex.read(out).languages.tolist()) == ["en", "fr"]
    out.seek(0)
    with np.load(out) as data:
        older = {k: data[k] for k in data.files if k != "languages"}
    old = io.BytesIO()
    np.savez(old, **older)
    old.seek(0)
    with pytest.raises(ValueError, match="predates"):
        RelatedIndex.read(old)
