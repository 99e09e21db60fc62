"""Video and audio addresses of the allowed hosts become embeds; anything else does not."""

import pytest

from articles.embeds import PROVIDERS, embed_for_id, embed_for_url, embed_or_link_html

YOUTUBE = ("youtube", "dQw4w9WgXcQ")
VIMEO = ("vimeo", "76979871")
DAILYMOTION = ("dailymotion", "x7tgad0")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        # YouTube: pages, short links, players old and new
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE),
        ("http://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", YOUTUBE),
        ("https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YOUTUBE),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", YOUTUBE),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", YOUTUBE),
        ("https://www.youtube.com/live/dQw4w9WgXcQ", YOUTUBE),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0&showinfo=0", YOUTUBE),
        ("//www.youtube.com/embed/dQw4w9WgXcQ", YOUTUBE),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", YOUTUBE),
        ("http://www.youtube.com/v/dQw4w9WgXcQ&hl=en_US&fs=1", YOUTUBE),
        ("http://www.youtube.com/v/dQw4w9WgXcQ?version=3&amp;hl=fr_FR", YOUTUBE),
        ("www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE),
        ("HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ", YOUTUBE),
        # Vimeo
        ("https://vimeo.com/76979871", VIMEO),
        ("https://vimeo.com/channels/staffpicks/76979871", VIMEO),
        ("https://vimeo.com/groups/shortfilms/videos/76979871", VIMEO),
        ("https://player.vimeo.com/video/76979871?title=0&byline=0", VIMEO),
        ("http://vimeo.com/moogaloop.swf?clip_id=76979871&server=vimeo.com", VIMEO),
        ("https://vimeo.com/76979871/8272103f6e", ("vimeo", "76979871/8272103f6e")),
        ("https://vimeo.com/76979871/likes", VIMEO),
        ("https://player.vimeo.com/video/76979871?h=8272103f6e", ("vimeo", "76979871/8272103f6e")),
        # Dailymotion
        ("https://www.dailymotion.com/video/x7tgad0", DAILYMOTION),
        ("https://www.dailymotion.com/video/x7tgad0_un-titre_news", DAILYMOTION),
        ("https://dai.ly/x7tgad0", DAILYMOTION),
        ("https://www.dailymotion.com/embed/video/x7tgad0?autoplay=1", DAILYMOTION),
        ("http://www.dailymotion.com/swf/x7tgad0&related=0", DAILYMOTION),
        ("http://www.dailymotion.com/swf/video/x7tgad0", DAILYMOTION),
        ("https://geo.dailymotion.com/player.html?video=x7tgad0", DAILYMOTION),
        ("https://geo.dailymotion.com/player/x1abc.html?video=x7tgad0", DAILYMOTION),
        # SoundCloud: pages and the widget with a page or an API address inside
        ("https://soundcloud.com/some-artist/a-track", ("soundcloud", "some-artist/a-track")),
        (
            "https://soundcloud.com/some-artist/sets/a-list",
            ("soundcloud", "some-artist/sets/a-list"),
        ),
        (
            "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/293&color=f50",
            ("soundcloud", "tracks:293"),
        ),
        (
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fsome-artist%2Fa-track",
            ("soundcloud", "some-artist/a-track"),
        ),
        ("https://api.soundcloud.com/playlists/1234", ("soundcloud", "playlists:1234")),
        # Spotify podcasts
        (
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk?si=x",
            ("spotify", "episode/4rOoJ6Egrf8K2IrywzwOMk"),
        ),
        (
            "https://open.spotify.com/intl-fr/show/4rOoJ6Egrf8K2IrywzwOMk",
            ("spotify", "show/4rOoJ6Egrf8K2IrywzwOMk"),
        ),
        (
            "https://open.spotify.com/embed-podcast/episode/4rOoJ6Egrf8K2IrywzwOMk",
            ("spotify", "episode/4rOoJ6Egrf8K2IrywzwOMk"),
        ),
        # Apple Podcasts
        (
            "https://podcasts.apple.com/ca/podcast/front-burner/id1439621628?i=1000612345678",
            ("apple-podcasts", "1439621628/1000612345678"),
        ),
        (
            "https://embed.podcasts.apple.com/ca/podcast/front-burner/id1439621628",
            ("apple-podcasts", "1439621628"),
        ),
    ],
)
def test_an_address_of_an_allowed_host_is_an_embed(address, expected):
    embed = embed_for_url(address)
    assert embed is not None
    assert (embed.provider, embed.media_id) == expected


@pytest.mark.parametrize(
    "address",
    [
        "",
        None,
        "javascript:alert(1)",
        "JaVaScRiPt://www.youtube.com/%0Aalert(1)",
        "data:text/html,https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil-youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
        "https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8080/watch?v=dQw4w9WgXcQ",
        "https://evil.example/?u=https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        'https://www.youtube.com/watch?v=dQw4w9WgX"Q',
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"onmouseover='x'",
        "https://www.youtube.com/embed/dQw4w9WgXc'",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ<script>",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQtoolong",
        "https://www.youtube.com/embed/videoseries?list=PL123",
        "https://www.youtube.com/",
        "https://vimeo.com/about",
        "https://vimeo.com.evil.example/76979871",
        "https://player.vimeo.com/video/abc",
        "https://www.dailymotion.com/video/",
        "https://www.dailymotion.com/video/%22onload%3D",
        "https://soundcloud.com/discover",
        "https://soundcloud.com/some-artist",
        "https://soundcloud.com/some-artist/tracks",
        "https://w.soundcloud.com/player/?url=https%3A//evil.example/tracks/1",
        "https://open.spotify.com/artist/4rOoJ6Egrf8K2IrywzwOMk",
        "https://podcasts.apple.com/ca/app/some-app/id123",
        "https://www.cbc.ca/player/play/video/9.123",
    ],
)
def test_other_addresses_are_not_embeds(address):
    assert embed_for_url(address) is None


def test_an_id_from_a_shortcode_is_checked_against_the_host():
    assert embed_for_id("youtube", "dQw4w9WgXcQ").url == (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    assert embed_for_id("dailymotion", "x7tgad0").url == "https://www.dailymotion.com/video/x7tgad0"
    assert embed_for_id("youtube", 'dQw4w9WgX"Q') is None
    assert embed_for_id("myspace", "dQw4w9WgXcQ") is None


def test_each_embed_names_a_privacy_enhanced_player_and_a_page_to_follow():
    players = {
        "youtube": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        "vimeo": "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
        "dailymotion": "https://geo.dailymotion.com/player.html?video=x7tgad0",
    }
    for provider, player in players.items():
        media_id = {"youtube": "dQw4w9WgXcQ", "vimeo": "76979871", "dailymotion": "x7tgad0"}
        embed = embed_for_id(provider, media_id[provider])
        assert embed.player_url == player
        assert embed_for_url(embed.url) == embed
        assert embed_for_url(embed.player_url) == embed
    for provider in PROVIDERS.values():
        assert provider.player_origin.startswith("https://")


def test_the_stored_form_is_a_figure_around_a_plain_link():
    embed = embed_for_url(
        "https://youtu.be/dQw4w9WgXcQ", title="Le débat «\xa0en direct\xa0» & <b>"
    )
    assert embed.stored_html() == (
        '<figure class="embed" data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ">'
        '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer">'
        "Le débat «&nbsp;en direct&nbsp;» &amp; &lt;b&gt;</a></figure>"
    )


def test_an_address_not_on_the_list_becomes_a_link_for_importers():
    assert embed_or_link_html("https://www.cbc.ca/player/play/video/9.123", "Video") == (
        '<p><a href="https://www.cbc.ca/player/play/video/9.123" rel="noopener noreferrer">'
        "Video</a></p>"
    )
    assert embed_or_link_html("javascript:alert(1)") == ""
    assert embed_or_link_html("//vimeo.com/76979871").startswith(
        '<figure class="embed" data-embed-provider="vimeo"'
    )
