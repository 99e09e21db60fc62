"""The sanitiser keeps an embed only in its stored form, and makes embeds of lone links."""

import pytest

from articles.embeds import PROVIDERS, embed_for_id
from articles.sanitize import clean_html
from tests.factories import ArticleFactory

SAMPLE_IDS = {
    "youtube": "dQw4w9WgXcQ",
    "vimeo": "76979871",
    "dailymotion": "x7tgad0",
    "soundcloud": "some-artist/a-track",
    "spotify": "episode/4rOoJ6Egrf8K2IrywzwOMk",
    "apple-podcasts": "1439621628/1000612345678",
}


def test_every_provider_has_a_sample():
    assert set(SAMPLE_IDS) == set(PROVIDERS)


@pytest.mark.parametrize("provider", sorted(SAMPLE_IDS))
@pytest.mark.parametrize("title", ["", "Entrevue : le maire «\xa0répond\xa0» & <explique>"])
def test_the_stored_form_survives_the_sanitiser_unchanged(provider, title):
    stored = embed_for_id(provider, SAMPLE_IDS[provider], title).stored_html()
    assert clean_html(stored) == stored
    assert clean_html(f"<p>Avant</p>{stored}<p>Après</p>") == f"<p>Avant</p>{stored}<p>Après</p>"


def test_forged_attributes_and_iframes_are_stripped():
    forged = (
        '<figure class="embed" data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ" '
        'style="position:fixed" onclick="steal()" data-embed-player="https://evil.example/">'
        '<iframe src="https://evil.example/"></iframe>'
        '<a href="https://evil.example/phish" onmouseover="x()">Watch</a>'
        "<script>alert(1)</script></figure>"
    )
    assert clean_html(forged) == embed_for_id("youtube", "dQw4w9WgXcQ", "Watch").stored_html()


@pytest.mark.parametrize(
    "forged",
    [
        '<figure class="embed" data-embed-provider="youtube" '
        'data-embed-id="x&quot; onload=&quot;y">'
        '<a href="https://evil.example/">Watch</a></figure>',
        '<figure class="embed" data-embed-provider="myspace" data-embed-id="dQw4w9WgXcQ">'
        '<a href="https://evil.example/">Watch</a></figure>',
        '<figure data-embed-provider="vimeo" data-embed-id="not-a-number">'
        '<a href="https://evil.example/">Watch</a></figure>',
    ],
)
def test_an_embed_with_a_bad_provider_or_id_becomes_a_plain_link(forged):
    assert clean_html(forged) == (
        '<p><a href="https://evil.example/" rel="noopener noreferrer">Watch</a></p>'
    )


def test_an_embed_with_a_bad_id_and_no_safe_link_goes():
    forged = (
        '<figure class="embed" data-embed-provider="youtube" data-embed-id="bad">'
        '<a href="javascript:alert(1)">Watch</a></figure><p>Text</p>'
    )
    assert clean_html(forged) == "<p>Text</p>"


def test_an_iframe_player_is_never_stored():
    html = '<p>Avant</p><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    assert "iframe" not in clean_html(html)


def test_photo_figures_are_left_alone():
    html = '<figure><img src="/media/a.jpg" alt="A"><figcaption>Caption</figcaption></figure>'
    assert clean_html(html) == html
    assert clean_html('<figure class="wp-caption"><p>x</p></figure>') == "<figure><p>x</p></figure>"


@pytest.mark.parametrize(
    "paragraph",
    [
        "<p>https://youtu.be/dQw4w9WgXcQ</p>",
        "<p> https://www.youtube.com/watch?v=dQw4w9WgXcQ <br></p>",
        '<p><a href="https://youtu.be/dQw4w9WgXcQ">https://youtu.be/dQw4w9WgXcQ</a></p>',
    ],
)
def test_a_paragraph_holding_only_an_allowed_address_becomes_an_embed(paragraph):
    expected = embed_for_id("youtube", "dQw4w9WgXcQ").stored_html()
    assert clean_html(f"<p>Intro</p>{paragraph}") == f"<p>Intro</p>{expected}"


def test_a_lone_link_keeps_its_text_as_the_title():
    html = '<p><a href="https://vimeo.com/76979871"><strong>Le reportage</strong></a></p>'
    assert clean_html(html) == embed_for_id("vimeo", "76979871", "Le reportage").stored_html()


@pytest.mark.parametrize(
    "html",
    [
        "<p>Watch https://youtu.be/dQw4w9WgXcQ tonight</p>",
        '<p>See <a href="https://youtu.be/dQw4w9WgXcQ">this</a> tonight.</p>',
        "<p>https://www.cbc.ca/player/play/video/9.123</p>",
        '<p><a href="https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ">Video</a></p>',
    ],
)
def test_links_inside_text_and_links_to_other_hosts_stay_links(html):
    assert "data-embed" not in clean_html(html)


@pytest.mark.django_db
def test_every_save_path_turns_a_lone_address_into_an_embed():
    article = ArticleFactory(body="<p>Intro</p><p>https://dai.ly/x7tgad0</p>")
    article.refresh_from_db()
    assert article.body == ("<p>Intro</p>" + embed_for_id("dailymotion", "x7tgad0").stored_html())
