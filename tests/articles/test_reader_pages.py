"""The pages around the stories: site pages, the 404, feeds in a browser, sharing, addresses."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group

from articles.models import InfoPage
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_the_pages_an_outlet_must_have_are_linked_from_every_footer(client):
    ArticleFactory()
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for title, url in [
        ("About us", "/about/"),
        ("Contact us", "/contact/"),
        ("Corrections policy", "/corrections/"),
        ("Privacy", "/privacy/"),
    ]:
        assert f'<a href="{url}">{title}</a>' in footer
        page = client.get(url)
        assert page.status_code == 200 and "<h1" in page.content.decode()
    assert 'href="/feeds/latest/rss/"' in footer and 'href="/feeds/latest/atom/"' in footer


def test_an_editors_change_to_a_site_page_shows_at_once(client, django_capture_on_commit_callbacks):
    assert "Privacy" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page = InfoPage.objects.get(slug="privacy")
        page.title = "Your privacy"
        page.body = '<p>We keep no trackers.</p><script>alert(1)</script><p onclick="x()">Hi</p>'
        page.save()
    html = client.get("/privacy/").content.decode()
    assert "Your privacy" in html and "We keep no trackers." in html
    assert "alert(1)" not in html and "onclick" not in html  # the body goes through the allow-list
    assert '<a href="/privacy/">Your privacy</a>' in client.get("/").content.decode()


def test_editors_may_edit_site_pages():
    editor = Group.objects.get(name="Editor")
    codes = set(editor.permissions.values_list("codename", flat=True))
    assert {"change_infopage", "add_infopage", "change_frontpage", "add_frontpagestory"} <= codes
    reporter = Group.objects.get(name="Reporter")
    assert not reporter.permissions.filter(codename="change_infopage").exists()


def test_an_unknown_one_word_address_is_a_404(client):
    assert client.get("/no-such-page/").status_code == 404


def test_404_page_offers_search_and_the_latest_stories(client):
    story = ArticleFactory(headline="Ferry service resumes after storm")
    response = client.get("/story/no-such-story/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We can’t find that page" in html
    assert 'action="/search/"' in html and 'name="q"' in html
    assert story.headline in html


def test_story_page_shows_times_reading_time_and_the_author(client):
    author = AuthorFactory(
        name="Amara Singh",
        job_title="Parliamentary reporter",
        bio="Amara covers Parliament. She joined us in 2019.",
    )
    author.photo.save("amara.jpg", PhotoFactory.build().image, save=True)
    words = " ".join(["word"] * 700)
    story = ArticleFactory(authors=[author], body=f"<p>{words}</p>")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Published <time" in html and "3 min read" in html
    assert 'class="byline-block__photo"' in html and author.photo.url in html
    assert "Parliamentary reporter" in html
    assert "Amara covers Parliament." in html and "joined us in 2019" not in html  # one line


def test_share_links_are_plain_addresses_with_no_third_party_script(client, settings):
    settings.SITE_URL = "https://news.example.ca"
    story = ArticleFactory(headline="Budget day")
    html = client.get(story.get_absolute_url()).content.decode()
    url = "https%3A%2F%2Fnews.example.ca%2Fstory%2F" + story.slug
    assert f"https://www.facebook.com/sharer/sharer.php?u={url}%2F" in html
    assert "mailto:?subject=Budget%20day" in html
    assert "data-share-copy" in html and "data-share-native" in html  # shown by site.js
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/") for src in scripts)


def test_correction_is_a_labelled_note(client):
    story = ArticleFactory(correction="An earlier version misspelled the minister's name.")
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'class="story__correction" aria-labelledby="correction-heading"' in html
    assert '<h2 id="correction-heading"' in html


@pytest.mark.parametrize(("found", "shown"), [(3, 3), (4, 3), (5, 3), (6, 6), (8, 6)])
def test_related_block_is_a_grid_of_three_or_six(client, monkeypatch, found, shown):
    from articles import page_helpers

    story = ArticleFactory()
    others = [ArticleFactory() for _ in range(found)]
    monkeypatch.setattr(page_helpers, "related_for", lambda article, count=None: others)
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.count('class="related-story"') == shown


def test_with_site_url_unset_links_point_at_the_address_the_request_came_to(client, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["news.test"]
    story = ArticleFactory()
    feed = client.get("/feeds/latest/rss/", HTTP_HOST="news.test:8123").content.decode()
    assert f"http://news.test:8123{story.get_absolute_url()}" in feed
    page = client.get(story.get_absolute_url(), HTTP_HOST="news.test:8123").content.decode()
    assert f'<link rel="canonical" href="http://news.test:8123{story.get_absolute_url()}">' in page
    robots = client.get("/robots.txt", HTTP_HOST="news.test:8123").content.decode()
    assert "http://news.test:8123/sitemap.xml" in robots


def test_site_url_when_set_is_the_one_canonical_origin(client, settings):
    settings.SITE_URL = "https://news.example.ca"
    story = ArticleFactory()
    feed = client.get("/feeds/latest/rss/", HTTP_HOST="127.0.0.1:8123").content.decode()
    assert f"https://news.example.ca{story.get_absolute_url()}" in feed
    assert "127.0.0.1:8123" not in feed


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/feeds/latest/rss/", "application/rss+xml"),
        ("/feeds/latest/atom/", "application/atom+xml"),
        ("/feeds/corrections/rss/", "application/rss+xml"),
        ("/fr/fils/recents/atom/", "application/atom+xml"),
    ],
)
def test_feeds_are_served_as_feeds_without_a_stylesheet_even_to_browsers(client, url, content_type):
    ArticleFactory()
    ArticleFactory(language="fr", section__language="fr")
    for accept in ("application/rss+xml, */*", "text/html,application/xhtml+xml,*/*;q=0.8"):
        response = client.get(url, HTTP_ACCEPT=accept)
        assert response["Content-Type"].startswith(content_type)
        # Browsers are dropping XSLT: no stylesheet instruction, nothing for them to apply.
        assert b"<?xml-stylesheet" not in response.content
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<')
    assert not Path(django_settings.BASE_DIR, "static", "feeds", "feed.xsl").exists()


def test_the_feeds_page_explains_feeds_and_lists_every_section_feed(client):
    canada = SectionFactory(name="Canada", slug="canada")
    SectionFactory(name="Société", slug="societe", language="fr", translation_of=canada)
    html = client.get("/feeds/").content.decode()
    assert '<h1 class="story__headline">News feeds</h1>' in html
    assert "feed reader" in html
    for address in (
        "/feeds/latest/rss/",
        "/feeds/latest/atom/",
        "/feeds/corrections/rss/",
        "/feeds/section/canada/rss/",
        "/feeds/section/canada/atom/",
    ):
        assert f'href="{address}"' in html
    assert "societe" not in html
    # Every page's footer leads to it.
    assert 'href="/feeds/"' in client.get("/").content.decode()


def test_the_french_feeds_page_lists_the_french_feeds(client):
    canada = SectionFactory(name="Canada", slug="canada")
    SectionFactory(name="Société", slug="societe", language="fr", translation_of=canada)
    response = client.get("/fr/fils/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fils de nouvelles" in html
    assert 'href="/fr/fils/rubrique/societe/rss/"' in html
    assert 'href="/fr/fils/recents/rss/"' in html
    assert "/feeds/section/canada/" not in html
    assert 'href="/fr/fils/"' in client.get("/fr/").content.decode()


def test_author_page_shows_photo_title_bio_and_contact(client):
    author = AuthorFactory(
        name="Priya Patel",
        slug="priya-patel",
        job_title="Health reporter",
        bio="Covers hospitals and public health.",
        email="priya.patel@example.ca",
    )
    author.photo.save("priya.jpg", PhotoFactory.build().image, save=True)
    ArticleFactory(authors=[author], headline="Clinic hours extended")
    html = client.get("/author/priya-patel/").content.decode()
    assert 'class="author-profile__photo"' in html and "Health reporter" in html
    assert "mailto:priya.patel@example.ca" in html and "Clinic hours extended" in html


def test_section_page_leads_with_one_big_story_then_compact_rows(client):
    photo = PhotoFactory()
    oldest = ArticleFactory()  # no photo: the same row as the others, with an empty panel
    section = oldest.section
    for _ in range(6):
        ArticleFactory(section=section, lead_photo=photo)
    html = client.get(section.get_absolute_url()).content.decode()
    assert html.count("card--lead") == 1
    assert html.count('class="card card--row card--photo"') == 6  # 5 photos, 1 empty panel
    assert html.count("card__image--none") == 1
