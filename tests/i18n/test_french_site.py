"""The French site at /fr/: its addresses, its pages in French, and the links that pair each
page with its English counterpart (docs/architecture/languages.md)."""

import json
import re
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Article, RelatedArticle
from tests.factories import ArticleFactory

from .conftest import SITE

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def hreflang_links(html):
    return dict(HREFLANG.findall(html))


def page(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def test_french_url_names_build_french_words_under_fr():
    """In French, each public URL name builds its address under /fr/ with French words."""
    with translation.override("fr-ca"):
        assert reverse("articles:home") == "/fr/"
        assert reverse("articles:detail", args=["x"]) == "/fr/article/x/"
        assert reverse("articles:section", args=["x"]) == "/fr/rubrique/x/"
        assert reverse("articles:tag", args=["x"]) == "/fr/mot-cle/x/"
        assert reverse("articles:author", args=["x"]) == "/fr/auteur/x/"
        assert reverse("articles:search") == "/fr/recherche/"
        assert reverse("articles:feed-latest-rss") == "/fr/fils/recents/rss/"
        assert reverse("articles:feed-section-atom", args=["x"]) == "/fr/fils/rubrique/x/atom/"
        assert reverse("articles:page", args=["a-propos"]) == "/fr/a-propos/"
        assert reverse("sitemap-index") == "/fr/sitemap.xml"


def test_a_story_is_served_only_at_its_own_languages_address(client, pair):
    """The French story is at /fr/article/…; neither story answers at the other's address."""
    english, french = pair
    assert english.get_absolute_url() == f"/story/{english.slug}/"
    assert french.get_absolute_url() == f"/fr/article/{french.slug}/"
    assert client.get(f"/fr/article/{english.slug}/").status_code == 404
    assert client.get(f"/story/{french.slug}/").status_code == 404
    assert "Le budget adopté" in page(client, french.get_absolute_url())


def test_a_french_story_page_is_in_french(client, pair):
    """lang="fr-CA", French dates, the French photo words, JSON-LD inLanguage, French rating."""
    _english, french = pair
    Article.objects.filter(pk=french.pk).update(publish_at=datetime(2026, 1, 6, 14, 30, tzinfo=UTC))
    html = page(client, french.get_absolute_url())
    assert '<html lang="fr-CA">' in html
    # 9:30 a.m. in Toronto, written the French Canadian way (non-breaking spaces around "h").
    assert "6 jan. 2026 à 9\u00a0h\u00a030" in html
    assert "Des pompiers près de Kelowna" in html and "LA PRESSE CANADIENNE" in html
    assert 'alt="Des pompiers arrosent une colline fumante"' in html
    assert "Firefighters" not in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    article = next(
        d for d in (data if isinstance(data, list) else [data]) if d["@type"] == "NewsArticle"
    )
    assert article["inLanguage"] == "fr-CA"
    assert "Cet article vous a-t-il été utile" in html or "utile" in html
    assert 'content="fr_CA"' in html  # og:locale


def test_paired_pages_link_each_other_with_reciprocal_hreflang(client, pair):
    """Every paired page lists en-CA, fr-CA and x-default (English), the same on both sides,
    and its switcher goes to the counterpart."""
    english, french = pair
    pairs = [
        (english.get_absolute_url(), french.get_absolute_url()),
        ("/", "/fr/"),
        ("/section/politics/", "/fr/rubrique/politique/"),
        ("/about/", "/fr/a-propos/"),
        ("/author/jeanne-roy/", "/fr/auteur/jeanne-roy/"),
        ("/search/", "/fr/recherche/"),
    ]
    for en, fr in pairs:
        expected = {"en-CA": SITE + en, "fr-CA": SITE + fr, "x-default": SITE + en}
        en_html, fr_html = page(client, en), page(client, fr)
        assert hreflang_links(en_html) == expected, en
        assert hreflang_links(fr_html) == expected, fr
        assert f'<a href="{fr}" lang="fr-CA" hreflang="fr-CA">Français</a>' in en_html, en
        assert f'<a href="{en}" lang="en-CA" hreflang="en-CA">English</a>' in fr_html, fr


def test_a_page_without_counterpart_has_no_hreflang_and_switches_to_the_other_home(client):
    """A story alone in its language: no alternates, and the switcher goes to /fr/."""
    story = ArticleFactory()
    html = page(client, story.get_absolute_url())
    assert hreflang_links(html) == {}
    assert '<a href="/fr/" lang="fr-CA" hreflang="fr-CA">Français</a>' in html


def test_a_translation_may_go_out_before_its_original(client, pair):
    """The rule: a translation is published on its own; links go only to a published
    counterpart, so the unpublished original is never named on the French page."""
    english, french = pair
    english.status = Article.Status.DRAFT
    english.save()
    html = page(client, french.get_absolute_url())
    assert hreflang_links(html) == {}
    assert english.slug not in html and english.headline not in html
    assert '<a href="/" lang="en-CA" hreflang="en-CA">English</a>' in html  # the English home


def test_lists_feeds_and_search_keep_to_the_pages_language(client, pair):
    """Home, section, tag, author, feeds and search in French list French stories only."""
    english, french = pair
    tag_slug = french.tags.get().slug
    for address in (
        "/fr/",
        "/fr/rubrique/politique/",
        f"/fr/mot-cle/{tag_slug}/",
        "/fr/auteur/jeanne-roy/",
        "/fr/recherche/?q=budget",
        "/fr/fils/recents/rss/",
        "/fr/fils/auteur/jeanne-roy/atom/",
    ):
        html = page(client, address)
        assert french.get_absolute_url() in html, address
        assert english.get_absolute_url() not in html, address
    for address in ("/", "/author/jeanne-roy/", "/search/?q=budget", "/feeds/latest/rss/"):
        html = page(client, address)
        assert english.get_absolute_url() in html, address
        assert french.get_absolute_url() not in html, address
    assert "<language>fr-ca</language>" in page(client, "/fr/fils/recents/rss/")
    assert "<language>en-ca</language>" in page(client, "/feeds/latest/rss/")
    # An English tag or section has no French page.
    assert client.get("/fr/mot-cle/ottawa/").status_code == 404
    assert client.get("/fr/rubrique/politics/").status_code == 404


def test_related_lists_show_only_stories_in_the_pages_language(client, pair):
    """A stored related list naming stories of both languages shows only the page's."""
    english, french = pair
    other_french = ArticleFactory(
        headline="Les provinces réagissent", language="fr", section=french.section
    )
    more_french = ArticleFactory(
        headline="Ce que contient le budget", language="fr", section=french.section
    )
    third_french = ArticleFactory(
        headline="Les économistes sont partagés", language="fr", section=french.section
    )
    other_english = ArticleFactory(
        headline="Provinces react to the budget", section=english.section
    )
    for related, score in (
        (other_french, 0.9),
        (more_french, 0.8),
        (third_french, 0.7),
        (other_english, 0.95),
        (english, 0.99),
    ):
        RelatedArticle.objects.create(article=french, related=related, score=score)
    html = page(client, french.get_absolute_url())
    assert "Les provinces réagissent" in html and "Ce que contient le budget" in html
    assert "Provinces react to the budget" not in html


def test_sitemaps_pair_the_pages_with_reciprocal_xhtml_links(client, pair):
    """Each language's sitemaps list its own pages, each paired page naming both versions."""
    english, french = pair
    index = ElementTree.fromstring(client.get("/fr/sitemap.xml").content)  # noqa: S314 - ours
    assert [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)] == [
        f"{SITE}/fr/sitemap-stories.xml",
        f"{SITE}/fr/sitemap-sections.xml",
        f"{SITE}/fr/sitemap-tags.xml",
        f"{SITE}/fr/sitemap-authors.xml",
        f"{SITE}/fr/sitemap-news.xml",
    ]
    expected = {
        "en-CA": SITE + english.get_absolute_url(),
        "fr-CA": SITE + french.get_absolute_url(),
        "x-default": SITE + english.get_absolute_url(),
    }
    for address, own in (("/sitemap-stories.xml", english), ("/fr/sitemap-stories.xml", french)):
        root = ElementTree.fromstring(client.get(address).content)  # noqa: S314 - ours
        [url] = root.iterfind("sm:url", NS)
        assert url.find("sm:loc", NS).text == SITE + own.get_absolute_url()
        links = {link.get("hreflang"): link.get("href") for link in url.iterfind("xhtml:link", NS)}
        assert links == expected, address
    sections = ElementTree.fromstring(client.get("/fr/sitemap-sections.xml").content)  # noqa: S314
    [url] = sections.iterfind("sm:url", NS)
    assert {link.get("hreflang") for link in url.iterfind("xhtml:link", NS)} == {
        "en-CA",
        "fr-CA",
        "x-default",
    }
    news = ElementTree.fromstring(client.get("/fr/sitemap-news.xml").content)  # noqa: S314
    assert [e.text for e in news.iterfind(".//news:language", NS)] == ["fr"]
    news = ElementTree.fromstring(client.get("/sitemap-news.xml").content)  # noqa: S314
    assert [e.text for e in news.iterfind(".//news:language", NS)] == ["en"]
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {SITE}/fr/sitemap.xml" in robots and "Disallow: /fr/recherche/" in robots


@pytest.mark.parametrize(
    "asking_for_english",
    [
        pytest.param({"HTTP_COOKIE": "django_language=en-ca"}, id="language cookie"),
        pytest.param({"HTTP_ACCEPT_LANGUAGE": "en-CA,en;q=0.9"}, id="Accept-Language"),
    ],
)
def test_a_readers_language_choice_does_not_change_a_french_page(client, pair, asking_for_english):
    """/fr/ pages are French whatever the cookie or header ask for (and English ones stay)."""
    _english, french = pair
    for address in ("/fr/", french.get_absolute_url(), "/fr/rubrique/politique/"):
        response = client.get(address, **asking_for_english)
        assert '<html lang="fr-CA">' in response.content.decode(), address
        assert response["Content-Language"] == "fr-ca"
        assert "Accept-Language" not in response.get("Vary", "")
