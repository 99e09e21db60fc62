"""What the readers' live pages read: the coverage of a story, its pages of entries, its key
points and the small payload open pages poll. One query each, from the public entries only
(``LiveEntry.objects.public()``)."""

from django.conf import settings
from django.core.paginator import Paginator

from .models import LiveCoverage, LiveEntry

_UNSET = object()


def coverage_of(article):
    """The story's live coverage, or None; read once per story object."""
    found = getattr(article, "_live_coverage", _UNSET)
    if found is _UNSET:
        found = LiveCoverage.objects.filter(article_id=article.pk).first()
        article._live_coverage = found
        if found is not None and found.is_live:
            # The story page of a live story is kept by a CDN for seconds, not a minute.
            article.cdn_max_age = settings.LIVE_CDN_SECONDS
    return found


def public_entries(coverage):
    # Pinned entries first on every page: they are the ones the desk wants read.
    return (
        LiveEntry.objects.public().filter(coverage=coverage).for_page().order_by("-pinned", "-pk")
    )


def paginator(coverage):
    return Paginator(public_entries(coverage), settings.LIVE_PAGE_SIZE)


def first_page(coverage):
    """The entries the story page shows (the newest ``LIVE_PAGE_SIZE``, pinned first); read
    once per coverage object (the block and the JSON-LD both show them)."""
    if not hasattr(coverage, "_first_page"):
        coverage._first_page = list(public_entries(coverage)[: settings.LIVE_PAGE_SIZE + 1])
    return coverage._first_page[: settings.LIVE_PAGE_SIZE]


def has_older(coverage):
    first_page(coverage)
    return len(coverage._first_page) > settings.LIVE_PAGE_SIZE


def key_points(coverage):
    """The key point entries, newest first (``[(entry, summary)]``)."""
    return list(
        LiveEntry.objects.public()
        .filter(coverage=coverage, key_point=True)
        .order_by("-pk")
        .only("pk", "body", "posted_at")[:12]
    )


def page_of_entry(coverage, entry_id):
    """The number of the page (1, 2, …) that shows this public entry, or None."""
    entries = public_entries(coverage)
    entry = entries.filter(pk=entry_id).values("pk", "pinned").first()
    if entry is None:
        return None
    if entry["pinned"]:
        ahead = entries.filter(pinned=True, pk__gt=entry_id).count()
    else:
        ahead = (
            entries.filter(pinned=True).count()
            + entries.filter(pinned=False, pk__gt=entry_id).count()
        )
    return ahead // settings.LIVE_PAGE_SIZE + 1
