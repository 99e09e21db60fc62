"""The variety rule decides near-duplicates on the exact TF-IDF cosine and running stories on
the exact text similarity, though it computes the exact ones only for pairs the dense
similarity cannot decide."""

import random

import numpy as np
import pytest

from articles.related.conf import config
from articles.related.index import RelatedIndex
from articles.related.text import TextModel
from articles.related.variety import choose, duplicate_pairs, exact_candidate_similarities
from articles.related.vectors import embed_in_batches

WORDS = (
    "council budget transit fare wildfire evacuation hospital nurses strike school board "
    "hockey playoff election riding premier housing rent mortgage bank rate harvest drought "
    "bridge closure ferry storm snow power outage museum festival court ruling police"
).split()


def archive(count, seed=7):
    """Texts built from overlapping word lists: many pairs near each threshold."""
    rng = random.Random(seed)
    base = [rng.sample(WORDS, 12) for _ in range(6)]
    texts = []
    for i in range(count):
        words = list(base[i % len(base)])
        for _ in range(rng.randint(0, 4)):  # a few words changed: near, not identical
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        texts.append(" ".join(words))
    return texts


def in_memory_index(texts, dimensions, semantic_weight=0.5):
    model = TextModel.fit(texts, dimensions=dimensions, semantic_weight=semantic_weight)
    vectors, tfidf = embed_in_batches(model, texts)
    return RelatedIndex(
        model,
        ids=list(range(1, len(texts) + 1)),
        vectors=vectors,
        tfidf=tfidf,
        sections=[0] * len(texts),
        published=[0.0] * len(texts),
        live=[True] * len(texts),
        tags={},
        database="memory",
        headlines=texts,
    )


@pytest.mark.parametrize("dimensions", [2, 8, 64])
def test_threshold_decisions_match_the_exact_similarity_of_every_pair(dimensions):
    conf = config() | {"NEAR_DUPLICATE": 0.9, "RUNNING_STORY": 0.8}
    texts = archive(60)
    index = in_memory_index(texts, dimensions)
    rows = np.arange(60).reshape(3, 20)  # three lists of twenty candidates
    vectors = index.vectors[rows]
    dense = np.matmul(vectors, vectors.transpose(0, 2, 1))

    checked = exact_candidate_similarities(index, rows, dense.copy(), conf)

    tfidf = index.tfidf.toarray()
    for k in range(3):
        dots = tfidf[rows[k]] @ tfidf[rows[k]].T
        exact = dense[k] + index.model.exact_correction(
            vectors[k][:, None], vectors[k][None, :], dots
        )
        for threshold in (conf["RUNNING_STORY"],):
            mine, truth = checked[k] >= threshold, exact >= threshold
            np.fill_diagonal(mine, False)
            np.fill_diagonal(truth, False)
            assert (mine == truth).all(), (dimensions, k, threshold)


def test_a_pair_the_dense_similarity_decides_is_left_as_it_is():
    """Where the text model covers the texts (residuals near zero) nothing is recomputed."""
    conf = config()
    texts = archive(30)
    index = in_memory_index(texts, dimensions=64)
    rows = np.arange(30).reshape(1, 30)
    vectors = index.vectors[rows]
    dense = np.matmul(vectors, vectors.transpose(0, 2, 1))
    far = np.abs(dense - conf["NEAR_DUPLICATE"]) > 0.01
    far &= np.abs(dense - conf["RUNNING_STORY"]) > 0.01

    checked = exact_candidate_similarities(index, rows, dense.copy(), conf)

    assert far.any()
    assert (checked[far] == dense[far]).all()


@pytest.mark.parametrize("semantic_weight", [0.0, 0.1, 0.5, 1.0])
@pytest.mark.parametrize("dimensions", [2, 8, 64])
def test_near_duplicates_are_exactly_the_pairs_whose_tfidf_cosine_reaches_the_threshold(
    dimensions, semantic_weight
):
    """The evaluation's definition of a near-duplicate (bench/labelled_eval.py): whatever the
    LSA share and however poorly the LSA space covers the texts."""
    conf = config() | {"NEAR_DUPLICATE": 0.9}
    texts = archive(60)
    index = in_memory_index(texts, dimensions, semantic_weight)
    rows = np.arange(60).reshape(3, 20)
    vectors = index.vectors[rows]
    dense = np.matmul(vectors, vectors.transpose(0, 2, 1))

    duplicates, decided = duplicate_pairs(index, rows, dense, conf)
    assert decided.all()

    tfidf = index.tfidf.toarray()
    found = 0
    for k in range(3):
        truth = tfidf[rows[k]] @ tfidf[rows[k]].T >= 0.9
        mine = duplicates[k].copy()
        np.fill_diagonal(truth, False)
        np.fill_diagonal(mine, False)
        assert (mine == truth).all(), (dimensions, semantic_weight, k)
        found += truth.sum()
    assert found  # the archive has near-duplicate pairs to find


def test_pairs_past_the_best_candidates_are_left_to_the_walk_which_still_finds_them():
    """The rebuild decides in advance only each list's best-scored candidates; a near-duplicate
    further down is caught when the walk reaches it (``choose``), never let through."""
    conf = config() | {"NEAR_DUPLICATE": 0.9, "RUNNING_HEADLINE": 2.0}
    texts = archive(40)
    index = in_memory_index(texts, dimensions=2)
    rows = np.arange(40)
    vectors = index.vectors[rows]
    dense = vectors @ vectors.T
    scores = np.linspace(1, 0.5, 40, dtype=np.float32)
    duplicates, decided = duplicate_pairs(index, rows[None], dense[None], conf, None,
                                          scores[None], top=10)  # fmt: skip
    assert decided[0][:10].all() and not decided[0].all()  # some left to the walk
    chosen, left_out = choose(
        index, 0, rows, scores, np.zeros(40, np.float32), dense, 30, conf,
        story_tfidf=np.zeros(40), duplicates=(duplicates[0], decided[0]),
    )  # fmt: skip
    tfidf = index.tfidf.toarray()[rows[chosen]]
    cosines = tfidf @ tfidf.T
    np.fill_diagonal(cosines, 0)
    assert cosines.max() < 0.9
    assert any(i >= 10 for i, reason in left_out if reason == "duplicate")
