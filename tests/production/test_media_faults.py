"""A full disk or unwritable media folder on upload: a clear admin error, nothing half-saved."""

import errno
import os
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Photo
from newsroom.storage import MediaStorage, MediaStorageError
from tests.factories import ArticleFactory, SectionFactory, image_bytes

pytestmark = pytest.mark.django_db


def upload(client):
    return client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": SimpleUploadedFile("fire.jpg", image_bytes(), content_type="image/jpeg"),
            "caption": "Smoke over Yellowknife",
            "credit": "THE CANADIAN PRESS",
            "alt_text": "Smoke over a city",
        },
    )


def files_under(root):
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "error", [errno.ENOSPC, errno.EACCES, errno.EROFS], ids=["disk-full", "denied", "read-only"]
)
def test_storage_failure_gives_a_clear_admin_error_and_no_photo(admin_browser, settings, error):
    with mock.patch("os.open", side_effect=OSError(error, os.strerror(error))):
        response = upload(admin_browser)
    assert response.status_code == 507
    html = response.content.decode()
    assert "could not be saved because the media storage failed" in html
    assert os.strerror(error) in html
    assert "Nothing was saved" in html
    assert Photo.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []


def test_media_folder_that_cannot_be_created_gives_the_same_error(
    admin_browser, settings, tmp_path
):
    """A real failure, no mocks: the media root sits under a regular file (root can't write)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = upload(admin_browser)
    assert response.status_code == 507
    assert "Nothing was saved" in response.content.decode()
    assert Photo.objects.count() == 0


def test_disk_filling_mid_write_leaves_no_partial_file(tmp_path):
    storage = MediaStorage(location=tmp_path)

    class FillsUp(ContentFile):
        # A real JPEG (the storage refuses anything else) whose write fails after 1 kB.
        def chunks(self, chunk_size=None):
            yield self.read(1024)
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(MediaStorageError):
        storage.save("photos/big.jpg", FillsUp(image_bytes()))
    assert files_under(tmp_path) == []


def test_working_storage_saves_the_photo(admin_browser):
    response = upload(admin_browser)
    assert response.status_code == 302
    assert Photo.objects.count() == 1


def test_new_story_with_a_photo_on_a_full_disk_is_not_half_written(admin_browser, settings):
    from tests.admin.story_form import add_url, story_form_data

    section = SectionFactory()
    data = story_form_data(
        section=str(section.pk),
        headline="Flood waters rise in Fredericton",
        photo_upload=SimpleUploadedFile("flood.jpg", image_bytes(), content_type="image/jpeg"),
        photo_caption="The Saint John River over its banks",
        photo_credit="THE CANADIAN PRESS",
        photo_alt_text="A flooded street",
    )
    with mock.patch("os.open", side_effect=OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))):
        response = admin_browser.post(add_url(), data)
    assert response.status_code == 507
    assert "Nothing was saved" in response.content.decode()
    assert not Article.objects.filter(headline="Flood waters rise in Fredericton").exists()
    assert Photo.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []


def test_story_edit_with_a_photo_on_a_full_disk_keeps_the_story_as_it_was(admin_browser):
    from tests.admin.story_form import change_url, story_form_data

    story = ArticleFactory(headline="Council approves new transit line")
    version = Article.objects.get(pk=story.pk).version
    data = story_form_data(
        story,
        headline="Council approves new transit line, again",
        photo_upload=SimpleUploadedFile("line.jpg", image_bytes(), content_type="image/jpeg"),
        photo_caption="The new line's first station",
        photo_credit="THE CANADIAN PRESS",
        photo_alt_text="A station under construction",
        change_kind="minor",
    )
    with mock.patch("os.open", side_effect=OSError(errno.EROFS, os.strerror(errno.EROFS))):
        response = admin_browser.post(change_url(story), data)
    assert response.status_code == 507
    story.refresh_from_db()
    assert story.headline == "Council approves new transit line"
    assert story.version == version and story.lead_photo_id is None
    assert Photo.objects.count() == 0
