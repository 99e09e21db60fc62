"""Variety in a related list, and the explanation editors see.

The rule (best score first, then three checks, in this order), applied to each list's best
candidates, in the rebuild and after a save alike:

1. *duplicate*: a candidate whose text similarity with the story, or with a story already on
   the list, is at least ``NEAR_DUPLICATE`` is another version of the same news: left out;
2. *variety*, running stories: a candidate left out when ``RUNNING_STORY_MAX`` stories already
   on the list are follow-ups of the same running story as it (text similarity at least
   ``RUNNING_STORY`` with each), or when it is a follow-up of the story being read and
   ``RUNNING_STORY_MAX`` such follow-ups are already listed;
3. otherwise it joins the list, until the list is full.

This is maximal marginal relevance with a hard threshold instead of a trade-off weight: a
candidate's relevance is never discounted, it is either different enough or out. A threshold is
something an editor can reason about ("the third follow-up of the same fire is left out"); a
weight is not. Editors' pins come first on the page whatever this rule says.
"""

import numpy as np

DUPLICATE = "duplicate"
VARIETY = "variety"
EXCLUDED = "excluded"
# How many strong candidates left out an explanation remembers.
LEFT_OUT_KEPT = 8


def choose(index, rows, scores, texts, similar, wanted, conf):
    """Pick up to ``wanted`` of the candidates ``rows`` (index rows) for one story's list.

    ``scores``: their scores; ``texts``: their text similarity with the story; ``similar``:
    text similarities between the candidates themselves. Returns (chosen positions in
    ``rows``, best first; [(position, reason)] of candidates left out before the list filled).
    """
    ok = np.flatnonzero(scores >= conf["MIN_SCORE"])
    # Best first; ties go to the newer story, then the higher id.
    order = ok[
        np.lexsort((-index.ids[rows[ok]], -np.nan_to_num(index.published[rows[ok]]), -scores[ok]))
    ]
    near, running, most = conf["NEAR_DUPLICATE"], conf["RUNNING_STORY"], conf["RUNNING_STORY_MAX"]
    sub = similar[np.ix_(order, order)]
    duplicate_of = (sub >= near).tolist()  # plain lists: faster than numpy calls per item
    follow_up_of = (sub >= running).tolist()
    story_text = texts[order].tolist()
    picked, left_out, own_follow_ups = [], [], 0
    for i in range(len(order)):
        if story_text[i] >= near or any(duplicate_of[i][j] for j in picked):
            left_out.append((int(order[i]), DUPLICATE))
            continue
        own = story_text[i] >= running
        if (own and own_follow_ups >= most) or sum(follow_up_of[i][j] for j in picked) >= most:
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
    recency = weights["recency"] * float(index.recency(conf, rows=[other])[0])
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
