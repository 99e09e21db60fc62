"""Every receiver of the ratings app, connected in ``RatingsConfig.ready()``.

A vote does not invalidate the story's cached page: the page cache notes when the story's
numbers changed (``newsroom.pagecache.note_new_numbers``) and a page older than
``PAGE_RATINGS_LAG_SECONDS`` is rendered again (see ``newsroom.pagecache``).
"""

import logging

from django.conf import settings

from articles import cached_pages
from newsroom import pagecache

from .signals import rating_changed

logger = logging.getLogger(__name__)


def _numbers_changed(sender, article_id, **kwargs):
    if not settings.PAGE_CACHE_SECONDS:
        return
    try:
        group = cached_pages.story_group_of(article_id)
        if group is not None:
            pagecache.note_new_numbers(group)
    except Exception:  # the vote is counted; the page catches up at its next change
        logger.exception("Could not note the new numbers of story %s", article_id)


def connect():
    rating_changed.connect(_numbers_changed, dispatch_uid="pagecache-rating")
