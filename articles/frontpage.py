"""The home page's stories: editors' lead and top stories, the newest, and the sections.

Editors arrange the front page in the admin (``FrontPage`` and its ``FrontPageStory``
rows); a slot that is empty or past its expiry is filled with the newest stories, so the
page is never bare. Every story appears once on the page: the "Latest" rail and the section
blocks leave out what is already shown above them.

The page is built in a fixed number of queries whatever the size of the archive (asserted
in tests/articles/test_home.py), and it is the same for every reader, so the page cache
keeps it. Any change to the arrangement makes the cached home page stale at once
(``articles.signal_handlers``), and a cached copy never outlives the next expiry
(``seconds_until_next_expiry``, registered with ``newsroom.pagecache``).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from newsroom import pagecache

from . import languages
from .models import Article, FrontPage, FrontPageStory

TOP_STORIES = 4  # under the lead
LATEST_STORIES = 6  # in the "Latest" rail
STORIES_PER_SECTION = 3
# The newest stories read once, enough to fill every empty slot and the rail without repeats.
NEWEST_READ = 1 + TOP_STORIES + LATEST_STORIES + 8
CARD_DEFER = ("body", "search_vector")


@dataclass
class Home:
    lead: Article | None = None
    top: list = field(default_factory=list)
    latest: list = field(default_factory=list)
    sections: list = field(default_factory=list)  # [(section, [story, …]), …]
    breaking: FrontPage | None = None


def _live(until, now):
    return until is None or until > now


def build_home(now=None, language=languages.DEFAULT):
    """Everything the home page of ``language`` shows, in five queries: its own front page
    and its language's stories only."""
    now = timezone.now() if now is None else now
    published = Article.objects.published(now).in_language(language)
    front = (
        FrontPage.objects.filter(language=language)
        .select_related("lead__section", "lead__lead_photo")
        .defer(*(f"lead__{name}" for name in CARD_DEFER))
        .first()
    )
    picks = [
        pick.article
        for pick in FrontPageStory.objects.filter(
            front_page__language=language, article__in=published
        )
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .select_related("article__section", "article__lead_photo")
        .defer(*(f"article__{name}" for name in CARD_DEFER))
        .order_by("position", "pk")
    ]
    newest = list(published.for_cards().latest_first()[:NEWEST_READ])

    home = Home()
    if front is not None:
        lead = front.lead
        if (
            lead is not None
            and lead.is_published
            and lead.language == language
            and _live(front.lead_until, now)
        ):
            home.lead = lead
        if front.breaking_text and _live(front.breaking_until, now):
            home.breaking = front
    if home.lead is None:
        home.lead = automatic_lead(newest, now)
    shown = {home.lead.pk} if home.lead else set()
    for story in [*picks, *newest]:
        if len(home.top) == TOP_STORIES:
            break
        if story.pk not in shown:
            home.top.append(story)
            shown.add(story.pk)
    home.latest = [story for story in newest if story.pk not in shown][:LATEST_STORIES]
    shown.update(story.pk for story in home.latest)
    home.sections = _section_blocks(published, shown)
    return home


def automatic_lead(newest, now):
    """The lead when editors chose none (the rule ``FrontPage.automatic_lead_rule()`` tells
    them): the newest "lead story" candidate published in the last
    ``FRONT_PAGE_LEAD_HOURS`` hours, else the newest story. A candidate older than that
    never leads above fresher news, however important it was two days ago.

    ``newest`` is the page's read of the newest stories (``NEWEST_READ`` of them, newest
    first), so the rule costs no query of its own.
    """
    if not newest:
        return None
    since = now - timedelta(hours=settings.FRONT_PAGE_LEAD_HOURS)
    recent = (story for story in newest if story.publish_at >= since)
    return next((story for story in recent if story.featured), newest[0])


def _section_blocks(published, shown):
    """The newest few stories of every section not shown above, in one query."""
    stories = (
        published.exclude(pk__in=shown)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("publish_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=STORIES_PER_SECTION)
        .for_cards()
        .order_by("section__position", "section__name", "rank")
    )
    blocks = {}
    for story in stories:
        blocks.setdefault(story.section, []).append(story)
    return list(blocks.items())


# ---------------------------------------------------------------------------------------
# Keeping the cached home page right


def seconds_until_next_expiry():
    """Seconds until the lead, a top story or the banner of any language expires, or None."""
    now = timezone.now()
    times = [
        moment
        for pair in FrontPage.objects.values_list("lead_until", "breaking_until")
        for moment in pair
    ]
    times += (
        FrontPageStory.objects.filter(until__gt=now)
        .order_by("until")
        .values_list("until", flat=True)[:1]
    )
    upcoming = [t for t in times if t is not None and t > now]
    if not upcoming:
        return None
    return (min(upcoming) - now).total_seconds()


def home_changed(**kwargs):
    """The front page or one of its stories changed: the home page is stale after commit."""
    transaction.on_commit(partial(pagecache.bump, "home"))


def footer_changed(**kwargs):
    """A site page changed: every page's footer links to these pages."""
    from .models.pages import footer_cache_key

    def clear():
        from django.core.cache import cache

        cache.delete_many([footer_cache_key(code) for code in languages.CODES])
        pagecache.clear_all()

    transaction.on_commit(clear)


def register_expiry():
    """The home page is never kept past the next expiry of its lead, top stories or banner."""
    pagecache.register_expiry("home", seconds_until_next_expiry)
