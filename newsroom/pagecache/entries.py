"""The page cache's store: keys, generations, local copies, expiry, what stories showed.

The mechanism only (see the package's docstring): groups are opaque names here, and what a
group holds is said by the apps that bump it.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.http import http_date

logger = logging.getLogger(__name__)

KEY_PREFIX = "pagecache"
SITE_GROUP = "site"
# Headers worth keeping with a cached page; the rest are added again on the way out.
# Cache-Control: a page whose view set its own (a live story: a CDN keeps it seconds, not a
# minute) keeps it when served from the cache; the others get the default on the way out.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Link",
    "X-Robots-Tag",
    "Cache-Control",
)
# Sitemaps list every public story: they are invalidated with the pages, never left to
# expire (a sitemap kept ten minutes once showed unpublished headlines that long).
SITEMAPS_GROUP = "sitemaps"


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _gen_key(group):
    return f"{KEY_PREFIX}:gen:{group}"


def _page_key(host, language, path, params):
    raw = "\n".join([host, language or "", path, *(f"{k}={v}" for k, v in params)])
    return f"{KEY_PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _deps_key(subject):
    return f"{KEY_PREFIX}:deps:{subject}"


def _votes_key(group):
    """When the numbers shown on the pages of ``group`` (``story:<slug>``) last changed."""
    return f"{KEY_PREFIX}:votes:{group}"


def _new_generation():
    return time.time_ns()


# Groups bumped along with every bump: answers that may show any page's content (the API's,
# ``api.cached_answers``). Apps add theirs with ``bump_with_every_bump``.
_followers = set()


def bump_with_every_bump(group):
    """Bump ``group`` whenever any group is bumped, in the same round trip and purge."""
    _followers.add(group)


def bump(*groups):
    """Make every cached page of these groups stale (here, then in the caches in front)."""
    groups = set(groups)
    if groups:
        groups |= _followers
        _local.clear()
        _cache().set_many({_gen_key(g): _new_generation() for g in groups}, timeout=None)
        bumped(groups)


# Callables given the groups of each bump (the CDN purge: the ``cdn`` app): on_bump().
_bump_hooks = []


def on_bump(callback):
    """Call ``callback(groups)`` after each ``bump`` (the groups are surrogate keys in front)."""
    if callback not in _bump_hooks:
        _bump_hooks.append(callback)


def bumped(groups):
    for callback in _bump_hooks:
        try:
            callback(groups)
        except Exception:  # the pages here are invalidated either way
            logger.exception("A page-cache hook failed after a bump of %s", sorted(groups))


class LocalPages:
    """This process's short-lived copies of hot pages: ``key → (expires, entry)``."""

    MAX_ENTRIES = 1000

    def __init__(self):
        self._pages = {}

    def get(self, key):
        if getattr(settings, "PAGE_CACHE_LOCAL_SECONDS", 0) <= 0:
            return None
        found = self._pages.get(key)
        if found is None:
            return None
        if found[0] < time.monotonic():
            self._pages.pop(key, None)
            return None
        return found[1]

    def put(self, key, entry):
        seconds = getattr(settings, "PAGE_CACHE_LOCAL_SECONDS", 0)
        if seconds <= 0:
            return
        if len(self._pages) >= self.MAX_ENTRIES:
            self._pages.clear()  # crude, but bounded, and refilled within a second
        self._pages[key] = (time.monotonic() + seconds, entry)

    def clear(self):
        self._pages.clear()


_local = LocalPages()


def clear_all():
    """Make every cached page stale (e.g. after a section or navigation change)."""
    bump(SITE_GROUP)


# ---------------------------------------------------------------------------------------
# What a subject (a story) was shown on: remembered so its next change bumps those too


def remember(subject, groups, public):
    """Remember the groups whose pages show ``subject`` and whether readers could see it."""
    _cache().set(_deps_key(subject), {"groups": sorted(groups), "public": public}, timeout=None)


def remembered_everywhere():
    """True when what ``remember`` keeps is read by every process (a shared cache such as
    Redis). A per-process memory cache (no ``REDIS_URL``) keeps one record per process, and
    another process may have shown the subject since this one wrote its record."""
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(_cache(), LocMemCache)


def remembered(subject):
    """``{"groups": [...], "public": bool}`` as last remembered, or None."""
    return _cache().get(_deps_key(subject))


def forget(subject):
    _cache().delete(_deps_key(subject))


# ---------------------------------------------------------------------------------------
# Lookup, stampedes, storing


# A slotted key is "<the cache key of the slot>|<the page's own key>": the entry in the slot
# is this page only if it carries the page's own key.
_SLOT_SEPARATOR = "|"


def _cache_key(key):
    """Where the entry of ``key`` is kept in the cache (its slot, for a slotted key)."""
    return key.split(_SLOT_SEPARATOR, 1)[0]


def _is_entry_of(entry, key):
    # Entries stored before slots existed carry no "key": they are under their own key.
    return entry.get("key", key) == key


def lookup(key, group):
    """``(fresh entry, stale entry, current generations)`` in one cache round trip.

    A stale entry is one stored under older generations, or a story page that misses votes
    and is older than ``PAGE_RATINGS_LAG_SECONDS``: outdated, but still a page.
    """
    cache = _cache()
    gen_keys = [_gen_key(SITE_GROUP), _gen_key(group)]
    votes_key = _votes_key(group)
    found = cache.get_many([_cache_key(key), *gen_keys, votes_key])
    generations = []
    for gen_key in gen_keys:
        value = found.get(gen_key)
        if value is None:
            # Unknown generation (first use, or evicted): start one. Pages stored before it
            # cannot match it, so an eviction can never bring a stale page back.
            value = _new_generation()
            cache.add(gen_key, value, timeout=None)
            value = cache.get(gen_key, value)
        generations.append(value)
    entry = found.get(_cache_key(key))
    if entry is not None and not _is_entry_of(entry, key):
        entry = None  # the slot holds another query's answer: a miss
    if entry is not None and (
        entry["generations"] != generations or _misses_votes(entry, found.get(votes_key))
    ):
        return None, entry, generations
    return entry, None, generations


def _misses_votes(entry, voted_at):
    """True when the page predates the story's last vote by more than the allowed lag."""
    rendered_at = entry.get("rendered_at", 0)
    return (
        voted_at is not None
        and voted_at >= rendered_at
        and time.time() - rendered_at >= settings.PAGE_RATINGS_LAG_SECONDS
    )


def _render_lock_key(key):
    return f"{_cache_key(key)}:rendering"


def claim_render(key):
    """True if this request should render the page; False if another one already is.

    With a cache outage ``add()`` returns None: render (there is nothing stale to serve).
    """
    seconds = getattr(settings, "PAGE_CACHE_RENDER_LOCK_SECONDS", 10)
    return _cache().add(_render_lock_key(key), 1, timeout=seconds) is not False


# Group (None: every page) → callables giving the seconds until that group's pages change by
# themselves (a scheduled story going live, the home page's banner expiring), or None. Apps
# register them in ready(): register_expiry().
_expiry_sources = {}


def register_expiry(group, seconds_until_change):
    """Never keep a page of ``group`` (every page: None) past ``seconds_until_change()``."""
    sources = _expiry_sources.setdefault(group, [])
    if seconds_until_change not in sources:  # ready() may run more than once in tests
        sources.append(seconds_until_change)


def same_for_everyone(response):
    """True when nothing in the answer is meant for one reader only."""
    return not (
        response.streaming
        or response.cookies
        or "Cookie" in response.get("Vary", "")
        or "*" in response.get("Vary", "")
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    )


# Answers kept as pages: a page, and a 410 Gone (a retracted story's notice, which stays at
# its address as long as the story's page would have). A 404 is never kept (see the docs).
STORED_STATUSES = frozenset({200, 410})


def store(key, generations, response, rendered_at, group=None):
    """Keep a rendered page; returns the entry (or None when the page is not cacheable)."""
    if response.status_code not in STORED_STATUSES or not same_for_everyone(response):
        return None
    timeout = settings.PAGE_CACHE_SECONDS
    sources = (*_expiry_sources.get(None, ()), *_expiry_sources.get(group, ()))
    for source in sources:
        until_next = source()
        if until_next is not None:
            timeout = max(1, min(timeout, int(until_next) + 1))
    content = response.content
    entry = {
        "content": content,
        "headers": {h: response[h] for h in STORED_HEADERS if response.has_header(h)},
        "etag": f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"',
        "last_modified": time.time(),
        "generations": generations,
        # When the render began: a vote recorded from then on may be missing from the page.
        "rendered_at": rendered_at,
        "key": key,
        "status": response.status_code,
    }
    _cache().set(_cache_key(key), entry, timeout)
    return entry


def response_from(entry):
    response = HttpResponse(entry["content"], status=entry.get("status", 200))
    for header, value in entry["headers"].items():
        response[header] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    return response


# Callables given each freshly stored page's response (apps note what it showed, e.g. the
# listings a story appears on): on_page_stored().
_stored_hooks = []


def on_page_stored(callback):
    """Call ``callback(response)`` after each freshly rendered page is stored."""
    if callback not in _stored_hooks:
        _stored_hooks.append(callback)


def page_stored(response):
    for callback in _stored_hooks:
        try:
            callback(response)
        except Exception:  # the page is served and stored either way
            logger.exception("A page-cache hook failed after storing a page")


# ---------------------------------------------------------------------------------------
# Numbers that change without a save (votes): noted, not bumped (see the package docstring)

# A busy story's votes need not each write to Redis: the time written is a little ahead of
# now, so it also covers every vote until then, and each worker writes at most once in that
# span. A page rendered in the span counts as older than the votes: re-rendered once more.
NOTE_AHEAD_SECONDS = 1.0
_noted_until = {}  # group → the time this process last wrote for it


def note_new_numbers(group):
    """Record that the numbers on the pages of ``group`` changed now (a vote)."""
    if not settings.PAGE_CACHE_SECONDS:
        return
    now = time.time()
    if _noted_until.get(group, 0.0) > now:
        return  # this process already wrote a later time, which covers this vote
    lag = settings.PAGE_RATINGS_LAG_SECONDS
    noted = now + NOTE_AHEAD_SECONDS
    # Kept as long as a page rendered before it can live, so no old page looks current.
    _cache().set(_votes_key(group), noted, timeout=settings.PAGE_CACHE_SECONDS + lag + 2)
    if len(_noted_until) > 10_000:  # one entry per story voted on: keep it small
        _noted_until.clear()
    _noted_until[group] = noted


def forget_noted():
    """Forget which groups this process noted votes for (tests start afresh)."""
    _noted_until.clear()
