"""What the readers' pages call (``newsroom.templating`` hands them to the templates).

Times written the Canadian way, reading time, share links and cards, structured data, and
the related-stories grid.

Times are printed absolute ("Dec. 2, 2026, 9:30 a.m.", Canadian Press style) inside a
``<time>`` element; ``static/js/site.js`` rewrites recent ones as "2 hours ago" in the
reader's browser, so a page kept in the cache for minutes never shows a stale "just now".
"""

from urllib.parse import quote, urlencode

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import languages, paths, structured_data
from .embed_facade import embed_facades
from .related.queries import related_for
from .structured_data import absolute_url

WORDS_PER_MINUTE = 230


def _news_datetime(value):
    # Django's "P" is Canadian Press style: "9:30 a.m.", "9 a.m.", "noon", "midnight". The
    # format is translated like the desk's, so French pages say "6 jan. 2026 à 9 h 30".
    local = timezone.localtime(value)
    # Translators: a Django "date" filter format for a story's time, e.g. "Jan. 6, 2026, 9:30 a.m.".
    return date_format(local, _("N j, Y, P"))


def news_time(value, relative=True, css_class=""):
    """``<time>`` with the absolute time; ``relative`` lets the script say "2 hours ago" of
    the last day's times, and ``relative="always"`` of every time ("3 days ago"), for a list
    that must read in one style whatever the ages in it (the home page's "Latest")."""
    if value is None:
        return ""
    text = _news_datetime(value)
    marker = ""
    if relative == "always":
        marker = format_html(' data-relative="always" title="{}"', text)
    elif relative:
        marker = format_html(' data-relative title="{}"', text)
    return format_html(
        '<time datetime="{}"{}{}>{}</time>',
        timezone.localtime(value).isoformat(timespec="seconds"),
        format_html(' class="{}"', css_class) if css_class else "",
        marker,
        text,
    )


def reading_minutes(word_count):
    return max(1, round((word_count or 0) / WORDS_PER_MINUTE))


def reading_time(article):
    minutes = reading_minutes(article.word_count)
    return ngettext("%(n)s min read", "%(n)s min read", minutes) % {"n": minutes}


def share_links(article):
    """``[(name, label, url), …]``: plain share addresses, no third-party script."""
    url = absolute_url(article.get_absolute_url())
    title = article.share_title
    return [
        (
            "email",
            _("Email"),
            "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote),
        ),
        (
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ("x", "X", "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": title})),
        (
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        (
            "bluesky",
            "Bluesky",
            "https://bsky.app/intent/compose?" + urlencode({"text": f"{title} {url}"}),
        ),
    ]


def canonical(article):
    return absolute_url(article.get_absolute_url())


def first_sentence(text):
    """The first sentence of a bio, for the one line under a byline."""
    text = (text or "").strip()
    for end in (". ", "! ", "? "):
        cut = text.find(end)
        if cut != -1:
            return text[: cut + 1]
    return text


def relative_time_words():
    """The words site.js needs for "2 hours ago", in the page's language."""
    return {
        "now": _("just now"),
        "minute": [
            ngettext("%(n)s minute ago", "%(n)s minutes ago", 1),
            ngettext("%(n)s minute ago", "%(n)s minutes ago", 2),
        ],
        "hour": [
            ngettext("%(n)s hour ago", "%(n)s hours ago", 1),
            ngettext("%(n)s hour ago", "%(n)s hours ago", 2),
        ],
        "day": [
            ngettext("%(n)s day ago", "%(n)s days ago", 1),
            ngettext("%(n)s day ago", "%(n)s days ago", 2),
        ],
    }


def story_json_ld(article):
    """NewsArticle and BreadcrumbList JSON-LD in one data block."""
    return structured_data.json_ld_script(
        structured_data.news_article(article), structured_data.breadcrumb_list(article)
    )


def story_share_meta(article):
    """Canonical link, Open Graph and Twitter card tags."""
    return structured_data.share_meta(article)


THUMBNAIL_WIDTH = 320


def _thumbnail(photo):
    """The smallest 3:2 crop (or rendition) at least ``THUMBNAIL_WIDTH`` wide, with its size."""
    if photo is None or not photo.renditions:
        return None
    return photo.crop(THUMBNAIL_WIDTH)


def related_stories(article, count=None):
    """The "You may also like" list, one query, each story with its ``thumbnail``."""
    stories = related_for(article, count)
    for story in stories:
        story.thumbnail = _thumbnail(story.lead_photo)
    return stories


# Each language's name in itself, for the switcher (not translated: a French reader looks
# for "Français" on an English page).
_OWN_NAMES = {"en": "English", "fr": "Français"}


def language_links(alternates=None):
    """The page's language and its counterparts, for ``base.html``.

    ``alternates`` is ``{language: address}`` of this page in each language it exists in
    (the view's; empty when it has no counterpart). Returns ``html_lang`` (``fr-CA``), the
    switcher (to this page's counterpart, else the other language's home) and the
    ``hreflang`` links: one per language plus ``x-default`` (English), only for a page
    that has a counterpart, and always reciprocal (each side lists both).
    """
    language = languages.current()
    other = languages.other(language)
    alternates = alternates or {}
    target = alternates.get(other) or paths.in_language(other, "articles:home")
    hreflang = []
    if len(alternates) > 1:
        hreflang = [
            {"hreflang": languages.tag(code), "href": absolute_url(alternates[code])}
            for code in languages.CODES
            if code in alternates
        ]
        default = alternates.get(languages.DEFAULT)
        if default:
            hreflang.append({"hreflang": "x-default", "href": absolute_url(default)})
    return {
        "html_lang": languages.tag(language),
        "switch_href": target,
        "switch_lang": languages.tag(other),
        "switch_name": _OWN_NAMES[other],
        "hreflang": hreflang,
    }


# Callables ``(article) -> template name or None``: blocks other apps add to the story page
# after its body (live coverage), registered in their AppConfig.ready(): register_story_part().
_story_parts = []


def register_story_part(part):
    """Show the template ``part(article)`` names (if any) after the body of a story page."""
    if part not in _story_parts:
        _story_parts.append(part)


def story_parts(article):
    """The templates other apps add to this story's page, in registration order."""
    return [name for name in (part(article) for part in _story_parts) if name]


TEMPLATE_GLOBALS = {
    "url": paths.path,
    "story_parts": story_parts,  # {% url %}, without walking the resolver each time
    "language_links": language_links,
    "news_time": news_time,
    "reading_time": reading_time,
    "share_links": share_links,
    "canonical": canonical,
    "relative_time_words": relative_time_words,
    "story_json_ld": story_json_ld,
    "story_share_meta": story_share_meta,
    "related_stories": related_stories,
}
TEMPLATE_FILTERS = {"first_sentence": first_sentence, "embed_facades": embed_facades}
