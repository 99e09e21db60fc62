"""Video and audio embeds in story bodies: the allowed hosts, and the one stored form.

A story body never holds an ``<iframe>``. An embed is stored as a figure naming the
provider and the media id, around a plain link to the media's page, which works with
no JavaScript, in feeds and in the desk::

    <figure class="embed" data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ">
    <a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer">Title
    or address</a></figure>

(on one line; :meth:`Embed.stored_html` writes it). The reader's page turns it into a
click-to-load facade (``articles.embed_facade``); nothing of the host loads before the
reader presses the button, and then only the host's privacy-enhanced player.

The API other code uses (the WordPress importer, the sanitiser, the desk):

- :func:`embed_for_url` — a page address *or* a player/iframe ``src`` of an allowed host
  → :class:`Embed`, else ``None``. Pure parsing, never a network call.
- :func:`embed_for_id` — a provider key and a media id (a shortcode's ``[youtube ID]``)
  → :class:`Embed`, else ``None``.
- :meth:`Embed.stored_html` — the markup stored in a body; ``clean_html`` keeps it as is.
- :func:`embed_or_link_html` — the embed's stored form, or a plain link paragraph when the
  host is not on the list, or ``""`` when the address is not a web address at all.
- :func:`normalise_embeds` — the sanitiser's pass: rebuilds every stored embed from its
  validated provider and id, reduces a forged one to a link, and turns a paragraph that
  holds only an allowed address (or only a link to one) into an embed.

To add a host, write a :class:`Provider` (hosts, id pattern, how to read an address,
page and player addresses) and add it to ``PROVIDERS``; the Content-Security-Policy's
``frame-src`` follows from the players' origins (see ``frame_origins``).
"""

import html as html_lib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, unquote, urlsplit

VIDEO = "video"
AUDIO = "audio"


@dataclass(frozen=True)
class Provider:
    """One allowed host: how to recognise its addresses and where its player lives."""

    key: str  # stored in data-embed-provider
    name: str  # shown to readers: "Play video on YouTube"
    kind: str  # VIDEO (16:9 box) or AUDIO (fixed height)
    hosts: frozenset
    id_pattern: re.Pattern
    read: object  # (host, path segments, query dict) -> media id or None
    page: object  # media id -> canonical address a reader can follow
    player: object  # media id -> privacy-enhanced player address (iframe src)
    player_origin: str
    height: object = None  # AUDIO: media id -> player height in CSS pixels

    def valid_id(self, media_id):
        return isinstance(media_id, str) and bool(self.id_pattern.fullmatch(media_id))


def _first(query, name):
    values = query.get(name)
    return values[0] if values else None


# YouTube -----------------------------------------------------------------------------
_YOUTUBE_PREFIXES = {"embed", "v", "e", "shorts", "live"}


def _read_youtube(host, parts, query):
    if host in {"youtu.be", "www.youtu.be"}:
        return parts[0] if parts else None
    if parts[:1] == ["watch"]:
        return _first(query, "v")
    if len(parts) >= 2 and parts[0] in _YOUTUBE_PREFIXES and parts[1] != "videoseries":
        # Old <object> players wrote options into the path: /v/ID&hl=en_US&fs=1
        # ("videoseries", a playlist player, happens to be eleven letters long.)
        return re.split(r"[&;]", parts[1], maxsplit=1)[0]
    return None


# Vimeo -------------------------------------------------------------------------------
def _read_vimeo(host, parts, query):
    digits = re.compile(r"\d+")
    if host == "player.vimeo.com":
        if len(parts) >= 2 and parts[0] == "video" and digits.fullmatch(parts[1]):
            private = _first(query, "h")
            return f"{parts[1]}/{private}" if private else parts[1]
        return None
    if parts == ["moogaloop.swf"]:  # the <object> player of the 2000s
        return _first(query, "clip_id")
    if parts and digits.fullmatch(parts[0]):  # vimeo.com/ID or vimeo.com/ID/HASH (unlisted)
        if len(parts) > 1 and re.fullmatch(r"[0-9a-f]{6,20}", parts[1]):
            return f"{parts[0]}/{parts[1]}"
        return parts[0]
    # vimeo.com/channels/NAME/ID, /groups/NAME/videos/ID, /album/N/video/ID,
    # /showcase/N/video/ID, /video/ID
    if parts and parts[0] in {"channels", "groups", "album", "showcase", "video"}:
        if parts[-1].isdigit() and len(parts) <= 4:
            return parts[-1]
    return None


def _vimeo_player(media_id):
    number, _, private = media_id.partition("/")
    extra = f"&h={private}" if private else ""
    return f"https://player.vimeo.com/video/{number}?dnt=1&autoplay=1{extra}"


# Dailymotion -------------------------------------------------------------------------
def _read_dailymotion(host, parts, query):
    if host == "dai.ly":
        return parts[0] if parts else None
    if parts and parts[-1].endswith(".html") and (parts[0] in {"player.html", "player"}):
        return _first(query, "video")  # geo.dailymotion.com/player[/NAME].html?video=ID
    if len(parts) >= 2 and parts[0] in {"video", "swf"}:
        candidate = parts[2] if parts[1] == "video" and len(parts) > 2 else parts[1]
    elif len(parts) >= 3 and parts[:2] == ["embed", "video"]:
        candidate = parts[2]
    else:
        return None
    # /video/x7tgad0_title-of-the-video; old players: /swf/x7tgad0&related=0
    return re.split(r"[_&;]", candidate, maxsplit=1)[0]


# SoundCloud --------------------------------------------------------------------------
# First path segments that are SoundCloud's own pages, not an artist.
_SOUNDCLOUD_RESERVED = {
    "discover", "search", "upload", "you", "stream", "charts", "pages", "terms-of-use",
    "people", "settings", "messages", "notifications", "mobile", "jobs", "imprint",
    "tags", "popular", "signin", "logout", "player", "oembed", "widget",
}  # fmt: skip
_SOUNDCLOUD_TABS = {
    "tracks", "albums", "sets", "reposts", "likes", "followers", "following",
    "popular-tracks", "comments", "spotlight",
}  # fmt: skip


def _read_soundcloud(host, parts, query):
    if host == "w.soundcloud.com":
        inner = _first(query, "url")
        if parts[:1] != ["player"] or not inner:
            return None
        inner_parts = urlsplit(inner)
        inner_host = (inner_parts.hostname or "").lower()
        if inner_host not in _SOUNDCLOUD_HOSTS - {"w.soundcloud.com"}:
            return None
        segments = [unquote(p) for p in inner_parts.path.split("/") if p]
        return _read_soundcloud(inner_host, segments, {})
    if host == "api.soundcloud.com":
        if len(parts) == 2 and parts[0] in {"tracks", "playlists"} and parts[1].isdigit():
            return f"{parts[0]}:{parts[1]}"
        return None
    if not parts or parts[0].lower() in _SOUNDCLOUD_RESERVED:
        return None
    if len(parts) == 2 and parts[1] not in _SOUNDCLOUD_TABS:
        return "/".join(parts)  # ARTIST/TRACK
    if len(parts) == 3 and parts[1] == "sets":
        return "/".join(parts)  # ARTIST/sets/PLAYLIST
    return None


def _soundcloud_resource(media_id):
    if ":" in media_id:
        kind, number = media_id.split(":")
        return f"https://api.soundcloud.com/{kind}/{number}"
    return f"https://soundcloud.com/{media_id}"


def _soundcloud_player(media_id):
    resource = quote(_soundcloud_resource(media_id), safe="")
    return f"https://w.soundcloud.com/player/?url={resource}&auto_play=true&visual=false"


def _soundcloud_page(media_id):
    # A track known only by its number has no readable page address; the player page is
    # one a reader can follow.
    if ":" in media_id:
        resource = quote(_soundcloud_resource(media_id), safe="")
        return f"https://w.soundcloud.com/player/?url={resource}"
    return f"https://soundcloud.com/{media_id}"


_SOUNDCLOUD_HOSTS = frozenset(
    {"soundcloud.com", "www.soundcloud.com", "m.soundcloud.com", "w.soundcloud.com"}
    | {"api.soundcloud.com"}
)


# Spotify (podcast episodes and shows) ------------------------------------------------
def _read_spotify(host, parts, query):
    if parts and parts[0].startswith("intl-"):  # open.spotify.com/intl-fr/episode/ID
        parts = parts[1:]
    if parts and parts[0] in {"embed", "embed-podcast"}:
        parts = parts[1:]
    if len(parts) >= 2 and parts[0] in {"episode", "show"}:
        return f"{parts[0]}/{parts[1]}"
    return None


# Apple Podcasts ----------------------------------------------------------------------
def _read_apple_podcasts(host, parts, query):
    # podcasts.apple.com/ca/podcast/SLUG/id1234567890?i=1000612345678 (slug and
    # country optional); embed.podcasts.apple.com the same.
    show = next((p[2:] for p in parts if re.fullmatch(r"id\d+", p)), None)
    if not show or "podcast" not in parts:
        return None
    episode = _first(query, "i")
    return f"{show}/{episode}" if episode else show


def _apple_address(host, media_id):
    show, _, episode = media_id.partition("/")
    # Canadian storefront: the outlet's readers are in Canada.
    address = f"https://{host}/ca/podcast/id{show}"
    return f"{address}?i={episode}" if episode else address


PROVIDERS = {
    provider.key: provider
    for provider in (
        Provider(
            key="youtube",
            name="YouTube",
            kind=VIDEO,
            hosts=frozenset(
                {
                    "youtube.com",
                    "www.youtube.com",
                    "m.youtube.com",
                    "music.youtube.com",
                    "youtube-nocookie.com",
                    "www.youtube-nocookie.com",
                    "youtu.be",
                    "www.youtu.be",
                }
            ),  # fmt: skip
            id_pattern=re.compile(r"[A-Za-z0-9_-]{11}"),
            read=_read_youtube,
            page=lambda i: f"https://www.youtube.com/watch?v={i}",
            player=lambda i: f"https://www.youtube-nocookie.com/embed/{i}?autoplay=1",
            player_origin="https://www.youtube-nocookie.com",
        ),
        Provider(
            key="vimeo",
            name="Vimeo",
            kind=VIDEO,
            hosts=frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"}),
            id_pattern=re.compile(r"\d{1,12}(?:/[0-9a-f]{6,20})?"),
            read=_read_vimeo,
            page=lambda i: f"https://vimeo.com/{i}",
            player=_vimeo_player,
            player_origin="https://player.vimeo.com",
        ),
        Provider(
            key="dailymotion",
            name="Dailymotion",
            kind=VIDEO,
            hosts=frozenset(
                {"dailymotion.com", "www.dailymotion.com", "geo.dailymotion.com", "dai.ly"}
            ),
            id_pattern=re.compile(r"[xk][A-Za-z0-9]{2,20}"),
            read=_read_dailymotion,
            page=lambda i: f"https://www.dailymotion.com/video/{i}",
            player=lambda i: f"https://geo.dailymotion.com/player.html?video={i}",
            player_origin="https://geo.dailymotion.com",
        ),
        Provider(
            key="soundcloud",
            name="SoundCloud",
            kind=AUDIO,
            hosts=_SOUNDCLOUD_HOSTS,
            id_pattern=re.compile(
                r"(?:tracks|playlists):\d{1,15}"
                r"|[A-Za-z0-9][A-Za-z0-9_-]{0,99}/(?:sets/)?[A-Za-z0-9][A-Za-z0-9_-]{0,199}"
            ),
            read=_read_soundcloud,
            page=_soundcloud_page,
            player=_soundcloud_player,
            player_origin="https://w.soundcloud.com",
            height=lambda i: 166,
        ),
        Provider(
            key="spotify",
            name="Spotify",
            kind=AUDIO,
            hosts=frozenset({"open.spotify.com"}),
            id_pattern=re.compile(r"(?:episode|show)/[A-Za-z0-9]{22}"),
            read=_read_spotify,
            page=lambda i: f"https://open.spotify.com/{i}",
            player=lambda i: f"https://open.spotify.com/embed/{i}",
            player_origin="https://open.spotify.com",
            height=lambda i: 152,
        ),
        Provider(
            key="apple-podcasts",
            name="Apple Podcasts",
            kind=AUDIO,
            hosts=frozenset({"podcasts.apple.com", "embed.podcasts.apple.com", "itunes.apple.com"}),
            id_pattern=re.compile(r"\d{1,15}(?:/\d{1,20})?"),
            read=_read_apple_podcasts,
            page=lambda i: _apple_address("podcasts.apple.com", i),
            player=lambda i: _apple_address("embed.podcasts.apple.com", i),
            player_origin="https://embed.podcasts.apple.com",
            height=lambda i: 175 if "/" in i else 450,
        ),
    )
}

_PROVIDER_BY_HOST = {host: p for p in PROVIDERS.values() for host in p.hosts}
# Cheap first test before looking for lone addresses: a body naming none of these has none.
_HOST_HINTS = {".".join(host.split(".")[-2:]) for host in _PROVIDER_BY_HOST}


def frame_origins():
    """The origins of the allowed players: exactly what ``frame-src`` must allow."""
    return sorted({p.player_origin for p in PROVIDERS.values()})


@dataclass(frozen=True)
class Embed:
    """One media item of an allowed host; build it with :func:`embed_for_url` or
    :func:`embed_for_id`, which validate the provider and the id."""

    provider: str
    media_id: str
    title: str = field(default="", compare=False)

    @property
    def host(self):
        return PROVIDERS[self.provider]

    @property
    def provider_name(self):
        return self.host.name

    @property
    def kind(self):
        return self.host.kind

    @property
    def url(self):
        """The canonical page address of the media, which a reader can follow."""
        return self.host.page(self.media_id)

    @property
    def player_url(self):
        """The privacy-enhanced player's address, loaded only when the reader asks."""
        return self.host.player(self.media_id)

    @property
    def player_height(self):
        """Fixed player height in CSS pixels for audio; ``None`` for 16:9 video."""
        return self.host.height(self.media_id) if self.host.height else None

    @property
    def label(self):
        """The link's text: the title when known, else the address."""
        return self.title or self.url

    def with_title(self, title):
        return Embed(self.provider, self.media_id, _one_line(title))

    def stored_html(self):
        """The markup stored in a story body (``clean_html`` leaves it unchanged)."""
        return (
            f'<figure class="embed" data-embed-provider="{self.provider}" '
            f'data-embed-id="{_attr(self.media_id)}">'
            f'<a href="{_attr(self.url)}" rel="noopener noreferrer">{_text(self.label)}</a>'
            "</figure>"
        )


def embed_for_id(provider, media_id, title=""):
    """The embed for a provider key (``PROVIDERS``) and a media id, or ``None``."""
    host = PROVIDERS.get(provider)
    if host is None or not host.valid_id(media_id):
        return None
    return Embed(provider, media_id, _one_line(title))


def embed_for_url(url, title=""):
    """The embed for a page address or a player ``src`` of an allowed host, or ``None``.

    Accepts ``http``/``https`` and protocol-relative (``//www.youtube.com/embed/ID``)
    addresses, and a bare ``www.youtube.com/…`` of a listed host. Look-alike hosts,
    other schemes, user names, odd ports and ids outside the host's pattern give
    ``None``. Pure parsing: no network call.
    """
    if not isinstance(url, str):
        return None
    url = html_lib.unescape(url.strip())
    if not url or re.search(r"[\s\"'<>\\`]", url):
        return None
    if url.startswith("//"):
        url = "https:" + url
    elif "://" not in url and url.split("/", 1)[0].lower() in _PROVIDER_BY_HOST:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or parts.username or parts.password:
        return None
    if port not in {None, 80, 443}:
        return None
    host_name = (parts.hostname or "").lower()
    provider = _PROVIDER_BY_HOST.get(host_name)
    if provider is None:
        return None
    segments = [unquote(p) for p in parts.path.split("/") if p]
    query = parse_qs(parts.query)
    media_id = provider.read(host_name, segments, query)
    return embed_for_id(provider.key, media_id, title)


def embed_or_link_html(url, title=""):
    """The stored form for ``url``: an embed, else a link paragraph, else ``""``.

    For importers: an allowed host becomes an embed; any other ``http(s)`` address
    becomes ``<p><a href="…">title or address</a></p>``, so a reader can still follow it.
    """
    embed = embed_for_url(url, title)
    if embed:
        return embed.stored_html()
    url = (url or "").strip()
    if url.startswith("//"):
        url = "https:" + url
    if not re.match(r"https?://[^\s\"'<>]+$", url, re.I):
        return ""
    label = _one_line(title) or url
    return f'<p><a href="{_attr(url)}" rel="noopener noreferrer">{_text(label)}</a></p>'


# The sanitiser's pass ----------------------------------------------------------------
_FIGURE_TAG = re.compile(r"<(/?)figure\b([^>]*)>", re.I)
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
_LINK = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>(.*?)</a>', re.S)
_ALONE_IN_PARAGRAPH = re.compile(
    r"<p>\s*(?:<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>((?:(?!</?a\b).)*?)</a>|(https?://[^\s<]+))"
    r"\s*(?:<br>\s*)?</p>",
    re.S,
)
_TAG = re.compile(r"<[^>]*>")


def normalise_embeds(html):
    """Rebuild stored embeds from their validated provider and id; make embeds of
    paragraphs holding only an allowed address or a link to one.

    Runs on the sanitiser's output (``clean_html``), which is well-formed HTML with only
    allowed tags and attributes. A figure that claims to be an embed but whose provider
    or id is not valid keeps only its first link, as a paragraph, or goes.
    """
    if "<figure" in html:
        html = _rebuild_figures(html)
    if "<p>" in html:
        lowered = html.lower()
        if any(hint in lowered for hint in _HOST_HINTS):
            html = _ALONE_IN_PARAGRAPH.sub(_paragraph_to_embed, html)
    return html


def _rebuild_figures(html):
    out, position = [], 0
    for opening in _FIGURE_TAG.finditer(html):
        if opening.group(1) or opening.start() < position:
            continue
        attributes = dict(_ATTRIBUTE.findall(opening.group(2)))
        if not (
            attributes.get("class") == "embed"
            or "data-embed-provider" in attributes
            or "data-embed-id" in attributes
        ):
            continue
        end = _closing_figure(html, opening.end())
        inner = html[opening.end() : end]
        out.append(html[position : opening.start()])
        out.append(_rebuilt(attributes, inner))
        position = end + len("</figure>")
    out.append(html[position:])
    return "".join(out)


def _closing_figure(html, start):
    depth = 1
    for tag in _FIGURE_TAG.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.start()
    return len(html)


def _rebuilt(attributes, inner):
    embed = embed_for_id(
        html_lib.unescape(attributes.get("data-embed-provider", "")),
        html_lib.unescape(attributes.get("data-embed-id", "")),
    )
    link = _LINK.search(inner)
    text = _one_line(html_lib.unescape(_TAG.sub("", link.group(2)))) if link else ""
    if embed is not None:
        return embed.with_title("" if text == embed.url else text).stored_html()
    if link is None:
        return ""
    href = html_lib.unescape(link.group(1))
    return embed_or_link_html(href, text)


def _paragraph_to_embed(match):
    href, text, bare = match.groups()
    address = html_lib.unescape(href if href is not None else bare)
    title = _one_line(html_lib.unescape(_TAG.sub("", text or "")))
    embed = embed_for_url(address)
    if embed is None:
        return match.group(0)
    return embed.with_title("" if title in {address, embed.url} else title).stored_html()


def _one_line(text):
    # Not str.split(): it would turn French typography's non-breaking spaces into spaces.
    return re.sub(r"[ \t\r\n]+", " ", text or "").strip(" \t\r\n")[:300]


def _attr(value):
    return html_lib.escape(value, quote=True).replace("&#x27;", "'").replace("\xa0", "&nbsp;")


def _text(value):
    return html_lib.escape(value, quote=False).replace("\xa0", "&nbsp;")
