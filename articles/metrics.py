"""The articles app's series, registered with the project's metrics (``newsroom.metrics``).

``newsroom_related_lag_seconds``: from a story's save to its related list stored by the
worker, measured from the refresh task's sending (right after the save commits; a burst of
saves is folded into the first one's task) to the end of its run (``articles.tasks``).
Made at start-up (``ArticlesConfig.ready()``) so every process lists it, even before use.
"""

from newsroom import metrics

RELATED_LAG = metrics.histogram(
    "newsroom_related_lag_seconds",
    "Time from a story's save to its related list stored by the worker.",
    buckets=metrics.WAIT_BUCKETS,
)
