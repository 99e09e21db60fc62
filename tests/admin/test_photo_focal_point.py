"""A photo's focal point: the 3:2 crops keep it in frame, and moving it re-makes them."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from articles import tasks
from articles.images import crop_box
from articles.models import Photo
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

PHOTO_PAGE = "/admin/articles/photo/{}/change/"


@pytest.mark.parametrize(
    ("size", "focal"),
    [
        ((1200, 400), (0.02, 0.5)),  # wide: the left edge
        ((1200, 400), (0.98, 0.1)),  # wide: the right edge
        ((1200, 400), (0.5, 0.5)),
        ((400, 1200), (0.5, 0.01)),  # tall: the very top
        ((400, 1200), (0.3, 0.99)),  # tall: the very bottom
        ((600, 400), (0.0, 1.0)),  # already 3:2: the whole image
        ((3, 1000), (1.0, 0.5)),  # smaller than any crop width
    ],
)
def test_a_crop_keeps_the_focal_point_inside(size, focal):
    width, height = size
    left, top, right, bottom = crop_box(width, height, *focal)
    assert 0 <= left < right <= width and 0 <= top < bottom <= height
    x, y = focal[0] * width, focal[1] * height
    assert left <= x <= right and top <= y <= bottom
    crop_w, crop_h = right - left, bottom - top
    assert abs(crop_w / crop_h - 3 / 2) < 0.05 or crop_w == width or crop_h == height


def test_without_a_focal_point_the_crop_is_centred():
    assert crop_box(1200, 400) == (300, 0, 900, 400)


def photo_with_a_red_spot_at_the_left_edge(**fields):
    """A grey 1500 × 500 photo with a red square 30 px from its left edge."""
    image = Image.new("RGB", (1500, 500), (128, 128, 128))
    image.paste((220, 0, 0), (30, 230, 70, 270))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return PhotoFactory(image=ContentFile(buffer.getvalue(), name="spot.png"), **fields)


def red_in(photo, entry):
    with photo.image.storage.open(entry["jpeg"]) as f, Image.open(f) as crop:
        colours = crop.convert("RGB").getcolors(crop.width * crop.height)
        return any(r > 180 and g < 60 and b < 60 for _, (r, g, b) in colours)


def test_the_crops_show_the_focal_point_and_a_centred_crop_would_not():
    centred = photo_with_a_red_spot_at_the_left_edge()
    assert centred.crops and not any(red_in(centred, c) for c in centred.crops)

    focused = photo_with_a_red_spot_at_the_left_edge(focal_x=0.033, focal_y=0.5)
    assert focused.crops and all(red_in(focused, c) for c in focused.crops)
    assert all(round(c["width"] / c["height"], 2) == 1.5 for c in focused.crops)


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.make_renditions, "delay", lambda *a, **k: calls.append(a))
    return calls


def test_moving_the_focal_point_remakes_the_crops_in_the_background(
    sent, django_capture_on_commit_callbacks
):
    photo = photo_with_a_red_spot_at_the_left_edge()
    before = list(photo.crops)
    assert not any(red_in(photo, c) for c in before)

    photo = Photo.objects.get(pk=photo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        photo.focal_x, photo.focal_y = 0.033, 0.5
        photo.save()
    assert sent == [(photo.pk,)]  # queued like a new upload, once the save commits
    photo.refresh_from_db()
    assert photo.crops == before  # pages keep the current copies meanwhile
    assert photo.renditions_of != photo.image.name  # due: the sweep would find it too

    tasks.make_renditions.run(photo.pk)
    photo.refresh_from_db()
    assert photo.renditions_of == photo.image.name
    assert photo.crops != before and all(red_in(photo, c) for c in photo.crops)


def test_a_caption_edit_does_not_remake_anything(sent, django_capture_on_commit_callbacks):
    photo = Photo.objects.get(pk=PhotoFactory().pk)
    with django_capture_on_commit_callbacks(execute=True):
        photo.caption = "A better caption"
        photo.save()
    assert sent == []


def test_crops_made_for_an_old_focal_point_are_not_stored():
    photo = PhotoFactory(rendered=False)
    stale = Photo.objects.get(pk=photo.pk)
    Photo.objects.filter(pk=photo.pk).update(focal_x=0.1, focal_y=0.1)
    assert stale.refresh_renditions() is False  # a newer focal point has its own run queued
    assert Photo.objects.get(pk=photo.pk).crops == []


def photo_form(photo, **overrides):
    data = {
        "focal_x": "",
        "focal_y": "",
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("focal_x", "focal_y", "field"),
    [
        ("1.5", "0.5", "focal_x"),
        ("0.5", "-0.1", "focal_y"),
        ("left", "0.5", "focal_x"),
        ("0.5", "", "focal_y"),  # half a point
        ("", "0.5", "focal_x"),
    ],
)
def test_an_invalid_focal_point_is_a_form_error(editor_client, focal_x, focal_y, field):
    photo = PhotoFactory()
    response = editor_client.post(
        PHOTO_PAGE.format(photo.pk), photo_form(photo, focal_x=focal_x, focal_y=focal_y)
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    photo.refresh_from_db()
    assert photo.focal_point == (None, None)


def test_the_focal_point_is_set_in_the_photo_form(editor_client):
    photo = PhotoFactory()
    page = editor_client.get(PHOTO_PAGE.format(photo.pk)).content.decode()
    assert "data-focal-picker" in page and "photo_focal.js" in page
    response = editor_client.post(
        PHOTO_PAGE.format(photo.pk), photo_form(photo, focal_x="0.25", focal_y="0.75")
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.focal_point == (0.25, 0.75)


def test_story_cards_show_the_crops(client):
    photo = photo_with_a_red_spot_at_the_left_edge(focal_x=0.033, focal_y=0.5)
    story = ArticleFactory(lead_photo=photo)
    page = client.get(story.section.get_absolute_url()).content.decode()
    assert photo.crop_srcset() in page
    assert photo.card_image["url"] in page


def test_a_reporter_cannot_move_the_focal_point_of_a_published_storys_photo(
    reporter_client, section
):
    photo = PhotoFactory()
    ArticleFactory(headline="Wildfire near Kelowna", section=section, lead_photo=photo)
    page = reporter_client.get(PHOTO_PAGE.format(photo.pk)).content.decode()
    assert 'id="id_focal_x"' not in page  # shown read-only: nothing for the picker to set
    response = reporter_client.post(
        PHOTO_PAGE.format(photo.pk), photo_form(photo, focal_x="0.1", focal_y="0.1")
    )
    assert response.status_code == 403
    photo.refresh_from_db()
    assert photo.focal_point == (None, None)


def test_a_reporter_sets_the_focal_point_of_a_photo_only_their_draft_uses(
    reporter_client, own_draft
):
    photo = PhotoFactory()
    own_draft.lead_photo = photo
    own_draft.save()
    response = reporter_client.post(
        PHOTO_PAGE.format(photo.pk), photo_form(photo, focal_x="0.6", focal_y="0.4")
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.focal_point == (0.6, 0.4)
