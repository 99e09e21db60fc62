"""Absolute addresses of what the API shows: the API's own (stable, by id) and the pages'.

The pages' addresses are the canonical ones readers share: ``get_absolute_url()`` in the
story's or section's own language (``/story/<slug>/``, ``/fr/article/<slug>/``), tags and
authors in the language asked for (``/tag/…``, ``/fr/mot-cle/…``); see
docs/architecture/languages.md. All are on ``SITE_URL`` (``articles.structured_data``).
"""

from django.urls import reverse

from articles.paths import in_language
from articles.structured_data import absolute_url


def story_api_url(story_id):
    """The story's address in the API: its stable identifier (ninjs ``uri``)."""
    return absolute_url(reverse("api:story-detail", args=[story_id]))


def page_url(obj):
    return absolute_url(obj.get_absolute_url())


def tag_url(slug, language):
    return absolute_url(in_language(language, "articles:tag", slug))


def author_url(slug, language):
    return absolute_url(in_language(language, "articles:author", slug))


def media_url(url):
    return absolute_url(url)
