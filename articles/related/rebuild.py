"""Every story's list at once: one matrix product per block of stories."""

from dataclasses import dataclass

import numpy as np
from django.db import transaction

from ..models import (
    RelatedArticle,
    RelatedExplanation,
)
from ..signals import related_lists_changed
from .conf import CANDIDATE_FACTOR, config, stored_length
from .store import exclusions, write_lists
from .variety import choose, duplicate_pairs, exact_candidate_similarities, explanation

# How many of each list's best candidates get their near-duplicate pairs settled for the whole
# block at once (None: all of them); ``variety.choose`` settles the others if its walk reaches
# them. CPU time for every list, one thread: 3,000 Reuters stories 4.6 s with 2 × 16, 7.2 s
# with all (3.1 s for the earlier rule, which missed near-duplicates); 2,000 demo stories 5.9 s
# with 2 × 16 (nearly every walk there goes past them), 3.0 s with all (2.6 s). The demo
# archive is what the 100,000-story benchmark builds, so: all.
DECIDED_AHEAD = None


def _dense_features(index, conf):
    """Every story's features, and how to make queries of them: a story's score for a
    candidate is (its features × ``scale``, with ``weights["recency"]`` in the recency column)
    · the candidate's features, plus the rare tags' part (``rare_tags``).

    Features are [text vector, semantic vector, section one-hot, recency, common-tag weights]
    (the semantic vector only when ``conf`` gives it a weight). Folding everything that
    touches most stories into one BLAS product is what makes a full rebuild fast; tags that
    few stories carry stay sparse. Returns (features, scale, recency column, rare tags).
    """
    weights = conf["WEIGHTS"]
    n = len(index.ids)
    _, section_col = np.unique(index.sections, return_inverse=True)
    sections = np.zeros((n, section_col.max() + 1 if n else 1), dtype=np.float32)
    sections[np.arange(n), section_col] = 1
    tags = index.tag_matrix().tocsc()
    df = np.diff(tags.indptr)
    common = np.flatnonzero(df >= max(50, n // 200))
    common = common[np.argsort(-df[common])][:512]
    rare = np.setdiff1d(np.arange(tags.shape[1]), common)
    common_tags = tags[:, common].toarray().astype(np.float32)
    rare_tags = tags[:, rare].tocsr().astype(np.float32)
    vectors = index.vectors[:n]
    semantic = index.embedding[:n] if weights.get("semantic") else np.zeros((n, 0), np.float32)
    features = np.hstack(
        [vectors, semantic, sections, index.recency(conf)[:, None], common_tags],
        dtype=np.float32,
    )
    widths = (vectors, semantic, sections, np.zeros((n, 1)), common_tags)
    factors = (weights["text"], weights.get("semantic", 0), weights["section"], 0, weights["tags"])
    scale = np.concatenate(
        [np.full(part.shape[1], factor) for part, factor in zip(widths, factors, strict=True)]
    ).astype(np.float32)
    recency_column = vectors.shape[1] + semantic.shape[1] + sections.shape[1]
    return features, scale, recency_column, rare_tags


def rebuild_all(index, conf=None, start=0, block=256, progress=None, checkpoint=None):
    """Compute and store every live story's list, ``block`` stories at a time.

    ``start`` is the index row to begin with (to resume); ``checkpoint(next_row)`` is called
    after each block is committed.
    """
    conf = conf or config()
    n = len(index.ids)
    excluded = exclusions()
    explanations = {}
    for done, lists, idle in compute_lists(index, conf, start, block, excluded, explanations):
        with transaction.atomic():
            if idle:
                RelatedArticle.objects.filter(article_id__in=idle).delete()
            write_lists(lists)
            write_explanations(explanations, idle)
        explanations.clear()
        if checkpoint:
            checkpoint(done)
        if progress:
            progress(done, n)
    related_lists_changed.send(sender=RelatedArticle, article_ids=None)


def write_explanations(explanations, idle=()):
    """Store {story id: explanation} (replacing earlier ones); forget those of ``idle``."""
    stale = list(explanations) + list(idle)
    if not stale:
        return
    RelatedExplanation.objects.filter(article_id__in=stale).delete()
    RelatedExplanation.objects.bulk_create(
        [RelatedExplanation(article_id=pk, data=data) for pk, data in explanations.items()],
        batch_size=1000,
    )


def compute_lists(index, conf, start=0, block=256, excluded=None, explanations=None):
    """Yield (rows done, {story id: list}, [ids of stories with no list]) block by block.

    ``explanations``, a dict, receives each list's explanation (``variety.explanation``) as
    the block is yielded. Touches no database: evaluations call it on archives built in memory.
    A story's candidates are the live stories in its language (its pool), so each block is
    scored language by language, each against its own pool only.
    """
    conf = index.scoring(conf)
    excluded = excluded or {}
    n = len(index.ids)
    live = index.candidates()
    features, scale, recency_column, rare_tags = _dense_features(index, conf)
    languages = index.languages[:n]
    pools = {}
    for language in np.unique(languages[live]).tolist():
        candidates = np.flatnonzero(live & (languages == language))
        column_of = np.full(n, -1)
        column_of[candidates] = np.arange(len(candidates))
        pools[language] = _Pool(
            candidates, column_of, features[candidates], rare_tags[candidates].T.tocsr()
        )
    # Stories without a semantic vector, when the semantic part is on (``Scoring.text_weight``).
    missing = index.without_vector() if conf["WEIGHTS"].get("semantic") else None
    for first in range(start, n, block):
        rows = np.arange(first, min(first + block, n))
        idle = [int(pk) for pk in index.ids[rows[~live[rows]]]]  # not live: no list
        rows = rows[live[rows]]
        lists = {}
        for language, pool in pools.items():
            own = rows[languages[rows] == language]
            if not len(own):
                continue
            queries = features[own] * scale
            queries[:, recency_column] = conf["WEIGHTS"]["recency"]
            score = queries @ pool.keys.T
            rare = (rare_tags[own] @ pool.rare_tags_t).tocoo()
            score[rare.row, rare.col] += conf["WEIGHTS"]["tags"] * rare.data
            if missing is not None:
                _text_alone(index, own, score, pool, conf, missing)
            _block_lists(index, own, score, pool, conf, excluded, lists, explanations, missing)
        yield min(first + block, n), lists, idle


@dataclass
class _Pool:
    """The candidates of one language: their index rows, each index row's column among them
    (-1: not one), and their features and rare tags as ``compute_lists`` multiplies them."""

    candidates: np.ndarray
    column_of: np.ndarray
    keys: np.ndarray
    rare_tags_t: object


def _text_alone(index, rows, score, pool, conf, missing):
    """Raise to the plain text weight, in ``score`` (``rows`` × ``pool``'s candidates), the
    text part of the pairs in which a story has no semantic vector (``Scoring.text_weight``):
    the features' product gave them the reduced text weight and a semantic part of 0."""
    weights = conf["WEIGHTS"]
    extra = weights["text_alone"] - weights["text"]
    vectors = index.vectors
    lacking = missing[rows]
    if lacking.any():
        score[lacking] += extra * (vectors[rows[lacking]] @ vectors[pool.candidates].T)
    columns = np.flatnonzero(missing[pool.candidates])
    if len(columns) and (~lacking).any():
        having = np.flatnonzero(~lacking)
        text = vectors[rows[having]] @ vectors[pool.candidates[columns]].T
        score[np.ix_(having, columns)] += extra * text


def _block_lists(index, rows, score, pool, conf, excluded, lists, explanations, missing=None):
    """Pick the lists of ``rows`` (stories of one language) from ``score``: their scores for
    every candidate of ``pool``. Adds them to ``lists`` and ``explanations``."""
    candidates, column_of = pool.candidates, pool.column_of
    wanted = stored_length(conf)
    keep = min(wanted * CANDIDATE_FACTOR, len(candidates))
    if not keep:
        return
    vectors = index.vectors[: len(index.ids)]
    score[np.arange(len(rows)), column_of[rows]] = -np.inf  # never the story itself
    excluded_scores = {}
    for k, row in enumerate(rows):
        for pk in excluded.get(int(index.ids[row]), ()):
            other = index.row_of.get(pk)
            if other is not None and column_of[other] >= 0:
                excluded_scores.setdefault(k, {})[pk] = float(score[k, column_of[other]])
                score[k, column_of[other]] = -np.inf
    top = _top_columns(score, keep, conf["MIN_SCORE"])
    # Pad to one width so the similarities between each row's candidates come from a
    # single batched product (padding: row 0 with a score of -inf, filtered out).
    width = max((len(c) for c in top), default=0)
    padded = np.zeros((len(rows), width), dtype=np.int64)
    top_scores = np.full((len(rows), width), -np.inf, dtype=np.float32)
    for k, columns in enumerate(top):
        padded[k, : len(columns)] = columns
        top_scores[k, : len(columns)] = score[k, columns]
    top_rows = candidates[padded]
    top_vectors = vectors[top_rows]  # rows × width × dims
    text = np.einsum("kmd,kd->km", top_vectors, vectors[rows])
    similar = np.matmul(top_vectors, top_vectors.transpose(0, 2, 1))
    valid = np.isfinite(top_scores)
    duplicates, decided = duplicate_pairs(
        index, top_rows, similar, conf, valid, top_scores, top=DECIDED_AHEAD
    )
    exact_candidate_similarities(index, top_rows, similar, conf, valid)
    # The exact TF-IDF cosine with the story replaces its dense approximation for the
    # candidates: one batched sparse product for the block.
    listed, position = np.nonzero(valid)
    dots = np.zeros((len(rows), width), dtype=np.float32)
    dots[listed, position] = np.asarray(
        index.tfidf_rows(top_rows[listed, position])
        .multiply(index.tfidf_rows(rows[listed]))
        .sum(axis=1)
    ).ravel()
    correction = index.model.exact_correction(top_vectors, vectors[rows][:, None], dots)
    text_weight = conf["WEIGHTS"]["text"]
    if missing is not None:
        alone = missing[rows][:, None] | missing[top_rows]
        text_weight = np.where(alone, conf["WEIGHTS"]["text_alone"], text_weight)
    scores_all = top_scores + text_weight * correction
    texts_all = text + correction
    for k, row in enumerate(rows):
        pk = int(index.ids[row])
        scores, texts = scores_all[k], texts_all[k]
        chosen, left_out = choose(
            index,
            row,
            top_rows[k],
            scores,
            texts,
            similar[k],
            wanted,
            conf,
            story_tfidf=dots[k],
            duplicates=(duplicates[k], decided[k]),
            exact=True,
        )
        lists[pk] = [(int(index.ids[top_rows[k][i]]), float(scores[i])) for i in chosen]
        if explanations is not None:
            explanations[pk] = explanation(
                index,
                row,
                top_rows[k],
                scores,
                texts,
                chosen,
                left_out,
                conf,
                excluded_scores.get(k, {}),
            )


def _top_columns(score, keep, floor, stride=8):
    """Column numbers of (at most) the ``keep`` best scores at or above ``floor``, per row.

    ``np.argpartition`` over 100,000 columns per row is the slowest step of a rebuild, so a
    threshold is taken first from every ``stride``-th column: at least ``keep`` scores of the
    full row reach it (those sampled ones do), usually a few hundred, and only those are
    partitioned. Scores below ``floor`` never make a list, so the threshold never goes under it.
    """
    rows, columns = score.shape
    sample = score[:, ::stride]
    if sample.shape[1] > keep:
        threshold = np.partition(sample, -keep, axis=1)[:, -keep]
        threshold = np.maximum(threshold, floor)
    else:  # a small archive: take everything above the floor
        threshold = np.full(rows, floor, dtype=score.dtype)
    hit_rows, hit_cols = np.nonzero(score >= threshold[:, None])
    bounds = np.searchsorted(hit_rows, np.arange(rows + 1))
    result = []
    for r in range(rows):
        cols = hit_cols[bounds[r] : bounds[r + 1]]
        if len(cols) > keep:
            cols = cols[np.argpartition(score[r, cols], -keep)[-keep:]]
        result.append(cols)
    return result
