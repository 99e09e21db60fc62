"""Whole-page cache for the public pages, with targeted invalidation.

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

When a story changes (``articles.signals.article_changed``, sent after commit) its page,
the home page, search, the sitemaps, and the section, tag and author pages it appears on
are bumped, including the ones it appeared on before the change (remembered per story).

Votes do not bump anything: on the story that is busiest, that would turn most requests
into renders. A vote (``ratings.signals.rating_changed``) only records when the story's
numbers last changed; a stored story page rendered before that time is served for at most
``PAGE_RATINGS_LAG_SECONDS`` after its render, then re-rendered by one request (the
stampede rule below). So the numbers on the page lag the votes by at most that long, a
story re-renders for votes at most once per interval, and a story nobody votes on keeps
its page for the full ``PAGE_CACHE_SECONDS``. The vote time is read in the same round trip
as the page, and written at most once a second per worker (``NOTE_AHEAD_SECONDS``).

Stampedes: when a busy page is invalidated, the first request to miss re-renders it
and, for those few moments (at most ``PAGE_CACHE_RENDER_LOCK_SECONDS``), the others get
the outdated copy instead of all rendering the same page at once.

Scheduled stories: a page is never kept past the next scheduled publish time, so a
story whose time has come is not hidden by a cached home or section page. Apps register
other times at which a group's pages change by themselves with ``register_expiry`` (the
front page's expiring lead, top stories and banner: ``articles.frontpage``).

If the cache is down (django-redis ``IGNORE_EXCEPTIONS``), every lookup is a miss and
pages are rendered fresh: slower, never broken.

Hot pages: each worker process also keeps the pages it served for
``PAGE_CACHE_LOCAL_SECONDS`` (1 s by default with Redis), so a story that thousands of
readers open at once costs no Redis round trip per request. An invalidation clears the
local copies in the worker that made it at once, and in the others within that second.

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

import functools
import hashlib
import logging
import time
from functools import partial
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date

logger = logging.getLogger(__name__)

KEY_PREFIX = "pagecache"
SITE_GROUP = "site"
# Headers worth keeping with a cached page; the rest are added again on the way out.
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "Link", "X-Robots-Tag")
# Sitemaps list every public story: they are invalidated with the pages, never left to
# expire (a sitemap kept ten minutes once showed unpublished headlines that long).
SITEMAPS_GROUP = "sitemaps"

# A page number in the key must be written the one way (no "01", "+1", "1.0", huge): any
# other spelling is rendered fresh and not kept, so random values cannot fill the cache.
# A page past the last is a 404, which is never kept either.
_PAGE_PARAMETERS = ("page", "p")
_MAX_PAGE_DIGITS = 6
# Search answers are kept in at most this many entries (slots picked by a hash of the
# query and page; a newer answer replaces the one in its slot), so any number of distinct
# queries costs a bounded amount of memory. Queries longer than this are not kept at all.
DEFAULT_SEARCH_SLOTS = 1000
MAX_KEPT_QUERY_LENGTH = 200

# URL name → (query parameters that are part of the key, how to name the page's group).
DEFAULT_CACHED_VIEWS = {
    "articles:home": ((), lambda kwargs: "home"),
    "articles:detail": ((), lambda kwargs: f"story:{kwargs['slug']}"),  # both languages
    "articles:section": (("page",), lambda kwargs: f"section:{kwargs['slug']}"),
    "articles:tag": (("page",), lambda kwargs: f"tag:{kwargs['slug']}"),
    "articles:author": (("page",), lambda kwargs: f"author:{kwargs['slug']}"),
    "articles:search": (("q", "page"), lambda kwargs: "search"),
    "sitemap-index": ((), lambda kwargs: SITEMAPS_GROUP),
    "sitemap-news": ((), lambda kwargs: SITEMAPS_GROUP),
    "sitemap-section": (("p",), lambda kwargs: SITEMAPS_GROUP),
}


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _gen_key(group):
    return f"{KEY_PREFIX}:gen:{group}"


def _page_key(host, language, path, params):
    raw = "\n".join([host, language or "", path, *(f"{k}={v}" for k, v in params)])
    return f"{KEY_PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _deps_key(article_id):
    return f"{KEY_PREFIX}:deps:{article_id}"


def _votes_key(group):
    """When the numbers of the story in ``group`` (``story:<slug>``) last changed."""
    return f"{KEY_PREFIX}:votes:{group}"


def _new_generation():
    return time.time_ns()


def bump(*groups):
    """Make every cached page of these groups stale."""
    groups = set(groups)
    if groups:
        _local.clear()
        _cache().set_many({_gen_key(g): _new_generation() for g in groups}, timeout=None)


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
# Which requests are served from the cache


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
    views = getattr(settings, "PAGE_CACHE_VIEWS", DEFAULT_CACHED_VIEWS)
    if request.method not in ("GET", "HEAD") or view_name not in views:
        return None
    allowed, group_of = views[view_name]
    if any(name not in allowed for name in request.GET):
        return None
    if _is_staff_session(request):
        return None
    params = [(name, request.GET.get(name, "")) for name in allowed if name in request.GET]
    if not all(_keepable(name, value) for name, value in params):
        return None
    key = _page_key(request.get_host(), getattr(request, "LANGUAGE_CODE", ""), request.path, params)
    if "q" in allowed:
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
    if name == "q":
        return len(value) <= MAX_KEPT_QUERY_LENGTH
    return True


# A slotted key is "<the cache key of the slot>|<the page's own key>": the entry in the slot
# is this page only if it carries the page's own key.
_SLOT_SEPARATOR = "|"


def _slotted(key):
    slots = getattr(settings, "PAGE_CACHE_SEARCH_SLOTS", DEFAULT_SEARCH_SLOTS)
    digest = key.rsplit(":", 1)[1]
    return f"{KEY_PREFIX}:slot:{int(digest, 16) % slots}{_SLOT_SEPARATOR}{key}"


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


def seconds_until_next_scheduled_story():
    """Seconds until the next scheduled story goes live, or None if none is waiting."""
    from articles.models import Article

    next_time = (
        Article.objects.filter(status__in=Article.LIVE_STATUSES, publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    if next_time is None:
        return None
    return (next_time - timezone.now()).total_seconds()


# Group → callables giving the seconds until that group's pages change by themselves
# (e.g. the home page's banner expiring), or None. Apps register them: register_expiry().
_expiry_sources = {}


def register_expiry(group, seconds_until_change):
    """Never keep a page of ``group`` past the time ``seconds_until_change()`` returns."""
    _expiry_sources.setdefault(group, []).append(seconds_until_change)


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


def store(key, generations, response, rendered_at, group=None):
    """Keep a rendered page; returns the entry (or None when the page is not cacheable)."""
    if response.status_code != 200 or not same_for_everyone(response):
        return None
    timeout = settings.PAGE_CACHE_SECONDS
    for until_next in (
        seconds_until_next_scheduled_story(),
        *(source() for source in _expiry_sources.get(group, ())),
    ):
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
    }
    _cache().set(_cache_key(key), entry, timeout)
    return entry


def response_from(entry):
    response = HttpResponse(entry["content"])
    for header, value in entry["headers"].items():
        response[header] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    return response


def add_public_cache_headers(response):
    """Cache-Control for a CDN in front: shared caches keep the page briefly, browsers check."""
    if response.status_code == 200 and "Cache-Control" not in response:
        cdn = settings.PAGE_CDN_MAX_AGE
        response["Cache-Control"] = (
            f"public, max-age={settings.PAGE_BROWSER_MAX_AGE}, s-maxage={cdn}, "
            f"stale-while-revalidate={cdn}"
        )


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
                    self.remember_story(response)
                elif getattr(request, "page_cache_lock", None):
                    # The page is gone (e.g. unpublished: 404): the outdated copy must not
                    # be handed out while the next request renders it again.
                    _cache().delete(_cache_key(key))
        finally:
            if getattr(request, "page_cache_lock", None):
                _cache().delete(request.page_cache_lock)
        if getattr(request, "page_cache_public", False):
            add_public_cache_headers(response)
            mark_for_proxy(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        views = getattr(settings, "PAGE_CACHE_VIEWS", DEFAULT_CACHED_VIEWS)
        if match is None or match.view_name not in views:
            return None
        identity = page_identity(request, match.view_name, view_kwargs)
        if identity is None:
            return None
        request.page_cache_public = True
        if not settings.PAGE_CACHE_SECONDS:
            return None
        key, group = identity
        entry = _local.get(key)
        if entry is not None:
            return response_from(entry)
        started = time.time()  # before the lookup: a vote from now on may miss the render
        entry, stale, generations = lookup(key, group)
        if entry is not None:
            _local.put(key, entry)
            return response_from(entry)
        if stale is not None:
            # Outdated: one request re-renders it while the others keep getting the old
            # copy for those few moments, instead of all rendering it at once.
            if not claim_render(key):
                return response_from(stale)
            request.page_cache_lock = _render_lock_key(key)
        request.page_cache_pending = (key, generations, started, group)
        return None

    @staticmethod
    def remember_story(response):
        """Record which listings a freshly rendered story appears on (for invalidation)."""
        article = (getattr(response, "context_data", None) or {}).get("article")
        if article is not None and getattr(article, "pk", None):
            record_groups(article.pk, groups_for(article), public=True)


# ---------------------------------------------------------------------------------------
# Invalidation


def groups_for(article):
    """The cache groups whose pages can show this story (from its current data)."""
    groups = {
        "home",
        "search",
        SITEMAPS_GROUP,
        f"story:{article.slug}",
        f"section:{article.section.slug}",
    }
    groups.update(f"tag:{tag.slug}" for tag in article.tag_list())
    groups.update(f"author:{author.slug}" for author in article.byline_authors())
    return groups


def record_groups(article_id, groups, public):
    _cache().set(_deps_key(article_id), {"groups": sorted(groups), "public": public}, timeout=None)


def groups_showing(article):
    """``groups_for`` plus the story's old addresses and the stories whose related block
    lists it (they show its headline and photo)."""
    from articles.models import RelatedArticle, RelatedPin, SlugRedirect

    groups = groups_for(article)
    groups.update(
        f"story:{slug}"
        for slug in SlugRedirect.objects.filter(article_id=article.pk).values_list(
            "old_slug", flat=True
        )
    )
    for model in (RelatedArticle, RelatedPin):
        groups.update(
            f"story:{slug}"
            for slug in model.objects.filter(related_id=article.pk).values_list(
                "article__slug", flat=True
            )
        )
    # Its original and translations link to it (language switcher, hreflang).
    groups.update(
        f"story:{slug}" for slug in article.translation_group().values_list("slug", flat=True)
    )
    return groups


def on_article_deleting(sender, instance, **kwargs):
    """Note every page that shows a story about to be deleted, by whatever path.

    After the delete its tags, bylines, old addresses and the related lists naming it are
    gone with it, so the invalidation that follows the commit (``invalidate_article`` with
    ``deleted``) could only use what was recorded at its last render or save; a related list
    the worker wrote since would be missed. A rolled-back delete leaves a wider record: at
    worst a few extra pages are rendered again after the story's next change.
    """
    try:
        previous = _cache().get(_deps_key(instance.pk))
        groups = groups_showing(instance) | set(previous["groups"] if previous else ())
        record_groups(instance.pk, groups, public=True)
    except Exception:  # the invalidation after commit still clears everything it knows
        logger.exception("Could not note the pages of story %s before its deletion", instance.pk)


def invalidate_article(article_id, deleted=False):
    """Bump every group that showed or now shows the story; called after commit."""
    from articles.models import Article

    forget_slugs()  # the story may have been renamed or deleted
    previous = _cache().get(_deps_key(article_id))
    article = (
        None
        if deleted
        else Article.objects.filter(pk=article_id)
        .select_related("section")
        .prefetch_related("tags", "bylines__author")
        .first()
    )
    if article is None:
        if previous is None:
            clear_all()  # we cannot tell where it was shown: start afresh
        else:
            bump(*previous["groups"], SITEMAPS_GROUP)
        _cache().delete(_deps_key(article_id))
        return
    public = article.is_published
    if not public and previous is not None and not previous["public"]:
        return  # a draft that readers never saw: nothing cached shows it
    groups = groups_showing(article)
    bump(*groups, *(previous["groups"] if previous else ()))
    # Remember everything bumped (old addresses, related-list holders too): the next change
    # bumps these pages as well, even if the story has left them by then.
    record_groups(article_id, groups, public)


def invalidate_story_pages(article_ids):
    """Bump only the story pages of these stories (ratings summary, related list refresh).

    Public hook: code that changes what a story page shows outside ``Article.save()``
    (e.g. a related-list refresh) calls this after its transaction commits.
    """
    from articles.models import Article, SlugRedirect

    ids = list(article_ids)
    slugs = set(Article.objects.filter(pk__in=ids).values_list("slug", flat=True))
    slugs.update(SlugRedirect.objects.filter(article_id__in=ids).values_list("old_slug", flat=True))
    bump(*(f"story:{slug}" for slug in slugs))


def on_article_changed(sender, article_id, deleted=False, **kwargs):
    try:
        invalidate_article(article_id, deleted=deleted)
    except Exception:  # a cache or database hiccup must not fail the editor's save
        logger.exception("Could not invalidate cached pages for story %s", article_id)


# A busy story's votes need not each write to Redis: the time written is a little ahead of
# now, so it also covers every vote until then, and each worker writes at most once in that
# span. A page rendered in the span counts as older than the votes: re-rendered once more.
NOTE_AHEAD_SECONDS = 1.0
_noted_until = {}  # story id → the time this process last wrote for it


def note_new_numbers(article_id):
    """Record that a story's rating numbers changed now (see the module's docstring)."""
    now = time.time()
    if _noted_until.get(article_id, 0.0) > now:
        return  # this process already wrote a later time, which covers this vote
    slug = _slug_of(article_id)
    if slug is None:
        return
    lag = settings.PAGE_RATINGS_LAG_SECONDS
    noted = now + NOTE_AHEAD_SECONDS
    # Kept as long as a page rendered before it can live, so no old page looks current.
    _cache().set(_votes_key(f"story:{slug}"), noted, timeout=settings.PAGE_CACHE_SECONDS + lag + 2)
    if len(_noted_until) > 10_000:  # one entry per story voted on: keep it small
        _noted_until.clear()
    _noted_until[article_id] = noted


@functools.lru_cache(maxsize=4096)
def _slug_of(article_id):
    # Votes reach published stories only, and a published story's slug never changes, so
    # the answer can be kept: a vote on the busy story costs no query here.
    from articles.models import Article

    return Article.objects.filter(pk=article_id).values_list("slug", flat=True).first()


def forget_slugs():
    """Forget the story slugs kept for votes (a story changed; tests start afresh)."""
    _slug_of.cache_clear()
    _noted_until.clear()


def on_rating_changed(sender, article_id, **kwargs):
    if not settings.PAGE_CACHE_SECONDS:
        return
    try:
        note_new_numbers(article_id)
    except Exception:
        logger.exception("Could not note the new numbers of story %s", article_id)


def on_photo_saved(sender, instance, created, **kwargs):
    if created:
        return
    ids = list(instance.articles.values_list("pk", flat=True))
    if ids:
        transaction.on_commit(partial(invalidate_story_pages_and_lists, ids))


def invalidate_story_pages_and_lists(article_ids):
    for article_id in article_ids:
        on_article_changed(None, article_id)


def on_related_lists_changed(sender, article_ids, **kwargs):
    """A story's related block changed: its page (or, after a rebuild, every page) is stale."""
    if article_ids is None:
        clear_all()
    else:
        invalidate_story_pages(article_ids)


def on_navigation_changed(sender, **kwargs):
    transaction.on_commit(clear_all)


def connect_signals():
    """Wire invalidation to the signals of the apps that change what pages show."""
    from django.db.models.signals import post_delete, post_save, pre_delete

    from articles.models import Article, Photo, Section
    from articles.signals import article_changed, related_lists_changed
    from ratings.signals import rating_changed

    article_changed.connect(on_article_changed, dispatch_uid="pagecache-article")
    related_lists_changed.connect(on_related_lists_changed, dispatch_uid="pagecache-related")
    pre_delete.connect(on_article_deleting, sender=Article, dispatch_uid="pagecache-article-del")
    post_save.connect(on_photo_saved, sender=Photo, dispatch_uid="pagecache-photo")
    post_save.connect(on_navigation_changed, sender=Section, dispatch_uid="pagecache-section")
    post_delete.connect(on_navigation_changed, sender=Section, dispatch_uid="pagecache-section-del")
    rating_changed.connect(on_rating_changed, dispatch_uid="pagecache-rating")
