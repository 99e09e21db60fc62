"""Variety in a related list, and the explanation editors see.

The rule (best score first, then three checks, in this order), applied to each list's best
candidates, in the rebuild and after a save alike:

1. *duplicate*: a candidate that is another version of the same news as the story, or as a
   story already on the list, is left out. Two tests, either one enough: a near-copy (one
   shares at least ``NEAR_COPY`` of its word 5-shingles with the other, estimated by MinHash:
   ``shingles``), which catches regional versions of one text that differ by a rare place name;
   and a TF-IDF cosine of at least ``NEAR_DUPLICATE``, which catches rewrites sharing their
   words in another order. The exact cosine, not the text similarity the score uses (which
   mixes in LSA): two versions of one story share their words, and LSA can put them further
   apart than their words do. Both are the evaluation's judges too (``bench/labelled_eval.py``),
   so what the rule lets through is what the evaluation counts;
2. *variety*, running stories: two stories are follow-ups of one running story when their text
   similarity is at least ``RUNNING_STORY`` or their headlines share at least
   ``RUNNING_HEADLINE`` of their words (Jaccard of stems: "Wildfire forces evacuation of
   thousands near Kelowna" and "… near Vernon" share 5 of 7). A candidate is left out when
   ``RUNNING_STORY_MAX`` stories already on the list are follow-ups of the same running story
   as it, or when it is a follow-up of the story being read and ``RUNNING_STORY_MAX`` such
   follow-ups are already listed;
3. otherwise it joins the list, until the list is full.

This is maximal marginal relevance with a hard threshold instead of a trade-off weight: a
candidate's relevance is never discounted, it is either different enough or out. A threshold is
something an editor can reason about ("the third follow-up of the same fire is left out"); a
weight is not. Editors' pins come first on the page whatever this rule says.
"""

import math
import time
import zlib

import numpy as np

from .conf import SECONDS_PER_DAY
from .text import tokens

DUPLICATE = "duplicate"
VARIETY = "variety"
EXCLUDED = "excluded"
# How many strong candidates left out an explanation remembers.
LEFT_OUT_KEPT = 8


def headline_terms(headline, language="en"):
    """A headline's stems (in its ``language``) as small integers (compact in the index and
    its snapshot)."""
    return frozenset(zlib.crc32(stem.encode()) for stem in tokens(headline or "", language))


def _jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def follow_up(text_similarity, headline_a, headline_b, conf):
    """True when two stories are follow-ups of one running story (see the rule above)."""
    return text_similarity >= conf["RUNNING_STORY"] or (
        _jaccard(headline_a, headline_b) >= conf["RUNNING_HEADLINE"]
    )


def same_copy_group(index, rows, row, conf):
    """Which of ``rows`` (index rows, any shape) are near-copies of the story at ``row``."""
    groups = index.copy_group(conf)
    own = groups[row]
    return (groups[rows] == own) & (own >= 0)


def duplicate_pairs(index, rows, similar, conf, valid=None, scores=None, top=None):
    """Which candidate pairs are near-duplicates: near-copies by their shingles (one group of
    ``index.copy_group``), or TF-IDF cosine at least ``NEAR_DUPLICATE``.

    ``rows``, ``similar``: each list's candidates (index rows) and the *dense* similarities
    between them (lists × candidates × candidates; call this before
    ``exact_candidate_similarities`` changes them). Returns (duplicates: booleans of that
    shape; decided: lists × candidates, the positions whose pairs are all settled). With
    ``scores`` and ``top``, the sparse products are spent only on pairs among each list's
    ``top`` best-scored candidates: a list's walk rarely goes further, and ``choose`` settles
    the rest itself if it does.

    The dense similarity of unit TF-IDF rows x and y is (1 − w)·Px·Py + w·Px·Py / (|Px||Py|)
    (``text``: w the LSA share, P the projection on the LSA space), so Px·Py is known
    from it and the lengths of the projections; the exact cosine is Px·Py + rx·ry, where the
    residuals r = x − Px have length √(1 − |Px|²), so it lies within |rx||ry| of Px·Py. Only
    pairs that bound cannot place on one side of the threshold get the sparse product,
    batched for every list at once. With no exact half to read |Px| from (w = 1), every pair
    needs it.
    """
    model = index.model
    near = conf["NEAR_DUPLICATE"]
    lists, width = rows.shape
    valid = np.ones(rows.shape, dtype=bool) if valid is None else valid
    pairs = valid[:, :, None] & valid[:, None, :]
    exact_share = 1 - model.semantic_weight
    if exact_share > 0:
        dims = model.components.shape[1]
        projected = index.vectors[rows][..., :dims]
        length = np.sqrt((projected * projected).sum(axis=-1) / exact_share)  # |Px|
        both = length[:, :, None] * length[:, None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = np.where(both > 0, similar / (exact_share + model.semantic_weight / both), 0)
        residual = np.sqrt(np.clip(1 - length * length, 0, None))
        # Rounding in float32 sums over a few hundred terms stays far below the 1e-3.
        slack = residual[:, :, None] * residual[:, None, :] + 1e-3
        duplicates = (estimate - slack >= near) & pairs
        unsure = np.triu(np.abs(estimate - near) < slack, k=1) & pairs
    else:
        duplicates = np.zeros(pairs.shape, dtype=bool)
        unsure = np.triu(pairs, k=1)
    decided = np.ones(rows.shape, dtype=bool)
    if scores is not None and top is not None and width > top:
        ranked = np.where(valid, scores, -np.inf)
        best = np.zeros(rows.shape, dtype=bool)
        np.put_along_axis(best, np.argpartition(-ranked, top, axis=1)[:, :top], True, axis=1)
        left = unsure & ~(best[:, :, None] & best[:, None, :])
        unsure &= ~left
        decided = best | ~(left.any(axis=1) | left.any(axis=2))
    k, i, j = np.nonzero(unsure)
    if len(k):
        a, b = rows[k, i], rows[k, j]
        dots = np.asarray(index.tfidf_rows(a).multiply(index.tfidf_rows(b)).sum(axis=1)).ravel()
        duplicates[k, i, j] = duplicates[k, j, i] = dots >= near
    groups = index.copy_group(conf)[rows]
    copies = (groups[:, :, None] == groups[:, None, :]) & (groups >= 0)[:, :, None]
    duplicates |= copies & pairs
    return duplicates, decided


def exact_candidate_similarities(index, rows, similar, conf, valid=None):
    """Make exact, in place, the entries of ``similar`` (lists × candidates × candidates: the
    dense text similarities between each list's candidates ``rows``) whose side of the
    running-story threshold (``RUNNING_STORY``) the dense value cannot tell.

    The dense similarity's TF-IDF half is the cosine of the two texts projected on the text
    model's LSA space, so it differs from the exact cosine by the dot product of what the
    projection leaves out: at most (1 − semantic weight) · |r_a| · |r_b|, where |r| is that
    residual's length, known from the projection alone (TF-IDF rows have unit length). Only
    pairs within that bound of a threshold need the sparse product (few, or none where the text
    model covers the archive well), done in one batch for all the lists of a block. ``valid``
    marks real candidates (a block's lists are padded to one width).
    """
    model = index.model
    exact_share = 1 - model.semantic_weight
    if exact_share <= 0:  # no exact half: the dense similarity is the whole story
        return similar
    dims = model.components.shape[1]
    projected = index.vectors[rows][..., :dims].astype(np.float64)
    residual = np.sqrt(np.clip(1 - (projected * projected).sum(axis=-1) / exact_share, 0, None))
    # Rounding in float32 sums over a few hundred terms stays far below this.
    slack = exact_share * residual[:, :, None] * residual[:, None, :] + 1e-4
    unsure = np.zeros(similar.shape, dtype=bool)
    for threshold in _thresholds(conf):
        unsure |= np.abs(similar - threshold) <= slack
    unsure = np.triu(unsure, k=1)
    if valid is not None:
        unsure &= valid[:, :, None] & valid[:, None, :]
    k, i, j = np.nonzero(unsure)
    if not len(k):
        return similar
    a, b = rows[k, i], rows[k, j]
    dots = np.asarray(index.tfidf_rows(a).multiply(index.tfidf_rows(b)).sum(axis=1)).ravel()
    vectors = index.vectors
    exact = similar[k, i, j] + model.exact_correction(vectors[a], vectors[b], dots)
    similar[k, i, j] = exact
    similar[k, j, i] = exact
    return similar


def _thresholds(conf):
    """The text similarities at which the rule's decisions change (duplicates are decided on
    the TF-IDF cosine by ``duplicate_pairs``). A running-story threshold at or above
    ``NEAR_DUPLICATE`` is taken as off (the default, 1.0, is "off"): the pairs it would catch
    share nearly all their words, so they are duplicates already."""
    near, running = conf["NEAR_DUPLICATE"], conf["RUNNING_STORY"]
    return (running,) if running < near else ()


def _pairs_at_least(similar, floor):
    """Per position, a bitmask (a Python int) of the positions whose similarity with it is at
    least ``floor``: the walk in ``choose`` then tests a candidate against every story already
    picked with one ``&``. (A position's own bit may be set; it is never among the picked.)"""
    packed = np.packbits(similar >= floor, axis=1, bitorder="little")
    width = packed.shape[1]
    raw = packed.tobytes()
    return [int.from_bytes(raw[at : at + width], "little") for at in range(0, len(raw), width or 1)]


def choose(
    index,
    row,
    rows,
    scores,
    texts,
    similar,
    wanted,
    conf,
    story_tfidf,
    duplicates=None,
    exact=False,
):
    """Pick up to ``wanted`` of the candidates ``rows`` (index rows) for the story at ``row``.

    ``scores``: their scores; ``texts``: their text similarity with the story; ``similar``:
    text similarities between the candidates themselves, already made exact for the close
    pairs when ``exact`` (``exact_candidate_similarities``, batched over a rebuild's block);
    ``story_tfidf``: their exact TF-IDF cosine with the story; ``duplicates``: which pairs
    of them are near-duplicates and which positions that covers (``duplicate_pairs``;
    computed here when not given).
    Returns (chosen positions in ``rows``, best first; [(position, reason)] of candidates
    left out before the list filled).

    The walk is plain Python over precomputed bitmasks: it runs once per list of a rebuild, so
    a few NumPy calls per candidate would cost more than everything else in the rebuild.
    """
    if duplicates is None:
        found, decided = duplicate_pairs(
            index, np.asarray(rows)[None], np.asarray(similar, dtype=np.float64)[None], conf
        )
        duplicates = found[0], decided[0]
    duplicates, decided = duplicates
    decided = decided.tolist()
    if not exact:
        similar = exact_candidate_similarities(
            index, np.asarray(rows)[None], np.array(similar, dtype=np.float32)[None], conf
        )[0]
    ok = np.flatnonzero(scores >= conf["MIN_SCORE"])
    # Best first; ties go to the newer story, then the higher id.
    order = ok[
        np.lexsort((-index.ids[rows[ok]], -np.nan_to_num(index.published[rows[ok]]), -scores[ok]))
    ].tolist()
    near, most = conf["NEAR_DUPLICATE"], conf["RUNNING_STORY_MAX"]
    running_text, running_headline = conf["RUNNING_STORY"], conf["RUNNING_HEADLINE"]
    duplicate_of = _pairs_at_least(duplicates, True)
    if running_text < near:
        running_with = _pairs_at_least(similar, running_text)
    else:  # see ``_thresholds``
        running_with = [0] * len(similar)
    story_text = texts.tolist()
    own_duplicate = (
        (np.asarray(story_tfidf) >= near) | same_copy_group(index, rows, row, conf)
    ).tolist()
    terms = index.headline_terms
    story_terms = terms[row]
    candidate_rows = rows.tolist()
    picked, picked_mask, left_out, own_follow_ups = [], 0, [], 0
    for i in order:
        if not decided[i]:
            # Past the pairs decided in advance (a list crowded with versions of one story):
            # every pair of this list's candidates, from their dense similarities (``similar``
            # may have been made exact in places, which the bound must not read).
            vectors = index.vectors[rows]
            found, _ = duplicate_pairs(index, rows[None], (vectors @ vectors.T)[None], conf)
            duplicate_of = _pairs_at_least(found[0], True)
            decided = [True] * len(decided)
        if own_duplicate[i] or duplicate_of[i] & picked_mask:
            left_out.append((i, DUPLICATE))
            continue
        headline = terms[candidate_rows[i]]
        same_story = running_with[i] & picked_mask
        mates = 0
        for j in picked:
            if same_story >> j & 1 or _jaccard(headline, terms[candidate_rows[j]]) >= (
                running_headline
            ):
                mates += 1
        own = story_text[i] >= running_text or _jaccard(story_terms, headline) >= running_headline
        if mates >= most or (own and own_follow_ups >= most):
            left_out.append((i, VARIETY))
            continue
        picked.append(i)
        picked_mask |= 1 << i
        own_follow_ups += own
        if len(picked) == wanted:
            break
    return picked, left_out[:LEFT_OUT_KEPT]


def parts(index, row, other, score, text, conf):
    """The score of index row ``other`` for the story at ``row``, in weighted parts that add
    up to it: [text, semantic, tags, section, recency] (tags is what the others leave)."""
    weights = conf["WEIGHTS"]
    text_part = float(index.text_weight(conf, row, other)) * text
    semantic = 0.0
    if weights.get("semantic") and index.embedding.shape[1]:
        semantic = weights["semantic"] * float(index.embedding[other] @ index.embedding[row])
    section = weights["section"] if index.sections[other] == index.sections[row] else 0.0
    # Scalar arithmetic, not ``index.recency``: this runs for every entry of every list.
    published = float(index.published[other])
    recency = 0.0
    if not math.isnan(published):
        age_days = max(time.time() - published, 0) / SECONDS_PER_DAY
        recency = weights["recency"] * 0.5 ** (age_days / conf["RECENCY_HALF_LIFE_DAYS"])
    tags = score - text_part - semantic - section - recency
    return [round(float(v), 4) for v in (text_part, semantic, max(tags, 0.0), section, recency)]


def explanation(index, row, rows, scores, texts, chosen, left_out, conf, excluded_scores):
    """What ``RelatedExplanation.data`` holds for one story's list (JSON-ready).

    ``shown``: [id, score, text, semantic, tags, section, recency] per listed story, in order;
    ``left_out``: [id, score, reason, text, semantic, tags, section, recency] for the strong
    candidates the rule dropped and those an editor excluded (scored, not offered).
    """

    def entry(i):
        pk = int(index.ids[rows[i]])
        return (
            pk,
            round(float(scores[i]), 4),
            parts(index, row, rows[i], float(scores[i]), float(texts[i]), conf),
        )

    shown = [[pk, score, *p] for pk, score, p in map(entry, chosen)]
    dropped = []
    for i, reason in left_out:
        pk, score, p = entry(i)
        dropped.append([pk, score, reason, *p])
    for pk, score in sorted(excluded_scores.items(), key=lambda e: -e[1])[:LEFT_OUT_KEPT]:
        if score >= conf["MIN_SCORE"]:
            other = index.row_of[pk]
            text = float(index.vectors[other] @ index.vectors[row])
            dropped.append(
                [pk, round(score, 4), EXCLUDED, *parts(index, row, other, score, text, conf)]
            )
    weights = conf["WEIGHTS"]
    return {
        "method": index.embedding_name if weights.get("semantic") else "plain",
        "weights": {k: round(float(v), 4) for k, v in weights.items()},
        "shown": shown,
        "left_out": dropped,
    }
