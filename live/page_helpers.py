"""What the readers' pages call for live coverage (``newsroom.templating`` hands it over),
and the story page's live block (``articles.page_helpers.register_story_part``)."""

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.embed_facade import embed_facades
from articles.embeds import embed_or_link_html
from articles.paths import path

from . import pages

TEMPLATE = "live/_coverage.html"


def coverage_block(article):
    """The template of the story page's live block, for a story with live coverage."""
    return TEMPLATE if pages.coverage_of(article) is not None else None


def entry_time(moment, now=None):
    """ "10:32 a.m." for today, "Dec. 6, 10:32 a.m." before: a live entry's time, in a
    ``<time>`` element."""
    local = timezone.localtime(moment)
    today = timezone.localtime(now or timezone.now()).date()
    if local.date() == today:
        # Translators: a Django "date" format for a live update's time today, e.g. "10:32 a.m.".
        text = date_format(local, _("P"))
    else:
        # Translators: a Django "date" format for a live update's time on another day, e.g.
        # "Dec. 6, 10:32 a.m.".
        text = date_format(local, _("N j, P"))
    return format_html('<time datetime="{}">{}</time>', local.isoformat(timespec="seconds"), text)


def live_page(article, page=None):
    """Everything the live block shows: the coverage, its entries (page 1 unless ``page``),
    the key points, and the addresses and words the script needs."""
    coverage = pages.coverage_of(article)
    if page is None:
        entries = pages.first_page(coverage)
        has_older = pages.has_older(coverage)
    else:
        entries = list(page.object_list)
        has_older = page.has_next()
    shown = {entry.pk for entry in entries}
    key_points = [
        (entry, f"#{entry.anchor}" if entry.pk in shown else permalink(article, entry))
        for entry in pages.key_points(coverage)
    ]
    return {
        "coverage": coverage,
        "entries": entries,
        # The story page loads the players' script for its body's embeds; the updates' own
        # need it otherwise, and so may the updates still to come while the coverage is live
        # (the script also plays players inserted after the page loaded).
        "needs_embed_script": (
            has_embeds(entries) or (page is None and coverage is not None and coverage.is_live)
        )
        and (page is not None or "data-embed-provider" not in (article.body or "")),
        "key_points": key_points,
        "has_older": has_older,
        "older_url": path("live:page", article.slug) + "?page=2" if page is None else None,
        "updates_url": path("live:updates", article.slug),
        "feed_url": path("live:feed", article.slug),
        "poll_seconds": settings.LIVE_POLL_SECONDS,
        "new_words": [
            ngettext("%(n)s new update", "%(n)s new updates", 1),
            ngettext("%(n)s new update", "%(n)s new updates", 2),
        ],
    }


def entry_body(entry):
    """The entry's text with its embeds as click-to-load players (ids unique to the entry)."""
    return embed_facades(entry.body, f"{entry.anchor}-embed")


def entry_link(entry):
    """The entry's link: a click-to-load player for an allowed video or audio host (YouTube,
    Vimeo…, ``articles.embeds``), else a plain link."""
    if not entry.link:
        return ""
    return embed_facades(embed_or_link_html(entry.link), f"{entry.anchor}-link")


def has_embeds(entries):
    return any(
        "data-embed-provider" in entry.body or (entry.link and "data-embed" in entry_link(entry))
        for entry in entries
    )


def permalink(article, entry):
    """The address that finds an entry whatever page it has moved to."""
    return path("live:entry", article.slug, entry.pk)


TEMPLATE_GLOBALS = {
    "live_page": live_page,
    "live_entry_body": entry_body,
    "live_entry_link": entry_link,
    "live_entry_time": entry_time,
    "live_permalink": permalink,
}
