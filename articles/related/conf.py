"""The related-stories settings (``settings.RELATED_STORIES`` over the defaults), and the text a
story is compared by. Light: imported by web processes."""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..sanitize import html_to_text

logger = logging.getLogger(__name__)

DEFAULTS = {
    "WEIGHTS": {"text": 0.6, "tags": 0.3, "section": 0.1, "recency": 0.05},
    "MIN_SCORE": 0.2,
    "COUNT": 6,
    "MAX_COUNT": 12,
    "MIN_SHOWN": 3,
    "SPARE": 4,
    "RECENCY_HALF_LIFE_DAYS": 90.0,
    "NEAR_DUPLICATE": 0.9,
    "DIMENSIONS": 96,
    # Share of LSA in the text similarity (the rest is the exact TF-IDF cosine); None: the
    # default for the method in use (LSA_SHARE below).
    "SEMANTIC_WEIGHT": None,
    "REFRESH": "queue",
    "REVERSE_LIMIT": 200,
    "IN_PROCESS_BUILD_LIMIT": 20_000,
    "SYNC_INTERVAL": 30,
    # Optional semantic vectors (articles.embeddings): "off", "glove" or "minilm", and the
    # share of the text weight they take when every live story has one.
    "EMBEDDING": "off",
    "EMBEDDING_SHARE": 0.4,
    # Variety: stories this similar in text (TF-IDF/LSA) to each other belong to one running
    # story (follow-ups of one event), as are stories whose headlines share RUNNING_HEADLINE of
    # their words; a list holds at most RUNNING_STORY_MAX of them.
    "RUNNING_STORY": 1.0,
    "RUNNING_HEADLINE": 0.5,
    "RUNNING_STORY_MAX": 2,
}
# The LSA share of the text similarity by method: without semantic vectors LSA is what finds
# stories that share a topic but few words; with them, the vectors do that better and the text
# part is best left to the exact TF-IDF cosine. 0.1 and EMBEDDING_SHARE 0.4 were chosen on
# half of the Lee et al. pairs and judged on the other half (bench/lee_eval.py, docs/benchmarks.md).
LSA_SHARE = {"off": 0.5, "with embedding": 0.1}
# Semantic scoring starts once this share of live stories has a stored vector (a backfill
# finishing); until then the plain method serves, so stories without one are not penalised.
EMBEDDING_COVERAGE = 0.99
SECONDS_PER_DAY = 86_400.0
# How many top-scoring candidates are examined per list before near-duplicates are dropped.
CANDIDATE_FACTOR = 6


def config():
    """``settings.RELATED_STORIES`` over the defaults, checked."""
    conf = {**DEFAULTS, **getattr(settings, "RELATED_STORIES", {})}
    conf["WEIGHTS"] = {**DEFAULTS["WEIGHTS"], **conf["WEIGHTS"]}
    if not 1 <= conf["COUNT"] <= conf["MAX_COUNT"]:
        raise ImproperlyConfigured(
            f"RELATED_STORIES['COUNT'] must be between 1 and {conf['MAX_COUNT']}, "
            f"got {conf['COUNT']} (set RELATED_COUNT)."
        )
    if conf["REFRESH"] not in {"queue", "off"}:
        raise ImproperlyConfigured(
            "RELATED_STORIES['REFRESH'] must be 'queue' or 'off' (set RELATED_REFRESH)."
        )
    if conf["EMBEDDING"] not in {"off", "glove", "minilm"}:
        raise ImproperlyConfigured(
            "RELATED_STORIES['EMBEDDING'] must be 'off', 'glove' or 'minilm' "
            "(set RELATED_EMBEDDING)."
        )
    if conf["SEMANTIC_WEIGHT"] is None:
        conf["SEMANTIC_WEIGHT"] = LSA_SHARE[
            "off" if conf["EMBEDDING"] == "off" else "with embedding"
        ]
    if not 0 <= conf["EMBEDDING_SHARE"] <= 1:
        raise ImproperlyConfigured(
            "RELATED_STORIES['EMBEDDING_SHARE'] must be between 0 and 1 "
            "(set RELATED_EMBEDDING_SHARE)."
        )
    if conf["RUNNING_STORY_MAX"] < 1:
        raise ImproperlyConfigured(
            "RELATED_STORIES['RUNNING_STORY_MAX'] must be at least 1 "
            "(set RELATED_RUNNING_STORY_MAX)."
        )
    return conf


def stored_length(conf=None):
    conf = conf or config()
    return conf["MAX_COUNT"] + conf["SPARE"]


def article_text(headline, standfirst, body):
    """What the text similarity reads: the headline counts twice, as it says the most."""
    return f"{headline}. {headline}. {standfirst}\n{html_to_text(body)}"
