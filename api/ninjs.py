"""Stories as IPTC ninjs 2.0 (News in JSON), for partners and agencies that take our copy.

Asked for with ``?format=ninjs`` on the story endpoints (docs/architecture/api.md says why a
query parameter and not ``Accept``). Each story is one ninjs object; a list keeps the API's
cursor envelope (``next``, ``previous``, ``results``) around them, as ninjs 2.0 defines items
and not feeds.

What maps to what: the API address by id is the ``uri`` (stable across renames); the page is
a ``renditions`` entry named ``web``; headline and social headline are ``headlines``; the
standfirst is a ``descriptions`` entry; the sanitised HTML body is ``bodies`` (detail only:
a list's items are ``partial``); bylines are ``by``; the section and tags are ``subjects``;
the lead photo is an ``associations`` entry of type ``picture`` with its renditions, caption
and credit. ``tests/api/ninjs-2.0-emitted.schema.json`` (written for this project from the
standard's documentation) checks every field we emit.
"""

from django.conf import settings
from rest_framework.renderers import JSONRenderer

from articles import languages

from . import addresses

NINJS_VERSION = "2.0"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"


class NinjsRenderer(JSONRenderer):
    """JSON, under its own ``?format=`` name. The media type stays ``application/json``:
    ninjs registers none, and clients read it as JSON."""

    format = "ninjs"


def _time(value):
    return value.isoformat() if value is not None else None


def _photo(photo, language):
    words = photo.text_in(language)
    renditions = [
        {
            "name": f"w{entry['width']}",
            "href": addresses.media_url(f"{settings.MEDIA_URL}{entry['jpeg']}"),
            "contenttype": "image/jpeg",
            "width": entry["width"],
            "height": entry["height"],
        }
        for entry in photo.renditions or ()
        if entry.get("jpeg")
    ]
    original = addresses.media_url(photo.image.url)
    if not renditions:
        renditions = [
            {"name": "original", "href": original, "width": photo.width, "height": photo.height}
        ]
    item = {
        "name": "featureimage",
        "uri": original,
        "type": "picture",
        "representationtype": "partial",
        "language": languages.tag(language),
        "renditions": renditions,
    }
    if words["caption"]:
        item["descriptions"] = [
            {"role": "caption", "contenttype": "text/plain", "value": words["caption"]},
        ]
    if words["alt_text"]:
        item.setdefault("descriptions", []).append(
            {"role": "alternative-text", "contenttype": "text/plain", "value": words["alt_text"]}
        )
    if words["credit"]:
        item["by"] = words["credit"]
        item["copyrightholder"] = words["credit"]
    return item


def story(article, full):
    """One story as a ninjs 2.0 object (``full``: with its body)."""
    language = article.language
    published = article.publish_at
    version_time = article.revised_at if article.was_revised else published
    item = {
        "uri": addresses.story_api_url(article.pk),
        "type": "text",
        "representationtype": "full" if full else "partial",
        "profile": "newsroom-story",
        "version": str(article.version),
        "firstcreated": _time(published),
        "versioncreated": _time(version_time),
        "pubstatus": "usable",
        "language": languages.tag(language),
        "copyrightholder": settings.SITE_NAME,
        "copyrightnotice": f"© {published.year} {settings.SITE_NAME}",
        "slugline": article.slug,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": article.headline}],
        "altids": [
            {"role": "newsroom-id", "value": str(article.pk)},
            {"role": "canonical-url", "value": addresses.page_url(article)},
        ],
        "renditions": [
            {"name": "web", "href": addresses.page_url(article), "contenttype": "text/html"}
        ],
        "subjects": [
            {
                "name": article.section.name,
                "rel": "section",
                "literal": article.section.slug,
                "uri": addresses.page_url(article.section),
            },
            *(
                {
                    "name": tag.name,
                    "rel": "about",
                    "literal": tag.slug,
                    "uri": addresses.tag_url(tag.slug, language),
                }
                for tag in article.tag_list()
            ),
        ],
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
    }
    if article.social_headline.strip():
        item["headlines"].append(
            {"role": "social", "contenttype": "text/plain", "value": article.social_headline}
        )
    if article.standfirst:
        item["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": article.standfirst}
        ]
    authors = article.byline_authors()
    if authors:
        item["by"] = ", ".join(author.name for author in authors)
    if full:
        item["bodies"] = [
            {
                "role": "main",
                "contenttype": "text/html",
                "wordcount": article.word_count,
                "value": article.body,
            }
        ]
    if article.lead_photo is not None:
        item["associations"] = [_photo(article.lead_photo, language)]
    return item
