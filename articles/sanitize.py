"""The one allow-list for HTML written by editors.

Everything that reaches a reader's browser from the body field passes through
:func:`clean_html` when the story is saved. Scripts, event-handler attributes,
inline styles and word-processor junk (``<span class="MsoNormal">``, ``<o:p>``) are
dropped; the structure a story needs (paragraphs, subheads, quotes, lists, links)
is kept.

Images are allowed only from our own media storage (``MEDIA_URL``): the WordPress import
copies a post's inline images there, and the Content-Security-Policy would block any
other address anyway. An ``<img>`` pointing anywhere else is removed whole.

Video and audio embeds are kept only in their stored form (``articles.embeds``): a
``<figure class="embed">`` naming an allowed provider and a valid id, around a link.
Any other figure claiming to be an embed is reduced to its link; an ``<iframe>`` is
never kept. A paragraph holding only the address of an allowed video (or only a link to
one) becomes an embed, whichever path saved the body.
"""

import html as html_lib
import re

import nh3
from django.conf import settings

from .embeds import PROVIDERS, normalise_embeds

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "blockquote", "cite", "q",
    "ul", "ol", "li", "a", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "hr", "figure", "figcaption", "abbr", "code", "pre", "table", "thead",
    "tbody", "tr", "th", "td", "caption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "img": {"src", "alt", "width", "height"},
    # Embeds only; normalise_embeds() then checks provider and id together.
    "figure": {"class", "data-embed-provider", "data-embed-id"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Tags whose *content* must go too, not just the tag (nh3 keeps text of unknown tags).
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_EMBED = re.compile(r'<figure class="embed" data-embed-provider=.*?</figure>', re.S)
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|blockquote|figcaption|td|th|pre)>|<br\s*/?>)", re.I)


def clean_html(html):
    """Return ``html`` reduced to the newsroom's allow-list."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )
    if "<img" in cleaned:
        cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)
    cleaned = normalise_embeds(cleaned)
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


def _filter_attribute(tag, attribute, value):
    """Images only from our media storage; a figure's class only "embed"."""
    if tag == "img" and attribute == "src" and not value.startswith(settings.MEDIA_URL):
        return None
    if tag == "figure":
        if attribute == "class":
            return "embed" if value.strip() == "embed" else None
        if attribute == "data-embed-provider" and value not in PROVIDERS:
            return None
    return value


def html_to_text(html):
    """Plain text of sanitised HTML, for excerpts, word counts and search.

    Embeds are left out: their link text is a title or an address, not the story's words.
    """
    html = html or ""
    if "data-embed-provider" in html:
        html = _EMBED.sub(" ", html)
    spaced = _BLOCK_END.sub(r"\1 ", html)
    text = nh3.clean(spaced, tags=set(), clean_content_tags=_DROP_WITH_CONTENT)
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()
