"""What search engines and social networks read about a story page.

NewsArticle and BreadcrumbList JSON-LD, Open Graph and Twitter card tags, and the
canonical address. Every value comes from the same fields the page shows (the dates in
the ``<time>`` elements, the byline, the section kicker and the tags), so the two cannot
drift apart. Title and description are ``Article.share_title`` and ``share_description``:
the optional social/search headline and description, else the headline and the excerpt
used as the meta description. Addresses are
absolute and built on ``newsroom.siteurl.site_url()``: ``settings.SITE_URL``, the site's one
canonical origin, or the request's address when it is unset.
"""

import json
from datetime import datetime

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import to_locale
from markupsafe import Markup, escape

from newsroom.siteurl import site_url

from . import languages, paths
from .models.record import CORRECTIONS

PUBLISHER_LOGO = ("img/publisher-logo.png", 600, 60)
# Characters that could end the <script> element or start a comment are written as escapes.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(path_or_url):
    """``path_or_url`` on the site's canonical origin (absolute URLs are left alone)."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return f"{site_url()}{path_or_url}"


def canonical_url(article):
    return absolute_url(article.get_absolute_url())


def modified_at(article):
    """The time shown as "Updated" on the page (the last correction, clarification or
    update: ``Article.revised_at``), or the publish time when there is none."""
    return article.revised_at if article.was_revised else article.publish_at


def corrections(article):
    """schema.org ``CorrectionComment`` of each correction and clarification, newest first
    (the notes the page shows; ``Article.public_notes``)."""
    return [
        {"@type": "CorrectionComment", "text": note["note"], "datePublished": _iso_text(note["at"])}
        for note in article.public_notes or ()
        if note["kind"] in CORRECTIONS and note["note"]
    ]


def _iso_text(text):
    return _iso(datetime.fromisoformat(text))


def _iso(moment):
    # The same local time and format as the page's <time datetime="…"> attributes.
    return timezone.localtime(moment).isoformat() if moment else None


def _images(photo):
    """Every rendition of the lead photo, widest first (Google picks the size it needs)."""
    if photo is None or not photo.image:
        return []
    renditions = sorted(photo.renditions or [], key=lambda r: r["width"], reverse=True)
    if not renditions:
        return [image_object(photo.image.url, photo.width, photo.height)]
    return [
        image_object(f"{settings.MEDIA_URL}{r['jpeg']}", r["width"], r["height"])
        for r in renditions
    ]


def image_object(url, width, height):
    return {"@type": "ImageObject", "url": absolute_url(url), "width": width, "height": height}


def publisher():
    path, width, height = PUBLISHER_LOGO
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "logo": image_object(static(path), width, height),
    }


# Callables ``(article) -> dict`` of NewsArticle properties, registered by the apps that
# build on articles, in their AppConfig.ready(): register_news_article_data().
_contributors = []


def register_news_article_data(contributor):
    """Add ``contributor(article)``'s properties (None values left out) to every NewsArticle."""
    if contributor not in _contributors:
        _contributors.append(contributor)


def _without_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def news_article(article):
    """schema.org NewsArticle for a story; expects ``with_related_data()`` prefetches.

    One key per line. Another app's data (e.g. ratings' ``"aggregateRating"``) comes from
    the contributors it registers (``register_news_article_data``): articles knows no app
    that builds on it.
    """
    url = canonical_url(article)
    return _without_empty(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
            "headline": article.share_title,
            # The page's own headline, when the one written for search differs.
            "alternativeHeadline": (
                article.headline if article.share_title != article.headline else None
            ),
            "description": article.share_description,
            "image": _images(article.lead_photo),
            "datePublished": _iso(article.publish_at),
            "dateModified": _iso(modified_at(article)),
            "correction": corrections(article),
            "author": [
                {
                    "@type": "Person",
                    "name": author.name,
                    "url": absolute_url(author.get_absolute_url()),
                }
                for author in article.byline_authors()
            ],
            "publisher": publisher(),
            "articleSection": article.section.name,
            "keywords": [tag.name for tag in article.tag_list()],
            "wordCount": article.word_count,
            "inLanguage": languages.tag(article.language),
            "isAccessibleForFree": True,
            # What other apps know of the story (ratings: "aggregateRating"), last.
            **{key: value for add in _contributors for key, value in add(article).items()},
        }
    )


def breadcrumb_list(article):
    """Home › section › story, as the kicker above the headline shows it."""
    crumbs = [
        (settings.SITE_NAME, absolute_url(paths.in_language(article.language, "articles:home"))),
        (article.section.name, absolute_url(article.section.get_absolute_url())),
        (article.headline, canonical_url(article)),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def json_ld_script(*objects):
    """One ``<script type="application/ld+json">`` block holding ``objects``."""
    payload = objects[0] if len(objects) == 1 else list(objects)
    text = json.dumps(payload, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return Markup('<script type="application/ld+json">{}</script>').format(Markup(text))  # noqa: S704 - <, > and & are escaped above


def _share_image(photo):
    images = _images(photo)
    return images[0] if images else None


def open_graph(article):
    """(property, content) pairs for Open Graph."""
    pairs = [
        ("og:type", "article"),
        ("og:site_name", settings.SITE_NAME),
        ("og:locale", to_locale(languages.django_code(article.language))),
        ("og:title", article.share_title),
        ("og:description", article.share_description),
        ("og:url", canonical_url(article)),
    ]
    image = _share_image(article.lead_photo)
    if image:
        pairs += [
            ("og:image", image["url"]),
            ("og:image:width", str(image["width"])),
            ("og:image:height", str(image["height"])),
            ("og:image:alt", article.lead_photo.page_alt_text),
        ]
    pairs += [
        ("article:published_time", _iso(article.publish_at)),
        ("article:modified_time", _iso(modified_at(article))),
        ("article:section", article.section.name),
    ]
    pairs += [
        ("article:author", absolute_url(a.get_absolute_url())) for a in article.byline_authors()
    ]
    pairs += [("article:tag", tag.name) for tag in article.tag_list()]
    return [(key, value) for key, value in pairs if value]


def twitter_card(article):
    """(name, content) pairs for Twitter/X cards."""
    image = _share_image(article.lead_photo)
    pairs = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", article.share_title),
        ("twitter:description", article.share_description),
    ]
    if image:
        pairs += [
            ("twitter:image", image["url"]),
            ("twitter:image:alt", article.lead_photo.page_alt_text),
        ]
    return [(key, value) for key, value in pairs if value]


def share_meta(article):
    """The canonical link, Open Graph and Twitter tags for a story's <head>.

    Written with markupsafe's ``escape`` (as the readers' templates escape) rather than
    ``format_html``: a story's <head> holds some twenty of these tags, and Django's lazy-string
    checks on every value cost more than the rest of the structured data.
    """
    lines = [f'<link rel="canonical" href="{escape(canonical_url(article))}">']
    lines += [
        f'<meta property="{escape(key)}" content="{escape(value)}">'
        for key, value in open_graph(article)
    ]
    lines += [
        f'<meta name="{escape(key)}" content="{escape(value)}">'
        for key, value in twitter_card(article)
    ]
    return Markup("\n".join(lines))  # noqa: S704 - every value escaped above
