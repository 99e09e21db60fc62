"""The related-stories settings, checked, and the text a story is compared by. Light: imported
by web processes.

Every setting and its default is written once, in ``settings.RELATED_STORIES``
(``newsroom/settings.py``, which reads each ``RELATED_*`` environment variable); this module
only reads and checks it. What is here are the engine's fixed constants, not settings."""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..sanitize import html_to_text

logger = logging.getLogger(__name__)

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
    """``settings.RELATED_STORIES``, checked, with the LSA share of the method in use filled in
    when it is not set (a copy: callers may change it)."""
    conf = {**settings.RELATED_STORIES}
    conf["WEIGHTS"] = {**conf["WEIGHTS"]}
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
