"""Whatever deletes a story or a photo, no cached page keeps showing it."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import cached_pages
from articles.models import Article, Photo, RelatedArticle
from newsroom import pagecache
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    image_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def pages_of(article):
    """Every public address that shows the story: its page and the lists it is on."""
    author = article.byline_authors()[0]
    return [
        article.get_absolute_url(),
        "/",
        article.section.get_absolute_url(),
        f"/tag/{article.tag_list()[0].slug}/",
        author.get_absolute_url(),
        "/search/?q=Glacier",
        "/sitemap-news.xml",
    ]


def fetch_all(client, urls):
    return {url: client.get(url).content.decode() for url in urls}


def bulk_delete(admin_client, articles):
    return admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in articles], "post": "yes"},
    )


def test_the_admins_delete_selected_leaves_no_cached_page_showing_the_stories(
    client, admin_client, django_capture_on_commit_callbacks
):
    """Bulk delete: story, home, section, tag, author, search and sitemap pages all drop them."""
    section, author = SectionFactory(), AuthorFactory()
    kept = ArticleFactory(headline="Harbour opens", section=section, authors=[author])
    with django_capture_on_commit_callbacks(execute=True):
        gone = [
            ArticleFactory(
                headline=f"Glacier retreat report {n}",
                section=section,
                authors=[author],
                tags=["Glaciers"],
            )
            for n in range(2)
        ]
    urls = [*pages_of(gone[0]), gone[1].get_absolute_url()]
    before = fetch_all(client, urls)
    # Slugs, not headlines: search marks the words it matched inside the headline.
    missing = [u for u, text in before.items() if gone[0].slug not in text and u in urls[:-1]]
    assert not missing

    with django_capture_on_commit_callbacks(execute=True):
        response = bulk_delete(admin_client, gone)
    assert response.status_code == 302
    assert not Article.objects.filter(pk__in=[a.pk for a in gone]).exists()

    for url in urls:
        response = client.get(url)
        text = response.content.decode()
        assert gone[0].slug not in text and gone[1].slug not in text, url
        if "/story/" in url or "/tag/" in url:
            assert response.status_code == 404, url
    assert "Harbour opens" in client.get("/").content.decode()
    assert kept.pk


def test_a_queryset_delete_from_code_invalidates_like_a_single_delete(
    client, django_capture_on_commit_callbacks
):
    """``Article.objects.filter(...).delete()`` (a shell, a command) empties the cached pages."""
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(headline="Glacier tour cancelled", tags=["Glaciers"])
    urls = pages_of(story)
    before = fetch_all(client, urls)
    assert all(story.slug in text for text in before.values())
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=story.pk).delete()
    for url in urls:
        assert story.slug not in client.get(url).content.decode(), url


def test_a_deleted_story_leaves_the_related_lists_that_named_it(
    client, django_capture_on_commit_callbacks
):
    """A related list written after the story's last save still loses it at once."""
    holder = ArticleFactory(headline="Ice fields shrink")
    with django_capture_on_commit_callbacks(execute=True):
        gone = ArticleFactory(headline="Glacier melt doubles")
    # The worker puts the story on the holder's list later, without a save of the story.
    listed = [
        gone,
        ArticleFactory(headline="Sea ice low"),
        ArticleFactory(headline="Snowpack thin"),
    ]
    for position, story in enumerate(listed):
        RelatedArticle.objects.update_or_create(
            article=holder, related=story, defaults={"score": 1.0, "position": position}
        )
    cached_pages.invalidate_story_pages([holder.pk])
    assert "Glacier melt doubles" in client.get(holder.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        bulk = Article.objects.filter(pk=gone.pk)
        bulk.delete()
    assert "Glacier melt doubles" not in client.get(holder.get_absolute_url()).content.decode()


def files_of(photo):
    """The original's name and every rendition's and crop's."""
    copies = [*photo.renditions, *photo.crops]
    return [photo.image.name, *(v for c in copies for v in c.values() if isinstance(v, str))]


def photo_named(word):
    return PhotoFactory(image=ContentFile(image_bytes(size=(480, 320)), name=f"{word}.jpg"))


def test_deleting_a_photo_leaves_no_cached_page_showing_it_and_removes_its_files(
    client, django_capture_on_commit_callbacks
):
    """The SET NULL on the stories bypasses their save(); every page that showed it changes."""
    photo = photo_named("glacier")
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(headline="Glacier walk", tags=["Glaciers"], lead_photo=photo)
    files = files_of(photo)
    assert len(files) > 1 and all(default_storage.exists(name) for name in files)
    shown = [url for url in pages_of(story) if "sitemap" not in url and "search" not in url]
    before = fetch_all(client, shown)
    for url, text in before.items():
        assert any(name in text for name in files), url

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()

    story.refresh_from_db()
    assert story.lead_photo is None
    for url in shown:
        text = client.get(url).content.decode()
        assert not any(name in text for name in files), url
    assert not any(default_storage.exists(name) for name in files)


def test_deleting_a_photo_shown_inline_refreshes_the_story_that_shows_it(
    client, django_capture_on_commit_callbacks, settings, django_assert_num_queries
):
    """A body's <img> of the photo counts as use: the story's pages are rendered again."""
    photo = photo_named("inline")
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(
            headline="Glacier in pictures",
            body=f'<p>Look.</p><img src="{settings.MEDIA_URL}{photo.image.name}" alt="x">',
        )
    client.get(story.get_absolute_url())
    with django_assert_num_queries(0):
        client.get(story.get_absolute_url())  # kept by the page cache
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    pagecache._local.clear()  # this process's one-second copy is not what is tested
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.get_absolute_url()).status_code == 200
    assert queries, "the story page was served from the cache after its photo was deleted"


def test_the_photo_delete_confirmation_names_the_published_stories_that_show_it(
    admin_client, settings
):
    """Lead-photo and inline use by published stories are listed; a draft's use is not."""
    photo = photo_named("named")
    ArticleFactory(headline="Lead photo story", lead_photo=photo)
    ArticleFactory(
        headline="Inline photo story",
        body=f'<p>x</p><img src="{settings.MEDIA_URL}{photo.image.name}" alt="x">',
    )
    ArticleFactory(headline="Draft using it", lead_photo=photo, status=Article.Status.DRAFT)
    unused = photo_named("unused")

    page = admin_client.get(reverse("admin:articles_photo_delete", args=[photo.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Lead photo story" in text and "Inline photo story" in text
    assert "Draft using it" not in text
    assert "2 published stories show the photo" in text

    other = admin_client.get(reverse("admin:articles_photo_delete", args=[unused.pk]))
    assert "published-stories-showing" not in other.content.decode()
    assert Photo.objects.count() == 2
