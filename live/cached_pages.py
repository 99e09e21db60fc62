"""Which cached pages show live coverage: the story's own group (``story:<slug>``, old
addresses too), so its page, the update endpoint, the older entries' pages and the feed are
all made stale by one bump when an entry is posted, edited or deleted, or the coverage starts
or ends (``live.services``, after commit)."""

import logging

from articles.cached_pages import invalidate_story_pages, story_group
from newsroom import pagecache

logger = logging.getLogger(__name__)


def register():
    def group_of(kwargs):
        return story_group(kwargs["slug"])

    pagecache.cache_view("live:updates", group_of)
    pagecache.cache_view("live:page", group_of, ["page"])
    pagecache.cache_view("live:feed", group_of)


def coverage_changed(article_id):
    """The story's live block changed: its pages are stale (called after commit)."""
    try:
        invalidate_story_pages([article_id])
    except Exception:  # a cache hiccup must not fail the reporter's post
        logger.exception("Could not invalidate the live pages of story %s", article_id)
