"""The readers' live addresses: the update endpoint open pages poll, the older entries'
pages, each entry's permalink, and the feed. Every one starts from the published story in
the address's language and the public entries (``LiveEntry.objects.public()``)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles import languages
from articles.models import Article
from articles.paths import path
from articles.structured_data import absolute_url
from articles.views import requested_page

from . import pages
from .page_helpers import live_page, permalink


def _live_story(slug):
    """The published story at ``slug`` in the page's language with its coverage, or 404."""
    article = (
        Article.objects.published()
        .in_language(languages.current())
        .filter(slug=slug, live_coverage__isnull=False)
        .select_related("section", "live_coverage")
        .first()
    )
    if article is None:
        raise Http404("No live story at this address.")
    article._live_coverage = article.live_coverage
    return article


def cdn_cache_control(response):
    """Shared caches (a CDN) may keep it ``LIVE_CDN_SECONDS``; browsers always ask again."""
    seconds = settings.LIVE_CDN_SECONDS
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={seconds}"
    )
    return response


def updates(request, slug):
    """What an open page needs to catch up: the entries of the first page, each with its
    version and HTML, the key points and whether the coverage has ended. The same answer for
    every reader (no query parameter), so the page cache, nginx and a CDN all keep it."""
    article = _live_story(slug)
    context = live_page(article)
    # Rendered without the request: the context processors (the navigation's queries) are
    # for whole pages, and would run once per entry.
    template = get_template("live/_entry.html", using="jinja2")
    entries = [
        {
            "id": entry.pk,
            "version": entry.version,
            "pinned": entry.pinned,
            "html": template.render({"entry": entry, "article": article}),
        }
        for entry in context["entries"]
    ]
    payload = {
        "ended": not context["coverage"].is_live,
        "entries": entries,
        "full": len(entries) >= settings.LIVE_PAGE_SIZE,
        "key_points": render_to_string("live/_key_points.html", context, using="jinja2"),
    }
    response = JsonResponse(payload)
    return cdn_cache_control(response)


def older(request, slug):
    """Page 2, 3… of a story's entries (page 1 is on the story page itself)."""
    article = _live_story(slug)
    page = requested_page(pages.paginator(article._live_coverage), request.GET.get("page"))
    if page.number == 1:
        return redirect(article.get_absolute_url())
    context = live_page(article, page)
    context.update(article=article, page_obj=page)
    return cdn_cache_control(render(request, "live/older.html", context))


def entry(request, slug, entry_id):
    """An entry's permalink: the page that shows it now, at its anchor."""
    article = _live_story(slug)
    number = pages.page_of_entry(article._live_coverage, entry_id)
    if number is None:
        raise Http404("No such update.")
    if number == 1:
        target = article.get_absolute_url()
    else:
        target = f"{path('live:page', article.slug)}?page={number}"
    return redirect(f"{target}#entry-{entry_id}")


class EntriesFeed(Feed):
    """The latest entries of one live story, in Atom (feed readers, and newsroom tools)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return _live_story(slug)

    def title(self, article):
        return _("Live: %(headline)s") % {"headline": article.headline}

    def link(self, article):
        return article.get_absolute_url()

    def subtitle(self, article):
        return article.standfirst or article.excerpt

    def items(self, article):
        entries = pages.public_entries(article._live_coverage).order_by("-pk")
        entries = list(entries[: settings.LIVE_PAGE_SIZE])
        for entry in entries:
            entry.coverage.article = article  # the addresses below: no query per entry
        return entries

    def item_title(self, entry):
        return entry.summary

    def item_description(self, entry):
        return entry.body

    def item_link(self, entry):
        return absolute_url(permalink(entry.coverage.article, entry))

    def item_guid(self, entry):
        return absolute_url(permalink(entry.coverage.article, entry))

    def item_pubdate(self, entry):
        return entry.posted_at

    def item_updateddate(self, entry):
        return entry.updated_at or entry.posted_at

    def item_author_name(self, entry):
        return ", ".join(author.name for author in entry.authors.all()) or None

    def __call__(self, request, *args, **kwargs):
        return cdn_cache_control(super().__call__(request, *args, **kwargs))
