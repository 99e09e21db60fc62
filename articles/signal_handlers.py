"""Every receiver of the articles app, connected in one place: ``connect()``, from ``ready()``.

Deletions become the events of ``articles.events``: a story or photo can be deleted by paths
that never call the model's own ``delete()`` (the admin's "Delete selected" action, a
cascade, a management command), and Django sends ``pre_delete``/``post_delete`` for each row
on every one of those paths (a receiver also keeps Django from deleting the rows in bulk
without loading them).

The rest keeps what readers see current: search vectors when tags change, tag addresses,
and the cached pages (``articles.cached_pages``) of stories, photos, sections, authors, tags,
the front page and the site pages. The order of the after-commit work of a story save is
not decided by receivers: ``articles.events`` refreshes the search vector, then sends
``article_changed`` (to which the page cache's receiver listens), then queues the worker.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag

from . import cached_pages, events, frontpage, search, tags
from .models import (
    Article,
    Author,
    Byline,
    FrontPage,
    FrontPageStory,
    InfoPage,
    Photo,
    Section,
    TaggedArticle,
)
from .signals import article_changed, related_lists_changed


def _story_deleted(sender, instance, **kwargs):
    events.story_changed(instance.pk, deleted=True)


def _photo_deleting(sender, instance, **kwargs):
    # Before the row goes: Django empties the stories' lead_photo (SET NULL) before
    # post_delete, and the stories that showed the photo could not be found then.
    events.photo_deleted(
        instance.pk,
        instance.stories_using().values_list("pk", flat=True),
        instance.file_names(),
        instance.image.storage,
    )


def _photo_saved(sender, instance, created, **kwargs):
    """A changed photo (caption, credit, crop) shows wherever its stories do."""
    if created:
        return
    ids = list(instance.articles.values_list("pk", flat=True))
    if ids:
        transaction.on_commit(partial(cached_pages.invalidate_story_pages_and_lists, ids))


# --- Authors and tags: their pages, and the stories that show their name ----------------


def _old_slug(model, instance):
    """The slug stored before this save (None for a new row): its old page is stale too."""
    if instance.pk is None:
        return None
    return model.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()


def _author_saving(sender, instance, **kwargs):
    instance.cached_pages_old_slug = _old_slug(Author, instance)


def _author_changed(sender, instance, **kwargs):
    slugs = {instance.slug, getattr(instance, "cached_pages_old_slug", None)} - {None}
    ids = Byline.objects.filter(author_id=instance.pk).values_list("article_id", flat=True)
    cached_pages.after_commit({f"author:{slug}" for slug in slugs}, set(ids))


def _tag_saving(sender, instance, **kwargs):
    instance.cached_pages_old_slug = _old_slug(Tag, instance)


def _tag_changed(sender, instance, **kwargs):
    """A renamed tag: its stories' search documents first, then every page showing it."""
    slugs = {instance.slug, getattr(instance, "cached_pages_old_slug", None)} - {None}
    ids = list(
        TaggedArticle.objects.filter(tag_id=instance.pk).values_list("content_object_id", flat=True)
    )
    if not kwargs.get("created"):
        transaction.on_commit(partial(search.update_search_vectors, ids))
    cached_pages.after_commit({f"tag:{slug}" for slug in slugs}, ids)


def _tag_deleting(sender, instance, **kwargs):
    # Before the row goes: its taggings are deleted with it, and its stories with them.
    ids = list(
        TaggedArticle.objects.filter(tag_id=instance.pk).values_list("content_object_id", flat=True)
    )
    transaction.on_commit(partial(search.update_search_vectors, ids))
    cached_pages.after_commit({f"tag:{instance.slug}"}, ids)


def connect():
    """Connect every receiver of the app (``ArticlesConfig.ready()``); idempotent."""
    connections = [
        # Deletions by any path are events.
        (post_delete, _story_deleted, Article, "articles-story-deleted"),
        (pre_delete, _photo_deleting, Photo, "articles-photo-deleting"),
        # Tags are part of a story's search document.
        (m2m_changed, search.refresh_after_tagging, TaggedArticle, "articles-search-tagging"),
        # Tags whose names slugify to nothing ("!!!", "🔥") still get an address.
        (pre_save, tags.give_empty_slugs_an_address, Tag, "articles_tag_slugs"),
        # Cached pages (articles.cached_pages).
        (article_changed, cached_pages.on_article_changed, None, "pagecache-article"),
        (related_lists_changed, cached_pages.on_related_lists_changed, None, "pagecache-related"),
        (pre_delete, cached_pages.on_article_deleting, Article, "pagecache-article-del"),
        (post_save, _photo_saved, Photo, "pagecache-photo"),
        (post_save, cached_pages.on_navigation_changed, Section, "pagecache-section"),
        (post_delete, cached_pages.on_navigation_changed, Section, "pagecache-section-del"),
        (pre_save, _author_saving, Author, "pagecache-author-saving"),
        (post_save, _author_changed, Author, "pagecache-author"),
        (post_delete, _author_changed, Author, "pagecache-author-del"),
        (pre_save, _tag_saving, Tag, "pagecache-tag-saving"),
        (post_save, _tag_changed, Tag, "pagecache-tag"),
        (pre_delete, _tag_deleting, Tag, "pagecache-tag-del"),
        (post_save, frontpage.home_changed, FrontPage, "frontpage-FrontPage-save"),
        (post_delete, frontpage.home_changed, FrontPage, "frontpage-FrontPage-delete"),
        (post_save, frontpage.home_changed, FrontPageStory, "frontpage-FrontPageStory-save"),
        (post_delete, frontpage.home_changed, FrontPageStory, "frontpage-FrontPageStory-delete"),
        (post_save, frontpage.footer_changed, InfoPage, "infopage-save"),
        (post_delete, frontpage.footer_changed, InfoPage, "infopage-delete"),
    ]
    for signal, receiver, sender, uid in connections:
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
    cached_pages.register()
    frontpage.register_expiry()
