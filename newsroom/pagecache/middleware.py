"""Which requests the page cache serves, the middleware, and the headers for what is in front.

The views whose pages are cached are registered by their apps (``cache_view`` in their
``AppConfig.ready()``): the mechanism knows no view of its own.

The proxy in front: on sync workers a read of the busy story, however cheap here, queues
behind the votes ahead of it, so the buffering proxy (nginx, ``deploy/nginx/``) keeps the
public pages for a moment itself. This module decides what it may keep: answers to an
anonymous GET/HEAD of a cached view with only the allowed query parameters, from a request
without a session cookie, that set no cookie, vary on none and are not private, carry
``X-Accel-Expires: PAGE_PROXY_SECONDS`` (1 by default; 0: none). nginx keeps only what
carries it (Cache-Control is ignored there), so staff, previews, the admin, POSTs, the
ratings endpoints and anything with other query parameters always reach Django.
A 404 or 410 of such a page (a draft, an unpublished or deleted story) and a 301 (a
renamed story) carry it too, for the same seconds: nginx replaces the page it holds only
with an answer it may keep, and keeps handing out its expired copy to readers arriving
while it asks again otherwise. Unmarked, an unpublished busy story stays on the proxy for
as long as readers keep asking.

The bound: an unpublished story may stay visible through the proxy for at most
``PAGE_PROXY_SECONDS`` on top of the page cache's own copy (``PAGE_CACHE_LOCAL_SECONDS``,
one second): with the defaults about three seconds after the save, because nginx counts
whole seconds (a page marked 1 is kept one to two seconds), plus the time of the answer
that replaces it. A draft's 404 is kept no longer either, so a story published at an
address someone already asked for shows up as soon.
"""

import logging
import time
from importlib import import_module
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.utils.http import http_date

from newsroom import metrics, replicas

from .entries import (
    _SLOT_SEPARATOR,
    KEY_PREFIX,
    SITE_GROUP,
    _cache,
    _cache_key,
    _local,
    _page_key,
    _render_lock_key,
    claim_render,
    lookup,
    page_stored,
    response_from,
    same_for_everyone,
    store,
)

logger = logging.getLogger(__name__)

# A page number in the key must be written the one way (no "01", "+1", "1.0", huge): any
# other spelling is rendered fresh and not kept, so random values cannot fill the cache.
# A page past the last is a 404, which is never kept either.
_PAGE_PARAMETERS = ("page", "p", "limit")
_MAX_PAGE_DIGITS = 6
# Search answers are kept in at most this many entries (slots picked by a hash of the
# query and page; a newer answer replaces the one in its slot), so any number of distinct
# queries costs a bounded amount of memory. Queries longer than this are not kept at all.
DEFAULT_SEARCH_SLOTS = 1000
MAX_KEPT_QUERY_LENGTH = 200
# Parameters whose values anyone can vary without end (a search, an API cursor): answers
# asked for with one of them go into the same bounded slots.
SLOTTED_PARAMETERS = ("q", "cursor")

# URL name → (query parameters that are part of the key, how to name the page's group).
# Filled by the apps: cache_view().
CACHED_VIEWS = {}


def cache_view(view_name, group_of, params=()):
    """Cache the pages of the URL named ``view_name``, in the group ``group_of(kwargs)``.

    ``params`` are the query parameters that are part of the key (``page``; ``q``: a search,
    and ``cursor``: an API list's place, kept in bounded slots); a request with any other
    parameter is rendered fresh.
    """
    CACHED_VIEWS[view_name] = (tuple(params), group_of)


def _is_staff_session(request):
    """True when the request carries the session of an active staff user.

    The session is read through a separate store so ``request.session`` is not marked as
    accessed: public pages must not get ``Vary: Cookie``.
    """
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user_id = store.get(SESSION_KEY)
    if user_id is None:
        return False
    return get_user_model().objects.filter(pk=user_id, is_staff=True, is_active=True).exists()


def page_identity(request, view_name, view_kwargs):
    """``(key, group)`` for a cacheable request, or None when it must be rendered fresh."""
    if request.method not in ("GET", "HEAD") or view_name not in CACHED_VIEWS:
        return None
    allowed, group_of = CACHED_VIEWS[view_name]
    if any(name not in allowed for name in request.GET):
        return None
    if _is_staff_session(request):
        return None
    params = [(name, request.GET.get(name, "")) for name in allowed if name in request.GET]
    if not all(_keepable(name, value) for name, value in params):
        return None
    key = _page_key(request.get_host(), getattr(request, "LANGUAGE_CODE", ""), request.path, params)
    if "q" in allowed or any(name in request.GET for name in SLOTTED_PARAMETERS):
        key = _slotted(key)
    return key, group_of(view_kwargs)


def _keepable(name, value):
    """True when a query parameter's value is one a page may be kept under."""
    if name in _PAGE_PARAMETERS:
        return (
            value.isascii()
            and value.isdigit()
            and not value.startswith("0")
            and len(value) <= _MAX_PAGE_DIGITS
        )
    if name in SLOTTED_PARAMETERS:
        return len(value) <= MAX_KEPT_QUERY_LENGTH
    return True


def _slotted(key):
    slots = getattr(settings, "PAGE_CACHE_SEARCH_SLOTS", DEFAULT_SEARCH_SLOTS)
    digest = key.rsplit(":", 1)[1]
    return f"{KEY_PREFIX}:slot:{int(digest, 16) % slots}{_SLOT_SEPARATOR}{key}"


def add_public_cache_headers(response, outdated=False):
    """Cache-Control for a CDN in front: shared caches keep the page briefly, browsers check.

    ``stale-while-revalidate`` lets a CDN hand out an expired copy while it asks again: the
    first reader after a quiet spell would be shown a story unpublished in the meantime. It
    is sent only when the CDN is told to forget changed pages (``CDN_PURGE_BACKEND``, the
    ``cdn`` app): then a changed page is purged, not expired, and only pages nobody changed
    are ever served stale. Without purging, a page lives ``s-maxage`` in front and no more.

    ``outdated``: the copy handed out while another request renders the page again (the
    stampede rule). It may predate an unpublish that the CDN was just purged of, so a cache
    in front must not keep it (``s-maxage=0``); the next request there fetches the new one.

    A 410 (a retracted story's notice) is kept like a page: unmarked, a CDN could keep it by
    its own heuristics, past a legal removal that turns it into a 404.
    """
    if response.status_code in (200, 410) and "Cache-Control" not in response:
        if outdated:
            response["Cache-Control"] = "public, max-age=0, s-maxage=0"
            return
        cdn = settings.PAGE_CDN_MAX_AGE
        value = f"public, max-age={settings.PAGE_BROWSER_MAX_AGE}, s-maxage={cdn}"
        stale = settings.PAGE_CDN_STALE_SECONDS
        if stale > 0 and settings.CDN_PURGE_BACKEND != "none":
            value += f", stale-while-revalidate={stale}"
        response["Cache-Control"] = value


SURROGATE_KEY_HEADER = "Surrogate-Key"


def surrogate_keys(request, group):
    """The keys a cache in front files this answer under: the site, its page-cache group
    (``story:<slug>``, ``home``, ``section:<slug>``...) and its language (``lang:fr-ca``).

    ``bump(groups)`` purges the same names, so they are the groups' names themselves.
    """
    keys = [SITE_GROUP, group]
    language = getattr(request, "LANGUAGE_CODE", "")
    if language:
        keys.append(f"lang:{language}")
    return [surrogate_key(key) for key in keys]


def surrogate_key(group):
    """A group's name as a surrogate key: ASCII without spaces or commas (what Varnish,
    Fastly and Cloudflare accept); slugs are ASCII already, anything else is %-quoted."""
    return quote(group, safe=":-_.")


# Callables given each public answer with its surrogate keys: on_public_answer().
_answer_hooks = []


def on_public_answer(callback):
    """Call ``callback(request, response, keys)`` for each public answer (the CDN's hooks)."""
    if callback not in _answer_hooks:
        _answer_hooks.append(callback)


def _answered(request, response, keys):
    for callback in _answer_hooks:
        try:
            callback(request, response, keys)
        except Exception:  # the answer goes out either way
            logger.exception("A page-cache answer hook failed")


PROXY_HEADER = "X-Accel-Expires"
# What the proxy may keep besides pages: the answers that replace a page it holds when the
# page goes away (404, 410) or moves (301). See the module's docstring.
PROXY_STATUSES = frozenset({200, 301, 404, 410})


def mark_for_proxy(request, response):
    """Let the proxy in front keep this public answer for ``PAGE_PROXY_SECONDS``.

    Only called for requests ``page_identity`` accepts (anonymous GET/HEAD of a cached
    view, allowed query parameters, no staff session). A request with any session cookie
    is left out too: nginx passes those to Django without looking at its cache, and a
    signed-in reader's answer is not one to hand to others.
    """
    seconds = settings.PAGE_PROXY_SECONDS
    if (
        seconds > 0
        and response.status_code in PROXY_STATUSES
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and same_for_everyone(response)
    ):
        response[PROXY_HEADER] = str(seconds)


class PageCacheMiddleware:
    """Serve public pages from the cache; store fresh ones; set CDN headers.

    Placed after LocaleMiddleware (the language is part of the key) and before
    ConditionalGetMiddleware's response phase does its work (ETags are stored with the
    page, so a 304 costs no hashing).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
            pending = getattr(request, "page_cache_pending", None)
            if pending is not None:
                key, generations, rendered_at, group = pending
                entry = store(key, generations, response, rendered_at, group)
                if entry is not None:
                    _local.put(key, entry)
                    response["ETag"] = entry["etag"]
                    response["Last-Modified"] = http_date(entry["last_modified"])
                    page_stored(response)
                elif getattr(request, "page_cache_lock", None):
                    # The page is gone (e.g. unpublished: 404): the outdated copy must not
                    # be handed out while the next request renders it again.
                    _cache().delete(_cache_key(key))
        finally:
            if getattr(request, "page_cache_lock", None):
                _cache().delete(request.page_cache_lock)
        if getattr(request, "page_cache_public", False):
            add_public_cache_headers(response, getattr(request, "page_cache_outdated", False))
            mark_for_proxy(request, response)
            keys = surrogate_keys(request, request.page_cache_group)
            response[SURROGATE_KEY_HEADER] = " ".join(keys)
            _answered(request, response, keys)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in CACHED_VIEWS:
            return None
        identity = page_identity(request, match.view_name, view_kwargs)
        if identity is None:
            return None
        request.page_cache_public = True
        request.page_cache_group = identity[1]
        if not settings.PAGE_CACHE_SECONDS:
            return None
        key, group = identity
        entry = _local.get(key)
        if entry is not None:
            metrics.page_cache("local")
            return response_from(entry)
        started = time.time()  # before the lookup: a vote from now on may miss the render
        entry, stale, generations = lookup(key, group)
        if entry is not None:
            _local.put(key, entry)
            metrics.page_cache("hit")
            return response_from(entry)
        if stale is not None:
            # Outdated: one request re-renders it while the others keep getting the old
            # copy for those few moments, instead of all rendering it at once.
            if not claim_render(key):
                request.page_cache_outdated = True
                metrics.page_cache("stale")
                return response_from(stale)
            request.page_cache_lock = _render_lock_key(key)
        metrics.page_cache("miss")
        # The page will be kept: it must be rendered from data that includes the change
        # behind its groups' last invalidation (generations are the bump's time in ns), so a
        # replica that has not replayed it yet is not read for this render.
        replicas.require_fresh_as_of(max(generations) / 1e9)
        request.page_cache_pending = (key, generations, started, group)
        return None
