"""The English site keeps every address it had before French arrived: pages, feeds, sitemaps
and robots.txt (docs/architecture/languages.md). Listed by hand, so a change shows up here."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.models import InfoPage
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.ca"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

# (URL name, arguments, the address it has always had)
ADDRESSES = [
    ("articles:home", [], "/"),
    ("articles:detail", ["budget-passes"], "/story/budget-passes/"),
    ("articles:section", ["politics"], "/section/politics/"),
    ("articles:tag", ["ottawa"], "/tag/ottawa/"),
    ("articles:author", ["jane-roe"], "/author/jane-roe/"),
    ("articles:search", [], "/search/"),
    ("articles:feed-latest-rss", [], "/feeds/latest/rss/"),
    ("articles:feed-latest-atom", [], "/feeds/latest/atom/"),
    ("articles:feed-section-rss", ["politics"], "/feeds/section/politics/rss/"),
    ("articles:feed-section-atom", ["politics"], "/feeds/section/politics/atom/"),
    ("articles:feed-tag-rss", ["ottawa"], "/feeds/tag/ottawa/rss/"),
    ("articles:feed-tag-atom", ["ottawa"], "/feeds/tag/ottawa/atom/"),
    ("articles:feed-author-rss", ["jane-roe"], "/feeds/author/jane-roe/rss/"),
    ("articles:feed-author-atom", ["jane-roe"], "/feeds/author/jane-roe/atom/"),
    ("articles:page", ["about"], "/about/"),
    ("sitemap-index", [], "/sitemap.xml"),
    ("sitemap-news", [], "/sitemap-news.xml"),
    ("robots-txt", [], "/robots.txt"),
]

ROBOTS = f"""User-agent: *
Disallow: /admin/
Disallow: /search/

Sitemap: {SITE}/sitemap.xml
Sitemap: {SITE}/sitemap-news.xml
"""


@pytest.fixture
def english_site(settings):
    settings.SITE_URL = SITE
    section = SectionFactory(name="Politics", slug="politics")
    author = AuthorFactory(name="Jane Roe", slug="jane-roe")
    TagFactory(name="Ottawa", slug="ottawa")
    ArticleFactory(
        headline="Budget passes",
        slug="budget-passes",
        section=section,
        authors=[author],
        tags=["Ottawa"],
    )
    # The site pages come with the install (a data migration): About is one.
    InfoPage.objects.get_or_create(slug="about", defaults={"title": "About", "body": "<p>Us.</p>"})


def test_english_url_names_build_the_addresses_they_always_had():
    """Every public URL name reverses, in English, to the same address as before."""
    for name, args, address in ADDRESSES:
        assert reverse(name, args=args) == address, name
    assert reverse("sitemap-section", kwargs={"section": "stories"}) == "/sitemap-stories.xml"


def test_every_english_address_still_answers(client, english_site):
    """Each listed address (and each sitemap in the index) answers 200 as it did."""
    for _name, _args, address in ADDRESSES:
        response = client.get(address, {"q": "budget"} if address == "/search/" else {})
        assert response.status_code == 200, address


def test_english_sitemaps_and_robots_are_unchanged(client, english_site):
    """The sitemap index, each sitemap's locations and robots.txt read exactly as before."""
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - ours
    sitemaps = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)]
    assert sitemaps == [
        f"{SITE}/sitemap-stories.xml",
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-tags.xml",
        f"{SITE}/sitemap-authors.xml",
        f"{SITE}/sitemap-news.xml",
    ]
    found = {}
    for url in sitemaps:
        root = ElementTree.fromstring(client.get(url.removeprefix(SITE)).content)  # noqa: S314
        found[url.removeprefix(SITE)] = [loc.text for loc in root.iterfind("sm:url/sm:loc", NS)]
    assert found == {
        "/sitemap-stories.xml": [f"{SITE}/story/budget-passes/"],
        "/sitemap-sections.xml": [f"{SITE}/section/politics/"],
        "/sitemap-tags.xml": [f"{SITE}/tag/ottawa/"],
        "/sitemap-authors.xml": [f"{SITE}/author/jane-roe/"],
        "/sitemap-news.xml": [f"{SITE}/story/budget-passes/"],
    }
    assert client.get("/robots.txt").content.decode() == ROBOTS


def test_english_feeds_keep_their_self_links_and_entries(client, english_site):
    """The latest-stories feed links itself and the story at their old addresses."""
    rss = client.get("/feeds/latest/rss/").content.decode()
    assert f"<link>{SITE}/story/budget-passes/</link>" in rss
    assert f'href="{SITE}/feeds/latest/rss/"' in rss
    atom = client.get("/feeds/latest/atom/").content.decode()
    assert f'href="{SITE}/story/budget-passes/"' in atom
