"""The demo's live story: a winter storm covered live, 20 updates over an afternoon, with key
points, a pinned entry and an edited one, so ``scripts/serve`` shows live coverage at once
(``manage.py load_live_demo``, after ``load_demo``: a story beyond the ``--articles`` asked
for). The demo reporter carries its byline, so they can post to it from the desk."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from articles.models import Article, Author, Byline, Photo, Section
from live.models import LiveCoverage, LiveEntry

SLUG = "winter-storm-live-updates"

# (minutes after the start, text, key point, pinned)
ENTRIES = [
    (0, "Environment Canada has issued a winter storm warning for Toronto, Hamilton and the Niagara region. Up to 30 cm of snow is expected by Wednesday morning.", True, False),
    (12, "Snow has started falling in Windsor and is moving northeast at about 40 km/h.", False, False),
    (25, "The City of Toronto says 600 plows and salt trucks are ready to go once 2 cm has accumulated.", False, False),
    (38, "Highway 401 westbound is slowing near Mississauga. Provincial police ask drivers to stay home if they can.", False, False),
    (51, "Toronto's public schools will close early at 1:30 p.m.; buses will run on the usual routes.", True, False),
    (64, "Pearson airport reports 140 cancelled departures so far. Check with your airline before leaving home.", True, False),
    (77, "A reader in Burlington sent in 8 cm on her back deck, measured at 2 p.m.", False, False),
    (90, "Hydro One reports about 12,000 customers without power, most of them in Halton and Niagara.", False, False),
    (103, "GO Transit is running a reduced schedule on the Lakeshore lines for the rest of the day.", False, False),
    (116, "Warming centres are open at Metro Hall and the Scarborough Civic Centre overnight.", True, False),
    (129, "The TTC says the Scarborough bus routes are running with delays of up to 30 minutes.", False, False),
    (142, "Provincial police have responded to 85 collisions in the Greater Toronto Area since noon; no serious injuries reported.", False, False),
    (155, "Snowfall rates of 3 to 5 cm an hour are now falling over Hamilton and the Niagara escarpment.", False, False),
    (168, "Hamilton has declared a significant weather event, which gives the city more time to clear side streets.", False, False),
    (181, "Hydro One: outages are down to 7,500 customers as crews restore lines in Oakville.", False, False),
    (194, "The QEW is closed in both directions at Grimsby after a multi-vehicle collision. Detours are in place.", True, False),
    (207, "Toronto's snow clearing will continue through the night; parking bans are in effect on snow routes.", False, False),
    (220, "The QEW has reopened at Grimsby in both directions.", False, False),
    (233, "Environment Canada now expects the snow to taper off after midnight, with 20 to 25 cm in total.", False, False),
    (246, "What to know tonight: schools, transit, warming centres and road closures are in the key points above. We will keep updating this page.", False, True),
]  # fmt: skip


def ensure_live_story():
    """Create the live story (once) and return it; None when there is no section yet."""
    existing = Article.objects.filter(language="en", slug=SLUG).first()
    if existing is not None:
        return existing
    section = Section.objects.filter(language="en", slug="canada").first()
    if section is None:
        return None
    now = timezone.now()
    start = now - timedelta(minutes=ENTRIES[-1][0] + 5)
    authors = list(Author.objects.exclude(user=None).order_by("pk")[:2]) or list(
        Author.objects.order_by("pk")[:2]
    )
    with transaction.atomic():
        story = Article.objects.create(
            headline="Winter storm hits southern Ontario: live updates",
            slug=SLUG,
            language="en",
            section=section,
            standfirst="Snow, cancelled flights and closed highways: the storm as it happens.",
            body="<p>A winter storm is crossing southern Ontario this afternoon and evening.</p>"
            "<h2>How to follow it</h2><p>This page follows the storm as it happens: the newest "
            "updates are at the top, and the key points just below this introduction.</p>",
            status=Article.Status.PUBLISHED,
            publish_at=start,
            lead_photo=Photo.objects.order_by("pk").first(),
        )
        story.tags.add("Weather", "Toronto")
        for position, author in enumerate(authors):
            Byline.objects.create(article=story, author=author, position=position)
        coverage = LiveCoverage.objects.create(article=story, started_at=start)
        for minutes, text, key_point, pinned in ENTRIES:
            entry = LiveEntry.objects.create(
                coverage=coverage,
                posted_at=start + timedelta(minutes=minutes),
                body=f"<p>{text}</p>",
                key_point=key_point,
                pinned=pinned,
            )
            if authors:
                entry.authors.set([authors[minutes // 13 % len(authors)]])
        # One update corrected after it went out, as readers will see it ("Updated …").
        corrected = coverage.entries.get(posted_at=start + timedelta(minutes=90))
        corrected.updated_at = start + timedelta(minutes=99)
        corrected.save(update_fields=["updated_at"])
    return story
