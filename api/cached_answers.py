"""The API's answers in the project's page cache, invalidated with the pages.

Every answer of the API is kept under one page-cache group, ``api``, and that group is bumped
whenever any other group is (``pagecache.bump_with_every_bump``: in the same round trip
and the same purge in front): a story saved, published, unpublished,
retracted or deleted bumps its page's groups (``articles.cached_pages``), and so the API's
answers with them, in this process at once and in the cache in front by the same surrogate
key (``cdn``). One group for the whole API is coarse on purpose: an answer by id does not know
its story's slug (the pages' group) without a query, and lists show every story; the home
page is invalidated just as often. Answers change by themselves when a scheduled story goes
live: ``articles.cached_pages`` registers that expiry for every page, these included.
"""

from newsroom import pagecache

GROUP = "api"
# The query parameters each answer is kept under; any other parameter is answered fresh.
STORY_LIST = ["cursor", "limit", "language", "section", "tag", "author", "format"]
LIST = ["cursor", "limit", "language"]
DETAIL = ["format"]
BY_SLUG = ["format", "language"]
SEARCH = ["q", "page", "language", "format"]


def group_of(kwargs):
    return GROUP


def register():
    for name, params in (
        ("api:story-list", STORY_LIST),
        ("api:story-detail", DETAIL),
        ("api:story-by-slug", BY_SLUG),
        ("api:section-list", LIST),
        ("api:tag-list", LIST),
        ("api:author-list", LIST),
        ("api:search", SEARCH),
        ("api:schema", ["format"]),
    ):
        pagecache.cache_view(name, group_of, params)
    # Any page changed: the API's answers may show it too (see the module's docstring).
    pagecache.bump_with_every_bump(GROUP)
