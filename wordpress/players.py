"""Players a post showed (videos, audio, other embeds) → an embed or a link readers follow.

WordPress posts carry players in many shapes over the years: ``<iframe>``, ``<object>`` and
``<embed>`` pasted from a video site, shortcodes (``[youtube ID]``, WordPress.com's
``[youtube=URL]``, ``[dailymotion ID]``, ``[vimeo …]``, ``[embed]URL[/embed]``), a bare
address on its own line (WordPress's auto-embed) and block-editor ``wp:embed`` figures.
Each becomes an embed when its host is on the allow-list (``articles.embeds``: the stored
``<figure class="embed">`` that readers' pages turn into a click-to-load player), else a link
to the page it played (:func:`page_url`) naming the host, which the post's findings list.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from articles.embeds import embed_for_url

from .scanning import find_close

# Hosts whose addresses WordPress turned into players (oEmbed providers): a bare address of
# one of them on its own line was a player, and a link to it is a change worth reporting.
OEMBED_HOSTS = {
    "youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com", "dailymotion.com",
    "dai.ly", "soundcloud.com", "twitter.com", "x.com", "instagram.com", "facebook.com",
    "flickr.com", "flic.kr", "spotify.com", "ted.com", "tiktok.com", "imgur.com",
    "scribd.com", "slideshare.net", "mixcloud.com", "reddit.com", "tumblr.com",
    "wordpress.tv", "videopress.com", "kickstarter.com", "issuu.com", "speakerdeck.com",
    "giphy.com", "pinterest.com", "bandcamp.com", "amazon.com", "cloudup.com",
    "animoto.com", "screencast.com", "smugmug.com", "funnyordie.com", "hulu.com",
    "blip.tv", "collegehumor.com", "polldaddy.com", "crowdsignal.com", "wistia.com",
}  # fmt: skip
AUDIO_HOSTS = {"soundcloud.com", "spotify.com", "mixcloud.com", "bandcamp.com"}
AUDIO_FILES = (".mp3", ".m4a", ".ogg", ".oga", ".wav", ".flac", ".aac")
VIDEO_FILES = (".mp4", ".m4v", ".webm", ".ogv", ".mov", ".flv", ".wmv")

# A video id as the shortcodes of video plugins take it ([youtube dQw4w9WgXcQ]).
_VIDEO_ID = re.compile(r"[\w-]{4,40}")
_SRC = re.compile(
    r"""\b(?:src|data|value|href|movie)\s*=\s*["']?((?:https?:)?//[^\s"'<>]+)""", re.I
)


# Players pasted into posts.
_PLAYER_OPEN = re.compile(r"<(iframe|object|embed|video|audio)\b([^<>]*)>", re.I)
_PLAYER_CLOSE = {
    tag: re.compile(rf"</{tag}\s*>", re.I) for tag in ("iframe", "object", "video", "audio")
}
_EMBED_CLOSE = re.compile(r"\s*</embed\s*>", re.I)
# A block embed whole: its figure, the URL in its wrapper and its caption. The caption's
# text stops at the next figure or caption tag, so each character is read a bounded number
# of times.
_BLOCK_EMBED = re.compile(
    r"<figure\b[^<>]*\bwp-block-embed\b[^<>]*>\s*"
    r'<div class="wp-block-embed__wrapper">\s*([^\s<>]+)\s*</div>\s*'
    r"(?:<figcaption\b[^<>]*>([^<]*(?:<(?!/?fig)[^<]*)*)</figcaption>\s*)?</figure>",
    re.I,
)


def host_of(url):
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _known(host, hosts):
    """Whether ``host`` is one of ``hosts`` or a subdomain of one."""
    parts = host.split(".")
    return any(".".join(parts[i:]) in hosts for i in range(len(parts) - 1))


def page_url(url):
    """The address of the page a player address plays, for a link readers can follow.

    Flash players (``youtube.com/v/ID``, Vimeo's ``moogaloop.swf?clip_id=``, Dailymotion's
    ``/swf/ID``) no longer play anywhere; their pages do. Protocol-relative addresses get
    ``https:``. Anything else is returned as it is.
    """
    url = html.unescape(url.strip())
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    host, path = host_of(url), parts.path
    if _known(host, {"youtube.com", "youtube-nocookie.com"}):
        if path == "/watch":
            # WordPress.com's [youtube=URL&w=425&h=350]: its size is not the video's address.
            query = parse_qs(parts.query)
            video = query.get("v", [""])[0]
            if _VIDEO_ID.fullmatch(video):
                start = query.get("t", [""])[0]
                suffix = f"&t={start}" if start.rstrip("s").isdigit() else ""
                return f"https://www.youtube.com/watch?v={video}{suffix}"
        for prefix in ("/v/", "/embed/"):
            if path.startswith(prefix):
                video = path[len(prefix) :].split("/")[0].split("&")[0]
                if _VIDEO_ID.fullmatch(video):
                    return f"https://www.youtube.com/watch?v={video}"
    if host == "vimeo.com" and "moogaloop" in path:
        clip = parse_qs(parts.query).get("clip_id", [""])[0]
        if clip.isdigit():
            return f"https://vimeo.com/{clip}"
    if host == "player.vimeo.com" and path.startswith("/video/"):
        clip = path[len("/video/") :].split("/")[0]
        if clip.isdigit():
            return f"https://vimeo.com/{clip}"
    if host == "dailymotion.com":
        for prefix in ("/swf/video/", "/swf/", "/embed/video/"):
            if path.startswith(prefix):
                video = path[len(prefix) :].split("/")[0].split("_")[0]
                if _VIDEO_ID.fullmatch(video):
                    return f"https://www.dailymotion.com/video/{video}"
    return url


def url_for_id(name, value):
    """The page of a video given by its id in a shortcode ([youtube ID], [vimeo 123])."""
    value = value.strip().strip("\"'")
    if not _VIDEO_ID.fullmatch(value):
        return None
    if name == "youtube":
        return f"https://www.youtube.com/watch?v={value}"
    if name == "dailymotion":
        return f"https://www.dailymotion.com/video/{value}"
    if name == "vimeo" and value.isdigit():
        return f"https://vimeo.com/{value}"
    if name in {"wpvideo", "videopress"}:
        return f"https://videopress.com/v/{value}"
    if name in {"tweet", "twitter"} and value.isdigit():
        return f"https://twitter.com/i/web/status/{value}"
    return None


def first_url(markup):
    """The first address of a player's markup (``src``, ``data``, a ``movie`` param…)."""
    found = _SRC.search(markup)
    return found.group(1) if found else None


def is_upload(url):
    """Whether an address is a file of the old site's uploads folder."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return "/wp-content/uploads/" in parts.path or (
        host.endswith("files.wordpress.com") and bool(parts.path.strip("/"))
    )


def kind_of(url):
    host, path = host_of(url), urlsplit(url).path.lower()
    if _known(host, AUDIO_HOSTS) or path.endswith(AUDIO_FILES):
        return "audio"
    if path.endswith(VIDEO_FILES) or _known(host, OEMBED_HOSTS - AUDIO_HOSTS):
        return "video"
    return "other"


def is_oembed(url):
    return _known(host_of(url), OEMBED_HOSTS)


def player(url, findings=None, title=""):
    """The body markup for a player of ``url``: an embed when its host is on the allow-list
    (``articles.embeds``), else a paragraph with a link that names the host (recorded in
    ``findings``). ``title`` (a block embed's caption) is the embed's link text."""
    embed = embed_for_url(url, title) or embed_for_url(page_url(url), title)
    if embed is not None:
        return f"\n\n{embed.stored_html()}\n\n"
    url = page_url(url)
    if not url.startswith(("http://", "https://")):
        return ""
    host = host_of(url) or url
    kind = kind_of(url)
    if kind == "audio":
        label = _("Audio (%(host)s):") % {"host": host}
    elif kind == "video":
        label = _("Video (%(host)s):") % {"host": host}
    else:
        label = _("Embedded content (%(host)s):") % {"host": host}
    # A file of the old site's uploads (an .mp3, an .mp4) is reported with the links to
    # such files (wordpress.media): it must be copied before the old site goes off.
    if findings is not None and not is_upload(url):
        findings.changed(_("a player (%(host)s) became a link") % {"host": host}, url)
    escaped = html.escape(url, quote=True)
    return f'\n\n<p>{html.escape(label)} <a href="{escaped}">{escaped}</a></p>\n\n'


def replace_players(text, findings=None):
    """Each ``<iframe>``, ``<object>``, ``<embed>``, ``<video>`` and ``<audio>`` → an embed
    or a link to the page it played (``wordpress.players``); one with no address is lost
    (and reported). Linear: each closing tag is looked for once."""
    if _PLAYER_OPEN.search(text) is None:
        return text
    out, done, position = [], 0, 0
    closings = {tag: [None] for tag in _PLAYER_CLOSE}
    while (opening := _PLAYER_OPEN.search(text, position)) is not None:
        tag = opening.group(1).lower()
        end, inner = opening.end(), ""
        if tag == "embed" and (stray := _EMBED_CLOSE.match(text, end)):
            end = stray.end()  # <embed> has no closing tag, but pasted players often add one
        elif tag in _PLAYER_CLOSE:
            close = find_close(_PLAYER_CLOSE[tag], text, opening.end(), closings[tag])
            if close is not None:
                inner, end = text[opening.end() : close.start()], close.end()
        url = first_url(opening.group(2)) or first_url(inner)
        out.append(text[done : opening.start()])
        if url:
            out.append(player(url, findings))
        elif findings is not None:
            findings.lost(_("a player with no address was left out"), f"<{tag}>")
        done = position = end
    out.append(text[done:])
    return "".join(out)


def replace_block_embeds(text, findings=None):
    """A block embed (``wp:embed``: a figure around the bare URL of a video, a tweet…, and
    its caption) becomes an embed titled with its caption, or a link and the caption."""
    if "wp-block-embed" not in text:
        return text

    def replace_figure(match):
        url = html.unescape(match.group(1).strip())
        if not url.startswith(("http://", "https://")):
            return ""
        caption = match.group(2) or ""
        title = " ".join(html.unescape(re.sub(r"<[^<>]*>", "", caption)).split())
        markup = player(url, findings, title)
        if "<figure" not in markup and caption.strip():
            markup += f"<p>{caption.strip()}</p>\n\n"
        return markup

    def replace(match):
        url = html.unescape(match.group(1).strip())
        return player(url, findings) if url.startswith(("http://", "https://")) else ""

    text = _BLOCK_EMBED.sub(replace_figure, text)

    return re.sub(
        r'<div class="wp-block-embed__wrapper">\s*(\S+?)\s*</div>', replace, text, flags=re.I
    )
