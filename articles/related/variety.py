"""Variety in a related list, and the explanation editors see.

The rule (best score first, then three checks, in this order), applied to each list's best
candidates, in the rebuild and after a save alike:

1. *duplicate*: a candidate whose text similarity with the story, or with a story already on
   the list, is at least ``NEAR_DUPLICATE`` is another version of the same news: left out;
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

from ..textsim import tokens
from .conf import SECONDS_PER_DAY

DUPLICATE = "duplicate"
VARIETY = "variety"
EXCLUDED = "excluded"
# Candidate pairs whose dense similarity reaches this share of NEAR_DUPLICATE get the exact one.
CHECK_EXACTLY = 0.75
# How many strong candidates left out an explanation remembers.
LEFT_OUT_KEPT = 8


def headline_terms(headline):
    """A headline's stems as small integers (compact in the index and its snapshot)."""
    return frozenset(zlib.crc32(stem.encode()) for stem in tokens(headline or ""))


def _jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def follow_up(text_similarity, headline_a, headline_b, conf):
    """True when two stories are follow-ups of one running story (see the rule above)."""
    return text_similarity >= conf["RUNNING_STORY"] or (
        _jaccard(headline_a, headline_b) >= conf["RUNNING_HEADLINE"]
    )


def choose(index, row, rows, scores, texts, similar, wanted, conf):
    """Pick up to ``wanted`` of the candidates ``rows`` (index rows) for the story at ``row``.

    ``scores``: their scores; ``texts``: their text similarity with the story; ``similar``:
    text similarities between the candidates themselves. Returns (chosen positions in
    ``rows``, best first; [(position, reason)] of candidates left out before the list filled).
    """
    ok = np.flatnonzero(scores >= conf["MIN_SCORE"])
    # Best first; ties go to the newer story, then the higher id.
    order = ok[
        np.lexsort((-index.ids[rows[ok]], -np.nan_to_num(index.published[rows[ok]]), -scores[ok]))
    ]
    near, most = conf["NEAR_DUPLICATE"], conf["RUNNING_STORY_MAX"]
    sub = similar[np.ix_(order, order)]
    story_text = texts[order].tolist()
    terms = index.headline_terms
    story_terms = terms[row]
    candidate_terms = [terms[r] for r in rows[order].tolist()]
    picked, left_out, own_follow_ups, gram = [], [], 0, None
    for i in range(len(order)):
        if story_text[i] >= near:
            left_out.append((int(order[i]), DUPLICATE))
            continue
        if picked:
            similar_to_picked = sub[i, picked]
            # The dense similarity between two candidates understates their TF-IDF cosine a
            # little; pairs close to the threshold are checked exactly (a few per list).
            close = similar_to_picked >= CHECK_EXACTLY * near
            if close.any():
                if gram is None:  # one sparse product per list, only when needed
                    tfidf = index.tfidf_rows(rows[order])
                    gram = (tfidf @ tfidf.T).toarray()
                similar_to_picked = similar_to_picked.copy()
                vectors = index.vectors
                for k in np.flatnonzero(close):
                    a, b = rows[order[i]], rows[order[picked[k]]]
                    similar_to_picked[k] += float(
                        index.model.exact_correction(vectors[a], vectors[b], gram[i, picked[k]])
                    )
            if similar_to_picked.max() >= near:
                left_out.append((int(order[i]), DUPLICATE))
                continue
            mates = sum(
                follow_up(s, candidate_terms[i], candidate_terms[j], conf)
                for s, j in zip(similar_to_picked.tolist(), picked, strict=True)
            )
        else:
            mates = 0
        own = follow_up(story_text[i], story_terms, candidate_terms[i], conf)
        if mates >= most or (own and own_follow_ups >= most):
            left_out.append((int(order[i]), VARIETY))
            continue
        picked.append(i)
        own_follow_ups += own
        if len(picked) == wanted:
            break
    return [int(order[i]) for i in picked], left_out[:LEFT_OUT_KEPT]


def parts(index, row, other, score, text, conf):
    """The score of index row ``other`` for the story at ``row``, in weighted parts that add
    up to it: [text, semantic, tags, section, recency] (tags is what the others leave)."""
    weights = conf["WEIGHTS"]
    text_part = weights["text"] * text
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
