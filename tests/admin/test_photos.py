"""The lead photo in the story form: uploaded in place, checked, described before it goes out."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article, Photo
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import PhotoFactory, image_bytes

pytestmark = pytest.mark.django_db


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def bomb_png():
    """A tiny file that would decode to 100 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def noise_png():
    """A real photo-sized PNG of random pixels, about 1.9 MB."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def post_photo(client, story, photo_file, **fields):
    return client.post(change_url(story), story_form_data(story, photo_upload=photo_file, **fields))


def test_a_reporter_uploads_a_photo_in_the_story_form(
    reporter_client, own_draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the worker's part, in-process
        response = post_photo(
            reporter_client,
            own_draft,
            upload(image_bytes()),
            photo_caption="Crews on the ridge.",
            photo_credit="THE CANADIAN PRESS/Jane Doe",
            photo_alt_text="Firefighters on a smoky ridge",
        )
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    photo = own_draft.lead_photo
    assert (photo.caption, photo.credit, photo.alt_text) == (
        "Crews on the ridge.",
        "THE CANADIAN PRESS/Jane Doe",
        "Firefighters on a smoky ridge",
    )
    assert photo.renditions, "renditions are made for the new photo"
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert "data-photo-preview" in page and photo.rendition_url(320) in page


def test_a_draft_may_have_a_photo_without_caption_credit_or_alt_text(reporter_client, own_draft):
    response = post_photo(reporter_client, own_draft, upload(image_bytes()))
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.lead_photo is not None and own_draft.lead_photo.caption == ""


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("photo_caption", "needs a caption"),
        ("photo_credit", "needs a credit"),
        ("photo_alt_text", "needs alt text"),
    ],
)
def test_publishing_needs_each_photo_field_and_says_which(
    editor_client, own_draft, missing, message
):
    own_draft.lead_photo = PhotoFactory()
    own_draft.save()
    data = story_form_data(own_draft, _transition="published", **{missing: "  "})
    response = editor_client.post(change_url(own_draft), data)
    assert response.status_code == 200
    assert f"{missing}: The lead photo {message}" in form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT


def test_editing_the_caption_in_the_story_form_updates_the_photo(editor_client, own_draft):
    own_draft.lead_photo = PhotoFactory()
    own_draft.save()
    response = editor_client.post(
        change_url(own_draft), story_form_data(own_draft, photo_caption="A better caption.")
    )
    assert response.status_code == 302, form_errors(response)
    assert Photo.objects.get().caption == "A better caption."


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda: upload(b"%PDF-1.4 not a photo", name="scan.jpg"), "not an image we can read"),
        (lambda: upload(image_bytes("GIF", size=(20, 20)), name="a.gif"), "Upload a JPEG, PNG"),
        (lambda: upload(bomb_png(), name="bomb.png", content_type="image/png"), "pixels"),
        (lambda: upload(noise_png(), name="big.png", content_type="image/png"), "at most 1 MB"),
    ],
    ids=["not-an-image", "gif", "decompression-bomb", "oversized"],
)
def test_refused_uploads_are_form_errors_not_crashes(
    reporter_client, own_draft, settings, make_file, message
):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1_048_576
    response = post_photo(reporter_client, own_draft, make_file())
    assert response.status_code == 200
    assert message in form_errors(response)
    assert not Photo.objects.exists()
    own_draft.refresh_from_db()
    assert own_draft.lead_photo is None
