"""Small helpers for the public pages: times written the Canadian way, reading time, sharing.

Times are printed absolute ("Dec. 2, 2026, 9:30 a.m.", Canadian Press style) inside a
``<time>`` element; ``static/js/times.js`` rewrites recent ones as "2 hours ago" in the
reader's browser, so a page kept in the cache for minutes never shows a stale "just now".
"""

from urllib.parse import quote, urlencode

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..structured_data import absolute_url

register = template.Library()

WORDS_PER_MINUTE = 230


def _news_datetime(value):
    # Django's "P" is Canadian Press style: "9:30 a.m.", "9 a.m.", "noon", "midnight".
    local = timezone.localtime(value)
    return date_format(local, "N j, Y, P")


@register.simple_tag
def news_time(value, relative=True, css_class=""):
    """``<time>`` with the absolute time; ``relative`` lets the script say "2 hours ago"."""
    if value is None:
        return ""
    text = _news_datetime(value)
    return format_html(
        '<time datetime="{}"{}{}>{}</time>',
        timezone.localtime(value).isoformat(timespec="seconds"),
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' data-relative title="{}"', text) if relative else "",
        text,
    )


@register.filter
def reading_minutes(word_count):
    return max(1, round((word_count or 0) / WORDS_PER_MINUTE))


@register.simple_tag
def reading_time(article):
    minutes = reading_minutes(article.word_count)
    return ngettext("%(n)s min read", "%(n)s min read", minutes) % {"n": minutes}


@register.simple_tag
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


@register.simple_tag
def canonical(article):
    return absolute_url(article.get_absolute_url())


@register.filter
def first_sentence(text):
    """The first sentence of a bio, for the one line under a byline."""
    text = (text or "").strip()
    for end in (". ", "! ", "? "):
        cut = text.find(end)
        if cut != -1:
            return text[: cut + 1]
    return text


@register.simple_tag
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
    }
