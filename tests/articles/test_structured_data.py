"""A story's JSON-LD, Open Graph and Twitter tags say what the page itself shows."""

import json
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.ca"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


class StoryPage(HTMLParser):
    """Collects what a reader and a crawler see on a story page."""

    def __init__(self, html):
        super().__init__()
        self.json_ld, self.meta, self.links, self.times = [], {}, {}, []
        self.h1 = self.kicker = ""
        self.byline, self.tags, self.scripts = [], [], []
        self._capture = None
        self._in_kicker = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "script":
            self.scripts.append(attrs)
            if attrs.get("type") == "application/ld+json":
                self._capture = "json_ld"
                self.json_ld.append("")
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links[attrs.get("rel")] = attrs.get("href")
        elif tag == "time":
            self.times.append(attrs["datetime"])
        elif tag == "h1":
            self._capture = "h1"
        elif tag == "p" and "kicker" in classes:
            self._in_kicker = True
        elif tag == "a" and self._in_kicker:
            self._capture = "kicker"
        elif tag == "a" and attrs.get("rel") == "author":
            self.byline.append(attrs["href"])
        elif tag == "a" and attrs.get("rel") == "tag":
            self._capture = "tag"
            self.tags.append("")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_kicker = False
        if tag in {"script", "h1", "a"}:
            self._capture = None

    def handle_data(self, data):
        if self._capture == "json_ld":
            self.json_ld[-1] += data
        elif self._capture == "h1":
            self.h1 += data
        elif self._capture == "kicker":
            self.kicker += data
        elif self._capture == "tag":
            self.tags[-1] += data

    def first(self, key):
        return self.meta[key][0]


def story_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = StoryPage(response.content.decode())
    [block] = page.json_ld
    news_article, breadcrumbs = json.loads(block)
    return page, news_article, breadcrumbs


@pytest.fixture
def article():
    return ArticleFactory(
        headline="Wildfire forces evacuation of Kelowna neighbourhood",
        standfirst="About 2,000 residents were told to leave as winds shifted.",
        section=SectionFactory(name="Canada", slug="canada"),
        authors=[
            AuthorFactory(name="Amara Singh", slug="amara-singh"),
            AuthorFactory(name="Marc Roy", slug="marc-roy"),
        ],
        tags=["Wildfires", "British Columbia"],
        lead_photo=PhotoFactory(),
        publish_at=datetime(2026, 7, 14, 18, 5, tzinfo=UTC),
    )


def test_news_article_matches_the_page(client, article):
    page, data, _ = story_page(client, article)
    url = f"{SITE}{article.get_absolute_url()}"
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == page.h1 == article.headline
    assert data["description"] == page.first("description") == article.standfirst
    assert data["url"] == data["mainEntityOfPage"]["@id"] == page.links["canonical"] == url
    assert datetime.fromisoformat(data["datePublished"]) == datetime.fromisoformat(page.times[0])
    assert data["datePublished"] == "2026-07-14T14:05:00-04:00"  # Toronto time, like the page
    assert data["dateModified"] == data["datePublished"]  # never revised
    assert [a["url"] for a in data["author"]] == [f"{SITE}{href}" for href in page.byline]
    assert [a["name"] for a in data["author"]] == ["Amara Singh", "Marc Roy"]
    assert data["articleSection"] == page.kicker == "Canada"
    assert sorted(data["keywords"]) == sorted(page.tags) == ["British Columbia", "Wildfires"]
    assert data["publisher"]["name"] == "The Maple Ledger"
    assert data["publisher"]["logo"]["url"] == f"{SITE}/static/img/publisher-logo.png"
    assert data["isAccessibleForFree"] is True


def test_image_is_given_in_several_sizes_widest_first(client, article):
    _, data, _ = story_page(client, article)
    widths = [image["width"] for image in data["image"]]
    assert widths == sorted(widths, reverse=True) and len(widths) >= 3
    assert all(image["url"].startswith(f"{SITE}/media/") for image in data["image"])
    html = client.get(article.get_absolute_url()).content.decode()
    # Every size is a file the page's own srcset offers.
    for image in data["image"]:
        assert image["url"].removeprefix(SITE) in html


def test_date_modified_is_the_updated_time_shown(client, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 15, 0, tzinfo=UTC), tick=False)
    story = ArticleFactory(publish_at=timezone.now() - timedelta(hours=3))
    story.body += "<p>Updated with comment from the minister.</p>"
    story.describe_change("update")
    story.save()
    page, data, _ = story_page(client, story)
    shown_updated = page.times[1]
    assert datetime.fromisoformat(data["dateModified"]) == datetime.fromisoformat(shown_updated)
    assert data["dateModified"] > data["datePublished"]
    assert page.first("article:modified_time") == data["dateModified"]


def test_breadcrumbs_follow_home_section_story(client, article):
    _, _, crumbs = story_page(client, article)
    assert crumbs["@type"] == "BreadcrumbList"
    items = crumbs["itemListElement"]
    assert [(i["position"], i["name"]) for i in items] == [
        (1, "The Maple Ledger"),
        (2, "Canada"),
        (3, article.headline),
    ]
    assert [i["item"] for i in items] == [
        f"{SITE}/",
        f"{SITE}/section/canada/",
        f"{SITE}{article.get_absolute_url()}",
    ]


def test_open_graph_and_twitter_cards_match_the_json_ld(client, article):
    page, data, _ = story_page(client, article)
    assert page.first("og:type") == "article"
    assert page.first("og:title") == page.first("twitter:title") == data["headline"]
    assert page.first("og:description") == page.first("twitter:description")
    assert page.first("og:description") == data["description"]
    assert page.first("og:url") == data["url"]
    assert page.first("og:image") == page.first("twitter:image") == data["image"][0]["url"]
    assert page.first("og:image:width") == str(data["image"][0]["width"])
    assert page.first("og:image:alt") == "Firefighters spray water on a smouldering hillside"
    assert page.first("og:site_name") == "The Maple Ledger"
    assert page.first("og:locale") == "en_CA"
    assert page.first("twitter:card") == "summary_large_image"
    assert page.first("article:published_time") == data["datePublished"]
    assert page.first("article:section") == "Canada"
    assert sorted(page.meta["article:tag"]) == sorted(data["keywords"])
    assert page.meta["article:author"] == [a["url"] for a in data["author"]]


def test_a_story_without_a_photo_gets_a_small_card_and_no_image(client):
    story = ArticleFactory(lead_photo=None)
    page, data, _ = story_page(client, story)
    assert "image" not in data
    assert "og:image" not in page.meta
    assert page.first("twitter:card") == "summary"


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client):
    headline = "</script><script>alert(1)</script> & <!-- more"
    story = ArticleFactory(headline=headline)
    response = client.get(story.get_absolute_url())
    page, data, _ = story_page(client, story)
    assert data["headline"] == headline
    # Only the data block and same-site files: the headline opened no script of its own.
    inline = [attrs for attrs in page.scripts if "src" not in attrs]
    assert inline == [{"type": "application/ld+json"}]
    assert all(attrs["src"].startswith("/static/") for attrs in page.scripts if "src" in attrs)
    assert b"</script><script>alert" not in response.content


def test_pages_carry_no_inline_script_or_style(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert ' style="' not in html and " onclick=" not in html and " onload=" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    inline = [attrs for attrs in scripts if " src=" not in attrs]
    assert inline == [' type="application/ld+json"']


@pytest.mark.parametrize(
    "path",
    ["/", "/section/canada/", "/tag/wildfires/", "/author/amara-singh/", "/search/?q=fire"],
)
def test_public_pages_carry_no_inline_script_handlers_or_styles(client, article, path):
    """A strict Content-Security-Policy can forbid inline code without breaking a page."""
    html = client.get(path).content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all(' src="/static/' in attrs for attrs in scripts)  # files, no inline code
    assert "<style" not in html
    assert ' style="' not in html
    assert not any(f" on{event}=" in html for event in ("click", "load", "error", "submit"))
