"""Whole-page cache for the public pages, with targeted invalidation: the mechanism.

This module and ``newsroom.pagecache.middleware`` are the mechanism: keys, generations,
local copies, the stampede rule, the proxy's headers and the invalidation API (``bump``,
``clear_all``, ``remember``/``remembered``, ``note_new_numbers``, ``register_expiry``,
``on_page_stored``). Which pages a story, a photo, a section, an author or a tag appears on
is said by the apps that own them (``articles.cached_pages``), which call this API from
the receivers their ``AppConfig.ready()`` connects; this package imports no app.

A public page (home, story, section, tag, author, search, and the sitemaps) is the same
for every reader, so it is rendered once and kept in Django's cache (Redis in production).
Keys are the host, the language, the path and the allowed query parameters (``page``,
``q`` for search, ``p`` for sitemaps); any other query parameter, a logged-in staff user,
or a method other than GET/HEAD bypasses the cache.

Invalidation uses generation numbers instead of deleting keys: each cached page is
stored with the generations of the groups it belongs to ("site", and one of "home",
"story:<slug>", "section:<slug>", "tag:<slug>", "author:<slug>", "search", "sitemaps").
Bumping a group's generation makes every page stored under the old one a miss, without
knowing which keys exist. A page and its generations are read in one round trip
(``get_many``).

When a story changes, ``articles.cached_pages`` bumps its page, the home page, search, the
sitemaps, and the section, tag and author pages it appears on, including the ones it
appeared on before the change (``remember``: kept per story in the cache).

Votes do not bump anything: on the story that is busiest, that would turn most requests
into renders. A vote only records when the story's numbers last changed
(``note_new_numbers``, called by ratings' receiver of its ``rating_changed``); a stored
story page rendered before that time is served for at most ``PAGE_RATINGS_LAG_SECONDS``
after its render, then re-rendered by one request (the
stampede rule below). So the numbers on the page lag the votes by at most that long, a
story re-renders for votes at most once per interval, and a story nobody votes on keeps
its page for the full ``PAGE_CACHE_SECONDS``. The vote time is read in the same round trip
as the page, and written at most once a second per worker (``NOTE_AHEAD_SECONDS``).

Stampedes: when a busy page is invalidated, the first request to miss re-renders it
and, for those few moments (at most ``PAGE_CACHE_RENDER_LOCK_SECONDS``), the others get
the outdated copy instead of all rendering the same page at once.

Pages that change by themselves: apps register the times at which a group's pages (or,
with ``group=None``, every page) change without a save, with ``register_expiry``; a page is
never kept past the earliest (the next scheduled story for every page:
``articles.cached_pages``; the front page's expiring lead, top stories and banner:
``articles.frontpage``).

If the cache is down (django-redis ``IGNORE_EXCEPTIONS``), every lookup is a miss and
pages are rendered fresh: slower, never broken.

Hot pages: each worker process also keeps the pages it served for
``PAGE_CACHE_LOCAL_SECONDS`` (1 s by default with Redis), so a story that thousands of
readers open at once costs no Redis round trip per request. An invalidation clears the
local copies in the worker that made it at once, and in the others within that second.

The proxy in front (nginx) may keep the public answers for ``PAGE_PROXY_SECONDS``:
``newsroom.pagecache.middleware`` says which and why.

A CDN or Varnish in front: every public answer carries ``Surrogate-Key`` (the site, its
group, its language: ``surrogate_keys``), and every ``bump`` calls the hooks registered with
``on_bump``; the ``cdn`` app registers one that purges those keys in front
(``CDN_PURGE_BACKEND``), so the cache in front forgets a changed page as this one does.

The package: ``entries`` (keys, generations, local copies, lookup and storing, what a story
was shown on, votes noted), ``middleware`` (which requests are cached, the middleware, the
headers for the CDN and the proxy). Import from the package: ``from newsroom import
pagecache``.
"""

import time  # noqa: F401 - tests patch newsroom.pagecache.time.monotonic

from .entries import (
    KEY_PREFIX,
    NOTE_AHEAD_SECONDS,
    SITE_GROUP,
    SITEMAPS_GROUP,
    STORED_HEADERS,
    LocalPages,
    _cache,
    _cache_key,
    _expiry_sources,
    _gen_key,
    _local,
    _page_key,
    _render_lock_key,
    _votes_key,
    bump,
    bump_with_every_bump,
    claim_render,
    clear_all,
    forget,
    forget_noted,
    lookup,
    note_new_numbers,
    on_bump,
    on_page_stored,
    register_expiry,
    remember,
    remembered,
    remembered_everywhere,
    response_from,
    same_for_everyone,
    store,
)
from .middleware import (
    CACHED_VIEWS,
    DEFAULT_SEARCH_SLOTS,
    MAX_KEPT_QUERY_LENGTH,
    PROXY_HEADER,
    PROXY_STATUSES,
    SURROGATE_KEY_HEADER,
    PageCacheMiddleware,
    _is_staff_session,
    _keepable,
    _slotted,
    add_public_cache_headers,
    cache_view,
    mark_for_proxy,
    on_public_answer,
    page_identity,
    surrogate_key,
    surrogate_keys,
)

__all__ = [
    "CACHED_VIEWS",
    "DEFAULT_SEARCH_SLOTS",
    "KEY_PREFIX",
    "MAX_KEPT_QUERY_LENGTH",
    "NOTE_AHEAD_SECONDS",
    "PROXY_HEADER",
    "PROXY_STATUSES",
    "SURROGATE_KEY_HEADER",
    "SITEMAPS_GROUP",
    "SITE_GROUP",
    "STORED_HEADERS",
    "LocalPages",
    "PageCacheMiddleware",
    "_cache",
    "_cache_key",
    "_expiry_sources",
    "_gen_key",
    "_is_staff_session",
    "_keepable",
    "_local",
    "_page_key",
    "_render_lock_key",
    "_slotted",
    "_votes_key",
    "add_public_cache_headers",
    "bump",
    "bump_with_every_bump",
    "cache_view",
    "claim_render",
    "clear_all",
    "forget",
    "forget_noted",
    "lookup",
    "mark_for_proxy",
    "note_new_numbers",
    "on_bump",
    "on_page_stored",
    "on_public_answer",
    "page_identity",
    "register_expiry",
    "remember",
    "remembered",
    "remembered_everywhere",
    "response_from",
    "same_for_everyone",
    "store",
    "surrogate_key",
    "surrogate_keys",
]
