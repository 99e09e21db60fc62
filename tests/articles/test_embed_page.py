"""A story with an embed: a click-to-load facade, nothing of the host before the reader asks."""

import re
from urllib.parse import urlsplit

import pytest

from articles.embeds import embed_for_id, frame_origins
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

VIDEO = embed_for_id("youtube", "dQw4w9WgXcQ", "Le maire répond aux questions")
AUDIO = embed_for_id("soundcloud", "some-artist/a-track")


def story_with_embeds(**kwargs):
    body = f"<p>Avant</p>{VIDEO.stored_html()}<p>Entre</p>{AUDIO.stored_html()}<p>Après</p>"
    return ArticleFactory(body=body, **kwargs)


def test_the_story_page_shows_a_facade_and_requests_nothing_from_the_host(client):
    article = story_with_embeds()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<iframe" not in html
    for address in re.findall(r'\ssrc(?:set)?="([^"]*)"', html):
        host = urlsplit(address).netloc
        assert host in {"", "testserver"}, address
    assert '<button type="button" class="embed__play"' in html
    assert "Play video on YouTube" in html and "Play audio on SoundCloud" in html
    # The link a reader can follow without JavaScript, and the player the button loads.
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    assert (
        'data-embed-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' in html
    )
    assert "Le maire répond aux questions" in html
    assert "js/embeds." in html


def test_a_story_without_embeds_loads_no_embed_script(client):
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert "js/embeds." not in html


def test_the_french_page_names_the_host_in_french(client):
    article = story_with_embeds(language="fr")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Lire la vidéo sur YouTube" in html
    assert "Écouter sur SoundCloud" in html


def test_the_content_security_policy_frames_exactly_the_players(client):
    article = story_with_embeds()
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert (
        sorted(directives["frame-src"])
        == frame_origins()
        == [
            "https://embed.podcasts.apple.com",
            "https://geo.dailymotion.com",
            "https://open.spotify.com",
            "https://player.vimeo.com",
            "https://w.soundcloud.com",
            "https://www.youtube-nocookie.com",
        ]
    )
    assert "script-src 'self'" in policy


def test_an_embed_is_not_read_as_text_in_excerpts_and_word_counts():
    article = ArticleFactory(body=f"{VIDEO.stored_html()}<p>Le conseil a voté.</p>", standfirst="")
    assert article.excerpt == "Le conseil a voté."
    assert article.word_count == 4
