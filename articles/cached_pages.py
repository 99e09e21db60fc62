"""Which cached pages show a story, a photo, a section, an author, a tag or the front page.

The page cache (``newsroom.pagecache``) is a mechanism: it keeps pages in groups and bumps
the groups it is told to. This module says what those groups are for the newsroom's
content (as Wagtail's pages say their ``get_cached_paths``), and the receivers in
``articles.signal_handlers`` (connected in ``ArticlesConfig.ready()``) call it:

- a story is shown on its page and its history page (``story:<slug>``, its old addresses
  too), the corrections page, the home page,
  search, the sitemaps, its section's, tags' and authors' pages, and the pages of the
  stories whose related block lists it; the groups it appeared on before a change are
  remembered in the cache, so leaving a section or losing a tag clears that page too;
- a photo is shown wherever its stories are; a section is in every page's navigation;
- an author (name, bio, portrait) is shown on their page and on their stories' pages and
  listings; a tag's name on its page and on its stories' pages and listings;
- a story page is never kept past the next scheduled story's publish time.

Every invalidation runs after the transaction commits, from data already updated (the
search vectors first: ``articles.events``), so a page rendered from then on is current.
"""

import functools
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from newsroom import pagecache

logger = logging.getLogger(__name__)

# "corrections": the corrections page lists stories' corrections (a change to any story may
# add, change or, with the story, remove one there).
LISTINGS = ("home", "search", "corrections", pagecache.SITEMAPS_GROUP)


def story_group(slug):
    return f"story:{slug}"


def register():
    """Tell the page cache which views it caches and when pages change by themselves."""
    pagecache.cache_view("articles:home", lambda kwargs: "home")
    pagecache.cache_view("articles:detail", lambda kwargs: story_group(kwargs["slug"]))
    # A story's history changes with the story: the same group as its page.
    pagecache.cache_view("articles:history", lambda kwargs: story_group(kwargs["slug"]))
    pagecache.cache_view("articles:corrections", lambda kwargs: "corrections", ["page"])
    pagecache.cache_view("articles:section", lambda kwargs: f"section:{kwargs['slug']}", ["page"])
    pagecache.cache_view("articles:tag", lambda kwargs: f"tag:{kwargs['slug']}", ["page"])
    pagecache.cache_view("articles:author", lambda kwargs: f"author:{kwargs['slug']}", ["page"])
    pagecache.cache_view("articles:search", lambda kwargs: "search", ["q", "page"])
    # The sitemaps (articles.sitemaps, routed in newsroom/urls.py) list every public story.
    for name, params in (("sitemap-index", ()), ("sitemap-news", ()), ("sitemap-section", ["p"])):
        pagecache.cache_view(name, lambda kwargs: pagecache.SITEMAPS_GROUP, params)
    pagecache.register_expiry(None, seconds_until_next_scheduled_story)
    pagecache.on_page_stored(remember_story)


def seconds_until_next_scheduled_story():
    """Seconds until the next scheduled story goes live, or None if none is waiting."""
    from .models import Article

    next_time = (
        Article.objects.filter(status__in=Article.LIVE_STATUSES, publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    if next_time is None:
        return None
    return (next_time - timezone.now()).total_seconds()


# ---------------------------------------------------------------------------------------
# Stories


def groups_for(article):
    """The cache groups whose pages can show this story (from its current data)."""
    groups = {*LISTINGS, story_group(article.slug), f"section:{article.section.slug}"}
    groups.update(f"tag:{tag.slug}" for tag in article.tag_list())
    groups.update(f"author:{author.slug}" for author in article.byline_authors())
    return groups


def remember_story(response):
    """Record which listings a freshly rendered story appears on (for invalidation)."""
    article = (getattr(response, "context_data", None) or {}).get("article")
    if article is not None and getattr(article, "pk", None):
        pagecache.remember(article.pk, groups_for(article), public=True)


def groups_showing(article):
    """``groups_for`` plus the story's old addresses and the stories whose related block
    lists it (they show its headline and photo)."""
    from .models import RelatedArticle, RelatedPin, SlugRedirect

    groups = groups_for(article)
    groups.update(
        story_group(slug)
        for slug in SlugRedirect.objects.filter(article_id=article.pk).values_list(
            "old_slug", flat=True
        )
    )
    for model in (RelatedArticle, RelatedPin):
        groups.update(
            story_group(slug)
            for slug in model.objects.filter(related_id=article.pk).values_list(
                "article__slug", flat=True
            )
        )
    # Its original and translations link to it (language switcher, hreflang).
    groups.update(
        story_group(slug) for slug in article.translation_group().values_list("slug", flat=True)
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
        previous = pagecache.remembered(instance.pk)
        groups = groups_showing(instance) | set(previous["groups"] if previous else ())
        pagecache.remember(instance.pk, groups, public=True)
    except Exception:  # the invalidation after commit still clears everything it knows
        logger.exception("Could not note the pages of story %s before its deletion", instance.pk)


def invalidate_article(article_id, deleted=False):
    """Bump every group that showed or now shows the story; called after commit."""
    from .models import Article

    forget_slugs()  # the story may have been renamed or deleted
    previous = pagecache.remembered(article_id)
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
            pagecache.clear_all()  # we cannot tell where it was shown: start afresh
        else:
            pagecache.bump(*previous["groups"], pagecache.SITEMAPS_GROUP)
        pagecache.forget(article_id)
        return
    # A retracted story's address still shows its headline and note (a 410 kept like a
    # page), so its changes (a legal removal) must reach the cache like a live story's.
    public = article.is_on_record
    if not public and previous is not None and not previous["public"]:
        # A draft that readers never saw: nothing cached shows it. Only a shared record can
        # say so: with a memory cache per process (no Redis), this process's record may
        # predate a publication another process handled, and its listings would keep the
        # story (a Varnish test saw the home page keep an unpublished story).
        if pagecache.remembered_everywhere():
            return
    groups = groups_showing(article)
    pagecache.bump(*groups, *(previous["groups"] if previous else ()))
    # Remember everything bumped (old addresses, related-list holders too): the next change
    # bumps these pages as well, even if the story has left them by then.
    pagecache.remember(article_id, groups, public)


def invalidate_story_pages(article_ids):
    """Bump only the story pages of these stories (ratings summary, related list refresh).

    Public hook: code that changes what a story page shows outside ``Article.save()``
    (e.g. a related-list refresh) calls this after its transaction commits.
    """
    from .models import Article, SlugRedirect

    ids = list(article_ids)
    slugs = set(Article.objects.filter(pk__in=ids).values_list("slug", flat=True))
    slugs.update(SlugRedirect.objects.filter(article_id__in=ids).values_list("old_slug", flat=True))
    pagecache.bump(*(story_group(slug) for slug in slugs))


def invalidate_story_pages_and_lists(article_ids):
    for article_id in article_ids:
        on_article_changed(None, article_id)


def on_article_changed(sender, article_id, deleted=False, **kwargs):
    try:
        invalidate_article(article_id, deleted=deleted)
    except Exception:  # a cache or database hiccup must not fail the editor's save
        logger.exception("Could not invalidate cached pages for story %s", article_id)


def on_related_lists_changed(sender, article_ids, **kwargs):
    """A story's related block changed: its page (or, after a rebuild, every page) is stale."""
    if article_ids is None:
        pagecache.clear_all()
    else:
        invalidate_story_pages(article_ids)


@functools.lru_cache(maxsize=4096)
def story_group_of(article_id):
    """``story:<slug>`` of a story by id, or None. Kept: votes reach published stories only,
    and a published story's slug never changes, so a vote on the busy story costs no query.
    """
    from .models import Article

    slug = Article.objects.filter(pk=article_id).values_list("slug", flat=True).first()
    return None if slug is None else story_group(slug)


def forget_slugs():
    """Forget the story slugs kept for votes (a story changed; tests start afresh)."""
    story_group_of.cache_clear()
    pagecache.forget_noted()


# ---------------------------------------------------------------------------------------
# Stories in bulk: what an author or a tag change shows up on


def groups_of_stories(article_ids):
    """Every group showing any of these stories, in a fixed number of queries.

    Their pages and old addresses, their sections', tags' and authors' pages, and the home
    page, search and the sitemaps.
    """
    from .models import Article, Byline, SlugRedirect, TaggedArticle

    ids = list(article_ids)
    if not ids:
        return set()
    groups = set(LISTINGS)
    for slug, section in Article.objects.filter(pk__in=ids).values_list("slug", "section__slug"):
        groups.update({story_group(slug), f"section:{section}"})
    groups.update(
        story_group(slug)
        for slug in SlugRedirect.objects.filter(article_id__in=ids).values_list(
            "old_slug", flat=True
        )
    )
    groups.update(
        f"tag:{slug}"
        for slug in TaggedArticle.objects.filter(content_object_id__in=ids).values_list(
            "tag__slug", flat=True
        )
    )
    groups.update(
        f"author:{slug}"
        for slug in Byline.objects.filter(article_id__in=ids).values_list("author__slug", flat=True)
    )
    return groups


def invalidate_groups_and_stories(groups, article_ids):
    """Bump ``groups`` and every page showing these stories; called after commit."""
    try:
        pagecache.bump(*groups, *groups_of_stories(article_ids))
    except Exception:  # a cache or database hiccup must not fail the editor's save
        logger.exception("Could not invalidate cached pages for %s", sorted(groups))


def after_commit(groups, article_ids):
    transaction.on_commit(partial(invalidate_groups_and_stories, set(groups), list(article_ids)))


def on_navigation_changed(sender, **kwargs):
    """A section is in every page's navigation: every page is stale."""
    transaction.on_commit(pagecache.clear_all)
