"""The reader's side of an embed: a click-to-load facade, rendered from the stored form.

A story body stores an embed as a figure around a plain link (``articles.embeds``). On
the story page that figure becomes a box of the player's size holding a real
``<button>`` ("Play video on YouTube") and a link to the media's page; nothing of the
host is requested until the reader presses the button. ``static/js/embeds.js`` then swaps
in the host's privacy-enhanced player (the address is on the button, built here from the
validated provider and id), and the Content-Security-Policy's ``frame-src`` allows those
players and nothing else.

Without JavaScript the button stays hidden (its space kept, so the box does not move when
the script shows it) and the link remains. Feeds and the desk use the stored form as is.
Nothing here makes a network call: the label is the title the editor gave, if any.
"""

import functools
import html as html_lib
import re

from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from markupsafe import Markup

from .embeds import AUDIO, embed_for_id

# The stored form exactly as clean_html() leaves it (Embed.stored_html()).
_STORED = re.compile(
    r'<figure class="embed" data-embed-provider="([a-z-]+)" data-embed-id="([^"]+)">'
    r'<a href="[^"]*" rel="noopener noreferrer">([^<]*)</a></figure>'
)


def embed_facades(body):
    """The story body with each stored embed as a click-to-load facade (trusted HTML)."""
    body = body or ""
    if "data-embed-provider" not in body:
        return Markup(body)  # noqa: S704 - the body was sanitised on save (clean_html)
    count = 0

    def facade(match):
        nonlocal count
        provider, media_id, text = (html_lib.unescape(group) for group in match.groups())
        embed = embed_for_id(provider, media_id)
        if embed is None:
            return match.group(0)
        count += 1
        title = "" if text == embed.url else text
        return _facade(embed.provider, embed.media_id, title, count, get_language())

    return Markup(_STORED.sub(facade, body))  # noqa: S704 - built from validated parts


@functools.lru_cache(maxsize=1024)
def _facade(provider, media_id, title, number, language):
    # The same few embeds are rendered again and again; the language is part of the key.
    return facade_html(embed_for_id(provider, media_id, title), f"embed-{number}")


def facade_html(embed, element_id):
    """The facade of one embed; ``element_id`` must be unique in the page."""
    host = embed.provider_name
    if embed.kind == AUDIO:
        play = _("Play audio on %(host)s") % {"host": host}
        follow = _("Listen on %(host)s") % {"host": host}
        notice = _("Audio from %(host)s: nothing is loaded from it until you ask.")
        size = f"embed--audio embed--h{embed.player_height}"
    else:
        play = _("Play video on %(host)s") % {"host": host}
        follow = _("Watch on %(host)s") % {"host": host}
        notice = _("Video from %(host)s: nothing is loaded from it until you ask.")
        size = "embed--video"
    notice %= {"host": host}
    if embed.title:
        frame_title = _("%(host)s player: %(title)s") % {"host": host, "title": embed.title}
        caption = format_html(
            '<figcaption class="embed__caption"><span id="{}">{}</span>'
            '<span aria-hidden="true"> · </span><a class="embed__link" href="{}">{}</a>'
            "</figcaption>",
            f"{element_id}-title",
            embed.title,
            embed.url,
            follow,
        )
        described = format_html(' aria-describedby="{}-title"', element_id)
    else:
        frame_title = _("%(host)s player") % {"host": host}
        caption = format_html(
            '<figcaption class="embed__caption"><a class="embed__link" href="{}">{}</a>'
            "</figcaption>",
            embed.url,
            follow,
        )
        described = ""
    return format_html(
        '<figure class="embed {}" data-embed-provider="{}">'
        '<div class="embed__frame">'
        '<button type="button" class="embed__play" data-embed-player="{}" '
        'data-embed-frame-title="{}"{} hidden>'
        '<span class="embed__icon" aria-hidden="true"></span>{}</button>'
        '<p class="embed__notice">{}</p>'
        "</div>{}</figure>",
        size,
        embed.provider,
        embed.player_url,
        frame_title,
        described,
        play,
        notice,
        caption,
    )
