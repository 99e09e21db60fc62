"""Sitemaps and robots.txt tell search engines and Google News what to crawl."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import (
    AuthorSitemap,
    NewsSitemap,
    SectionSitemap,
    StorySitemap,
    TagSitemap,
)
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.ca"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def fetch_xml(client, url):
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own output


def locations(root):
    return [loc.text for loc in root.iterfind("sm:url/sm:loc", NS)]


def test_index_lists_every_sitemap_and_each_one_parses(client):
    ArticleFactory(tags=["Wildfires"])
    root = fetch_xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    urls = [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", NS)]
    assert urls == [
        f"{SITE}/sitemap-stories.xml",
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-tags.xml",
        f"{SITE}/sitemap-authors.xml",
        f"{SITE}/sitemap-news.xml",
    ]
    for url in urls:
        assert len(locations(fetch_xml(client, url))) == 1, url
    assert all(lm.text for lm in root.iterfind("sm:sitemap/sm:lastmod", NS))


def test_story_sitemap_lists_published_stories_with_last_modified(client):
    published = datetime(2026, 1, 10, 15, 0, tzinfo=UTC)
    story = ArticleFactory(publish_at=published)
    ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    ArticleFactory(status=Article.Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=1))
    [entry] = StorySitemap().get_urls()
    assert entry["location"] == f"{SITE}{story.get_absolute_url()}"
    assert entry["lastmod"] == published
    root = fetch_xml(client, "/sitemap-stories.xml")
    assert locations(root) == [f"{SITE}{story.get_absolute_url()}"]
    assert root.find("sm:url/sm:lastmod", NS).text == "2026-01-10"


def test_a_revised_story_is_last_modified_when_revised(time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 15, 0, tzinfo=UTC), tick=False)
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=3))
    story.body += "<p>Correction appended.</p>"
    story.describe_change("correction", "An earlier version misstated the date.")
    story.save()
    [entry] = StorySitemap().get_urls()
    assert entry["lastmod"] == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert StorySitemap().get_latest_lastmod() == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_sections_tags_and_authors_are_listed_only_with_published_stories():
    live_section, empty_section = SectionFactory(slug="canada"), SectionFactory(slug="empty")
    writer, idle = AuthorFactory(slug="writer"), AuthorFactory(slug="idle")
    ArticleFactory(section=live_section, authors=[writer], tags=["Housing"])
    ArticleFactory(
        section=empty_section,
        authors=[idle],
        tags=["Secret"],
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    assert [u["location"] for u in SectionSitemap().get_urls()] == [f"{SITE}/section/canada/"]
    assert [u["location"] for u in TagSitemap().get_urls()] == [f"{SITE}/tag/housing/"]
    assert [u["location"] for u in AuthorSitemap().get_urls()] == [f"{SITE}/author/writer/"]
    assert all(u["lastmod"] for u in SectionSitemap().get_urls())


def test_news_sitemap_holds_the_last_two_days_with_publication_details(client):
    now = timezone.now()
    fresh = ArticleFactory(headline="Flood warning for the Fraser Valley & area")
    ArticleFactory(headline="Last week's story", publish_at=now - timedelta(days=3))
    root = fetch_xml(client, "/sitemap-news.xml")
    [url] = root.findall("sm:url", NS)
    assert url.find("sm:loc", NS).text == f"{SITE}{fresh.get_absolute_url()}"
    news = url.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "The Maple Ledger"
    assert news.find("news:publication/news:language", NS).text == "en"
    assert news.find("news:title", NS).text == "Flood warning for the Fraser Valley & area"
    published = datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert published == fresh.publish_at
    assert len(NewsSitemap().get_urls()) == 1


def test_big_sitemaps_are_split_into_pages_listed_in_the_index(client, monkeypatch):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    for _ in range(5):
        ArticleFactory()
    root = fetch_xml(client, "/sitemap.xml")
    urls = [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", NS)]
    assert f"{SITE}/sitemap-stories.xml?p=3" in urls
    assert len(locations(fetch_xml(client, "/sitemap-stories.xml?p=3"))) == 1


def test_unknown_sitemap_is_not_found(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_to_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text and "Disallow: /admin/" in text
    assert f"Sitemap: {SITE}/sitemap.xml" in text
    assert f"Sitemap: {SITE}/sitemap-news.xml" in text


def test_sitemaps_are_cached_until_a_story_changes(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    first = ArticleFactory()
    assert len(locations(fetch_xml(client, "/sitemap-stories.xml"))) == 1
    second = ArticleFactory()  # saved, but its change has not been announced yet
    assert len(locations(fetch_xml(client, "/sitemap-stories.xml"))) == 1
    from articles.signals import article_changed

    article_changed.send(sender=Article, article_id=second.pk, deleted=False)
    assert len(locations(fetch_xml(client, "/sitemap-stories.xml"))) == 2
    assert first.get_absolute_url() in client.get("/sitemap-stories.xml").content.decode()


def test_cached_sitemaps_keep_their_robots_header(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    ArticleFactory()
    fresh = client.get("/sitemap-stories.xml")
    cached = client.get("/sitemap-stories.xml")
    assert cached["X-Robots-Tag"] == fresh["X-Robots-Tag"]
    assert cached["Content-Type"].startswith("application/xml")


@pytest.mark.parametrize("how", ["unpublish", "delete"])
def test_an_unpublished_or_deleted_story_leaves_every_sitemap_at_once(
    client, settings, django_capture_on_commit_callbacks, how
):
    settings.PAGE_CACHE_SECONDS = 600
    with django_capture_on_commit_callbacks(execute=True):
        keep = ArticleFactory(headline="Harbour ferry returns", tags=["Ferries"])
        story = ArticleFactory(
            headline="Recalled story about lighthouses",
            tags=["Lighthouses"],
            authors=[AuthorFactory(name="Lone Byline", slug="lone-byline")],
        )
    urls = ["/sitemap.xml", "/sitemap-news.xml"] + [
        f"/sitemap-{name}.xml" for name in ("stories", "sections", "tags", "authors")
    ]
    before = {url: client.get(url).content.decode() for url in urls}
    assert "Recalled story about lighthouses" in before["/sitemap-news.xml"]
    assert story.get_absolute_url() in before["/sitemap-stories.xml"]
    assert "/tag/lighthouses/" in before["/sitemap-tags.xml"]
    assert "/author/lone-byline/" in before["/sitemap-authors.xml"]
    with django_capture_on_commit_callbacks(execute=True):
        if how == "delete":
            story.delete()
        else:
            story.status = Article.Status.UNPUBLISHED
            story.save()
    after = {url: client.get(url).content.decode() for url in urls}
    for url, text in after.items():
        assert "Recalled story" not in text, url
        assert story.get_absolute_url() not in text, url
        assert "lighthouses" not in text and "lone-byline" not in text, url
    assert keep.get_absolute_url() in after["/sitemap-stories.xml"]
