"""The one SQL spelling of "visible to readers" (``Article.objects.published()``).

Used by the hand-written SQL of the story page (``articles.page_sql``) and of a vote
(``ratings.vote_sql``); columns from the model's ``_meta``.
"""

from newsroom.sql import column

from .models import Article


def live(alias):
    """The SQL of ``Article.objects.published(now)`` for the story table under ``alias``.

    The one SQL spelling of "visible to readers" (the vote's SQL in ``ratings.vote_sql`` uses
    it too); ``%(now)s`` is the clock, a parameter.
    """
    status = column(Article, "status")
    publish_at = column(Article, "publish_at")
    statuses = ", ".join(f"'{value}'" for value in Article.LIVE_STATUSES)
    return f"{alias}.{status} IN ({statuses}) AND {alias}.{publish_at} <= %(now)s"
