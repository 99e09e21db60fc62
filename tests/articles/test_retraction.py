"""A retracted story answers 410 with its note and leaves every list; a legally removed
story answers 404 everywhere, its photo's files included."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from articles import related, workflow
from articles.models import Article, RelatedArticle
from tests.articles import test_related_refresh
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    StaffFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

archive = test_related_refresh.archive  # a wildfire story, its relatives, lists computed

NOTE = "The story relied on a source who misrepresented their role in the inquiry."


@pytest.fixture
def editor(db):
    return StaffFactory(username="editor", group="Editor")


@pytest.fixture
def story(db, django_capture_on_commit_callbacks):
    """Published, its search vector written (PostgreSQL) after commit."""
    section = SectionFactory(name="Canada", slug="canada")
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(
            headline="Glacier inquiry finds fault",
            body="<p>Unmistakablewording of the glacier story body.</p>",
            section=section,
            authors=[AuthorFactory(name="Gale Writer", slug="gale-writer")],
            tags=["Glaciers"],
        )


def public_addresses(article):
    """Every public address that lists the story (its own page aside)."""
    return [
        "/",
        article.section.get_absolute_url(),
        "/tag/glaciers/",
        "/author/gale-writer/",
        "/search/?q=glacier",
        "/feeds/latest/rss/",
        "/feeds/latest/atom/",
        f"/feeds/section/{article.section.slug}/rss/",
        "/feeds/tag/glaciers/rss/",
        "/feeds/author/gale-writer/atom/",
        "/sitemap-news.xml",
        "/sitemap-stories.xml",
        "/sitemap-tags.xml",  # its only story gone, the tag's page goes too
    ]


def shows(url, text, article):
    marker = "/tag/glaciers/" if url == "/sitemap-tags.xml" else article.slug
    return marker in text


def withdraw(article, status, by, note=NOTE, callbacks=None):
    with callbacks(execute=True):
        workflow.move(article, status, by=by, note=note)
    article.refresh_from_db()


def test_a_retracted_story_answers_410_with_its_note_and_no_text(
    client, editor, story, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Headline, when and why; the body, photo and ratings are gone. Cached as a 410."""
    assert client.get(story.get_absolute_url()).status_code == 200  # kept by the cache
    withdraw(story, Article.Status.RETRACTED, editor, callbacks=django_capture_on_commit_callbacks)
    assert story.retracted_at is not None and story.retraction_note == NOTE
    for queries in (None, 0):  # rendered, then from the page cache: a 410 both times
        if queries is None:
            response = client.get(story.get_absolute_url())
        else:
            with django_assert_num_queries(queries):
                response = client.get(story.get_absolute_url())
        text = response.content.decode()
        assert response.status_code == 410
        assert "Glacier inquiry finds fault" in text and NOTE in text
        assert "Retracted" in text
        assert "Unmistakablewording" not in text
        assert "ratings" not in text.lower()
    assert "noindex" in text


def test_a_retracted_story_leaves_every_list_feed_sitemap_and_search(
    client, editor, story, django_capture_on_commit_callbacks
):
    """Home, section, tag, author, search, feeds and sitemaps, all cached before the move."""
    addresses = public_addresses(story)
    before = {url: client.get(url) for url in addresses}
    assert [u for u, r in before.items() if not shows(u, r.content.decode(), story)] == []
    withdraw(story, Article.Status.RETRACTED, editor, callbacks=django_capture_on_commit_callbacks)
    for url in addresses:
        text = client.get(url).content.decode()
        assert not shows(url, text, story) and "Glacier inquiry" not in text, url


def test_a_retracted_story_leaves_related_lists(
    client,
    editor,
    archive,
    django_capture_on_commit_callbacks,
):
    """The worker's lists drop it, and the pages that showed it in "You may also like"."""
    target, relatives, _ = archive
    gone = relatives[0]
    assert gone.pk in {s.pk for s in related.related_for(target)}
    assert gone.headline in client.get(target.get_absolute_url()).content.decode()
    withdraw(gone, Article.Status.RETRACTED, editor, callbacks=django_capture_on_commit_callbacks)
    assert not RelatedArticle.objects.filter(related=gone).exists()
    assert gone.pk not in {s.pk for s in related.related_for(target)}
    assert gone.headline not in client.get(target.get_absolute_url()).content.decode()


def test_a_french_retraction_page_is_in_french(client, editor, django_capture_on_commit_callbacks):
    story = ArticleFactory(language="fr", headline="Enquête sur le glacier")
    withdraw(
        story,
        Article.Status.RETRACTED,
        editor,
        note="Une source a menti.",
        callbacks=django_capture_on_commit_callbacks,
    )
    response = client.get(story.get_absolute_url())
    text = response.content.decode()
    assert story.get_absolute_url().startswith("/fr/")
    assert response.status_code == 410
    assert '<html lang="fr' in text and "Une source a menti." in text
    assert "Pourquoi nous avons rétracté cet article" in text


def test_an_old_address_of_a_retracted_story_leads_to_its_notice(
    client, editor, story, django_capture_on_commit_callbacks
):
    old = story.get_absolute_url()
    story.slug = "glacier-inquiry-renamed"
    story.save()
    withdraw(story, Article.Status.RETRACTED, editor, callbacks=django_capture_on_commit_callbacks)
    response = client.get(old, follow=True)
    assert response.redirect_chain[0][1] == 301
    assert response.status_code == 410


# --- legal removal ----------------------------------------------------------------------


@pytest.mark.parametrize("first", [None, Article.Status.RETRACTED])
def test_a_legally_removed_story_is_a_404_everywhere(
    client, editor, story, first, django_capture_on_commit_callbacks
):
    """From published, or from retracted (its cached 410 notice goes too)."""
    addresses = [story.get_absolute_url(), *public_addresses(story)]
    if first:
        withdraw(story, first, editor, callbacks=django_capture_on_commit_callbacks)
    for url in addresses:
        client.get(url)  # every page cached
    withdraw(
        story,
        Article.Status.REMOVED,
        editor,
        "Court order 2026-ONSC-123",
        django_capture_on_commit_callbacks,
    )
    response = client.get(story.get_absolute_url())
    assert response.status_code == 404
    for url in addresses:
        text = client.get(url).content.decode()
        assert not shows(url, text, story) and "Glacier inquiry" not in text, url
    assert "Court order" not in response.content.decode()


def test_a_legal_removal_takes_the_lead_photos_files_off_their_addresses(
    editor, django_capture_on_commit_callbacks
):
    """The original, renditions and crops at the old names are gone; the photo stays."""
    photo = PhotoFactory()
    story = ArticleFactory(lead_photo=photo)
    old_files = photo.file_names()
    assert len(old_files) > 1 and all(default_storage.exists(n) for n in old_files)
    withdraw(
        story, Article.Status.REMOVED, editor, "Publication ban", django_capture_on_commit_callbacks
    )
    photo.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old_files)
    assert photo.image.name not in old_files and default_storage.exists(photo.image.name)


def test_a_photo_another_story_still_shows_keeps_its_files(
    editor, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    story = ArticleFactory(lead_photo=photo)
    ArticleFactory(lead_photo=photo)
    name = photo.image.name
    withdraw(
        story, Article.Status.REMOVED, editor, "Publication ban", django_capture_on_commit_callbacks
    )
    photo.refresh_from_db()
    assert photo.image.name == name and default_storage.exists(name)


# --- the workflow service's rules --------------------------------------------------------


@pytest.mark.parametrize("target", [Article.Status.RETRACTED, Article.Status.REMOVED])
def test_a_withdrawal_needs_its_words(editor, story, target):
    for note in (None, "", "   "):
        with pytest.raises(ValidationError) as refusal:
            workflow.move(story, target, by=editor, note=note)
        assert refusal.value.code == "note_required"
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_only_a_story_readers_can_see_can_be_retracted(editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    with pytest.raises(ValidationError):
        workflow.move(draft, Article.Status.RETRACTED, by=editor, note=NOTE)


def test_a_retraction_cannot_be_undone(editor, story, django_capture_on_commit_callbacks):
    withdraw(story, Article.Status.RETRACTED, editor, callbacks=django_capture_on_commit_callbacks)
    for target in (Article.Status.PUBLISHED, Article.Status.UNPUBLISHED, Article.Status.DRAFT):
        with pytest.raises(ValidationError):
            workflow.move(story, target, by=editor)


def test_the_removal_reason_is_in_the_log_entry_not_in_the_revision(
    editor, story, django_capture_on_commit_callbacks
):
    from reversion.models import Version

    with django_capture_on_commit_callbacks(execute=True):
        entry = workflow.move(story, Article.Status.REMOVED, by=editor, note="Court order 42")
    assert "Court order 42" in entry.get_change_message()
    assert entry.user == editor
    latest = Version.objects.get_for_object(story).first()
    assert "Court order 42" not in latest.revision.get_comment()


# --- the public record (history page, corrections page and feed) --------------------------


def corrected(story):
    story.body = "<p>Unmistakablewording, corrected.</p>"
    story.describe_change("correction", "An earlier version misnamed the inquiry.")
    story.save()
    return story


def test_a_retracted_storys_history_stays_public_with_the_retraction_on_top(
    client, editor, story, django_capture_on_commit_callbacks
):
    corrected(story)
    history = f"{story.get_absolute_url()}history/"
    assert client.get(history).status_code == 200  # kept by the cache
    withdraw(story, Article.Status.RETRACTED, editor, callbacks=django_capture_on_commit_callbacks)
    response = client.get(history)
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index(NOTE) < text.index("An earlier version misnamed the inquiry.")
    assert 'id="retraction"' in text
    assert history in client.get(story.get_absolute_url()).content.decode()  # from the notice
    # Its corrections stay on the corrections page and feed, linking to that history.
    assert f"{history}#change-" in client.get("/corrections/").content.decode()
    assert "misnamed the inquiry" in client.get("/feeds/corrections/rss/").content.decode()


@pytest.mark.parametrize("first", [None, Article.Status.RETRACTED])
def test_a_legally_removed_storys_history_and_corrections_are_gone(
    client, editor, story, first, django_capture_on_commit_callbacks
):
    corrected(story)
    if first:
        withdraw(story, first, editor, callbacks=django_capture_on_commit_callbacks)
    addresses = [
        f"{story.get_absolute_url()}history/",
        "/corrections/",
        "/feeds/corrections/rss/",
        "/feeds/corrections/atom/",
    ]
    assert all("misnamed the inquiry" in client.get(url).content.decode() for url in addresses)
    withdraw(
        story, Article.Status.REMOVED, editor, "Court order", django_capture_on_commit_callbacks
    )
    assert client.get(addresses[0]).status_code == 404
    for url in addresses:
        text = client.get(url).content.decode()
        assert "misnamed the inquiry" not in text and story.slug not in text, url
