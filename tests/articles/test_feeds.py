"""RSS 2.0 and Atom feeds, read with a real feed parser the way feed readers read them."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.ca"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def test_latest_rss_lists_published_stories_newest_first(client):
    now = timezone.now()
    older = ArticleFactory(headline="Older story", publish_at=now - timedelta(hours=5))
    newer = ArticleFactory(headline="Newer story", publish_at=now - timedelta(hours=1))
    ArticleFactory(headline="A draft", status=Article.Status.DRAFT, publish_at=None)
    ArticleFactory(
        headline="Embargoed",
        status=Article.Status.SCHEDULED,
        publish_at=now + timedelta(hours=1),
    )
    response, feed = parse(client, "/feeds/latest/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert [e.title for e in feed.entries] == [newer.headline, older.headline]
    assert feed.entries[0].link == f"{SITE}{newer.get_absolute_url()}"
    assert feed.feed.link == f"{SITE}/"


def test_entries_carry_dates_authors_summary_and_categories(client):
    published = datetime(2026, 2, 3, 14, 30, tzinfo=UTC)
    author = AuthorFactory(name="Amara Singh")
    article = ArticleFactory(
        headline="Ice roads open early",
        standfirst="Warm weather had delayed the season.",
        publish_at=published,
        authors=[author],
        section=SectionFactory(name="North"),
        tags=["Arctic"],
    )
    for url in ("/feeds/latest/rss/", "/feeds/latest/atom/"):
        _, feed = parse(client, url)
        [entry] = feed.entries
        assert entry.title == article.headline
        assert entry.summary == "Warm weather had delayed the season."
        assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == published
        assert entry.author == "Amara Singh"
        assert {t.term for t in entry.tags} == {"North", "Arctic"}


def test_atom_entry_is_updated_when_the_story_was_revised(client, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 15, 0, tzinfo=UTC), tick=False)
    article = ArticleFactory(publish_at=timezone.now() - timedelta(hours=3))
    time_machine.move_to(datetime(2026, 3, 2, 16, 0, tzinfo=UTC), tick=False)
    article.body += "<p>Updated with comment from the minister.</p>"
    article.describe_change("update", "Adds comment from the minister.")
    article.save()
    response, feed = parse(client, "/feeds/latest/atom/")
    assert feed.version == "atom10"
    [entry] = feed.entries
    assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == datetime(
        2026, 3, 2, 12, 0, tzinfo=UTC
    )
    assert datetime(*entry.updated_parsed[:6], tzinfo=UTC) == datetime(
        2026, 3, 2, 16, 0, tzinfo=UTC
    )
    assert response["Last-Modified"] == "Mon, 02 Mar 2026 16:00:00 GMT"


@pytest.mark.parametrize("url", ["/feeds/latest/rss/", "/feeds/latest/atom/"])
def test_lead_photo_is_an_enclosure_and_a_media_element(client, url):
    now = timezone.now()
    ArticleFactory(lead_photo=PhotoFactory(), publish_at=now - timedelta(hours=1))
    ArticleFactory(publish_at=now - timedelta(hours=2))  # no photo, no enclosure
    _, feed = parse(client, url)
    with_photo, without = feed.entries
    [enclosure] = with_photo.enclosures
    assert enclosure.href.startswith(f"{SITE}/media/") and enclosure.href.endswith(".jpg")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 1000  # the real size of the rendition file
    [media] = with_photo.media_content
    assert media["url"] == enclosure.href
    assert (media["width"], media["height"], media["medium"]) == ("960", "640", "image")
    assert with_photo.media_credit[0]["content"] == "THE CANADIAN PRESS/Darryl Dyck"
    assert without.enclosures == [] and "media_content" not in without


def test_section_tag_and_author_feeds_hold_only_their_stories(client):
    canada = SectionFactory(name="Canada", slug="canada")
    author = AuthorFactory(slug="priya-patel", name="Priya Patel")
    mine = ArticleFactory(headline="Mine", section=canada, tags=["Housing"], authors=[author])
    ArticleFactory(headline="Other", tags=["Hockey"])
    for kind, slug in [("section", "canada"), ("tag", "housing"), ("author", "priya-patel")]:
        for fmt in ("rss", "atom"):
            _, feed = parse(client, f"/feeds/{kind}/{slug}/{fmt}/")
            assert [e.title for e in feed.entries] == [mine.headline], (kind, fmt)
    _, feed = parse(client, "/feeds/section/canada/rss/")
    assert feed.feed.title == "The Maple Ledger: Canada"
    assert feed.feed.link == f"{SITE}/section/canada/"


@pytest.mark.parametrize(
    "url", ["/feeds/section/nope/rss/", "/feeds/tag/nope/atom/", "/feeds/author/nope/rss/"]
)
def test_feeds_of_unknown_things_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_feed_headlines_are_escaped_once(client):
    ArticleFactory(headline="Q&A: <Budget> explained")
    response, feed = parse(client, "/feeds/latest/rss/")
    assert feed.entries[0].title == "Q&A: <Budget> explained"
    assert b"<Budget>" not in response.content


def test_pages_advertise_their_feeds(client):
    section = SectionFactory(slug="world", name="World")
    ArticleFactory(section=section)
    home = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in home
    assert 'href="/feeds/latest/rss/"' in home and 'href="/feeds/latest/atom/"' in home
    page = client.get("/section/world/").content.decode()
    assert 'href="/feeds/section/world/rss/"' in page
    assert 'href="/feeds/section/world/atom/"' in page


def _feed_queries(client, count, django_assert_max_num_queries):
    section = SectionFactory()
    for n in range(count):
        ArticleFactory(
            section=section,
            lead_photo=PhotoFactory(),
            tags=[f"Tag {n}"],
            authors=[AuthorFactory(), AuthorFactory()],
        )
    with django_assert_max_num_queries(4):
        _, feed = parse(client, "/feeds/latest/rss/")
    assert len(feed.entries) == count


def test_feed_query_count_does_not_grow_with_stories(client, django_assert_max_num_queries):
    _feed_queries(client, 3, django_assert_max_num_queries)
    Article.objects.all().delete()
    _feed_queries(client, 12, django_assert_max_num_queries)
