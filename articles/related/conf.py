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
    "SEMANTIC_WEIGHT": 0.5,
    "REFRESH": "queue",
    "REVERSE_LIMIT": 200,
    "IN_PROCESS_BUILD_LIMIT": 20_000,
    "SYNC_INTERVAL": 30,
}
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
    return conf


def stored_length(conf=None):
    conf = conf or config()
    return conf["MAX_COUNT"] + conf["SPARE"]


def article_text(headline, standfirst, body):
    """What the text similarity reads: the headline counts twice, as it says the most."""
    return f"{headline}. {headline}. {standfirst}\n{html_to_text(body)}"
