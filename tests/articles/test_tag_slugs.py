"""Every tag has an address, even one whose name has no letter or digit ("!!!", "🔥")."""

import importlib
import re

import pytest
from django.apps import apps
from taggit.models import Tag

from articles.sitemaps import TagSitemap
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SYMBOL_NAMES = ["!!!", "🔥", "???", "—"]


def test_tags_without_letters_get_distinct_url_safe_slugs():
    """Each such tag gets a non-empty slug of its own that a URL can carry."""
    ArticleFactory(tags=SYMBOL_NAMES)
    slugs = [Tag.objects.get(name=name).slug for name in SYMBOL_NAMES]
    assert all(re.fullmatch(r"[-\w]+", slug) for slug in slugs)
    assert len(set(slugs)) == len(slugs)


def test_a_story_with_such_a_tag_and_the_tag_page_answer(client):
    """The story page, the tag's own page and its feed work."""
    story = ArticleFactory(tags=["🔥", "!!!"])
    assert client.get(story.get_absolute_url()).status_code == 200
    for tag in Tag.objects.all():
        assert client.get(f"/tag/{tag.slug}/").status_code == 200
        assert client.get(f"/feeds/tag/{tag.slug}/rss/").status_code == 200


def test_the_tags_sitemap_lists_such_tags(client):
    """The tags sitemap answers and links every public tag."""
    ArticleFactory(tags=["🔥", "Wildfires"])
    assert len(TagSitemap().get_urls()) == 2
    assert client.get("/sitemap-tags.xml").status_code == 200


def test_tags_made_directly_get_a_slug_too():
    """The importer's path (Tag.objects.create) gets the same slugs."""
    assert Tag.objects.create(name="!!!").slug
    assert Tag.objects.create(name="Montréal").slug == "montréal"


def test_the_migration_gives_existing_empty_slugs_an_address():
    """Tags saved with an empty slug before the fix get one from the data migration."""
    tag = Tag.objects.create(name="🔥")
    Tag.objects.filter(pk=tag.pk).update(slug="")
    migration = importlib.import_module("articles.migrations.0015_tags_without_slug")
    migration.give_empty_slugs_an_address(apps, None)
    tag.refresh_from_db()
    assert tag.slug.startswith("tag-")
