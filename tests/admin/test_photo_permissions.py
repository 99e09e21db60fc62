"""A photo used by a story someone may not edit is read-only to them, on every path.

Changing a photo changes every story that shows it: a reporter must not be able to
change what a published story (or a colleague's draft) shows through its photo.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Photo
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import ArticleFactory, PhotoFactory, image_bytes

pytestmark = pytest.mark.django_db

CAPTION = "Firefighters work on a hot spot near Kelowna, B.C., on Tuesday."


@pytest.fixture
def published_photo(section):
    """The lead photo of a published story nobody in these tests wrote."""
    photo = PhotoFactory(caption=CAPTION)
    ArticleFactory(headline="Wildfire near Kelowna", section=section, lead_photo=photo)
    return photo


def photo_change_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def photo_post(photo, **changes):
    return {"caption": photo.caption, "credit": photo.credit, "alt_text": photo.alt_text, **changes}


def assert_unchanged(photo):
    before = (photo.image.name, photo.caption, photo.credit, photo.alt_text, photo.renditions)
    photo.refresh_from_db()
    assert (photo.image.name, photo.caption, photo.credit, photo.alt_text, photo.renditions) == (
        before
    )


# --- the photo admin --------------------------------------------------------------


def test_a_reporter_cannot_change_the_caption_of_a_published_storys_photo(
    reporter_client, published_photo
):
    response = reporter_client.post(
        photo_change_url(published_photo), photo_post(published_photo, caption="Hacked")
    )
    assert response.status_code == 403
    assert_unchanged(published_photo)


def test_a_reporter_cannot_replace_the_image_of_a_published_storys_photo(
    reporter_client, published_photo
):
    new_image = SimpleUploadedFile("other.jpg", image_bytes(colour=(0, 0, 0)))
    response = reporter_client.post(
        photo_change_url(published_photo), photo_post(published_photo, image=new_image)
    )
    assert response.status_code == 403
    assert_unchanged(published_photo)


def test_a_reporter_sees_a_published_storys_photo_read_only_and_told_why(
    reporter_client, published_photo
):
    response = reporter_client.get(photo_change_url(published_photo))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="caption"' not in page and 'type="file"' not in page
    assert "used by a story you cannot edit" in page


def test_a_reporter_cannot_change_a_photo_used_by_a_colleagues_draft(
    reporter_client, section, other_reporter
):
    photo = PhotoFactory()
    ArticleFactory(
        section=section, status=Article.Status.DRAFT, publish_at=None, created_by=other_reporter,
        lead_photo=photo,
    )  # fmt: skip
    response = reporter_client.post(photo_change_url(photo), photo_post(photo, caption="Mine"))
    assert response.status_code == 403
    assert_unchanged(photo)


def test_a_reporter_still_edits_the_photo_of_their_own_draft(reporter_client, own_draft):
    own_draft.lead_photo = PhotoFactory()
    own_draft.save()
    response = reporter_client.post(
        photo_change_url(own_draft.lead_photo), photo_post(own_draft.lead_photo, caption="Mine")
    )
    assert response.status_code == 302
    assert Photo.objects.get().caption == "Mine"


def test_a_photo_shared_by_the_reporters_draft_and_a_published_story_is_read_only(
    reporter_client, own_draft, published_photo
):
    own_draft.lead_photo = published_photo
    own_draft.save()
    response = reporter_client.post(
        photo_change_url(published_photo), photo_post(published_photo, caption="Hacked")
    )
    assert response.status_code == 403
    assert_unchanged(published_photo)


def test_an_editor_may_change_a_published_storys_photo(editor_client, published_photo):
    response = editor_client.post(
        photo_change_url(published_photo), photo_post(published_photo, caption="Corrected.")
    )
    assert response.status_code == 302
    published_photo.refresh_from_db()
    assert published_photo.caption == "Corrected."


# --- the story form's photo fields -------------------------------------------------


def test_attaching_a_published_storys_photo_to_a_draft_leaves_the_photo_alone(
    reporter_client, own_draft, published_photo
):
    """The caption fields still hold the draft's old (empty) text: the photo keeps its own."""
    data = story_form_data(own_draft, lead_photo=str(published_photo.pk))
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.lead_photo == published_photo
    assert_unchanged(published_photo)


def test_attaching_a_published_storys_photo_and_rewriting_its_caption_is_refused(
    reporter_client, own_draft, published_photo, client
):
    data = story_form_data(
        own_draft, lead_photo=str(published_photo.pk), photo_caption="Not what happened"
    )
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 200
    assert "photo_caption: This photo is also used by a story you cannot edit" in form_errors(
        response
    )
    assert_unchanged(published_photo)
    own_draft.refresh_from_db()
    assert own_draft.lead_photo is None
    client.logout()
    page = client.get(published_photo.articles.get(status="published").get_absolute_url())
    assert CAPTION in page.content.decode() and "Not what happened" not in page.content.decode()


def test_a_draft_showing_a_shared_photo_has_its_photo_fields_read_only(
    reporter_client, own_draft, published_photo
):
    own_draft.lead_photo = published_photo
    own_draft.save()
    response = reporter_client.get(change_url(own_draft))
    form = response.context["adminform"].form
    assert all(form.fields[f].disabled for f in ("photo_caption", "photo_credit", "photo_alt_text"))
    assert "Read-only: this photo is also used by a story you cannot edit" in (
        response.content.decode()
    )


@pytest.mark.parametrize("field", ["photo_caption", "photo_credit", "photo_alt_text"])
def test_a_crafted_post_cannot_change_a_shared_photo_through_the_draft(
    reporter_client, own_draft, published_photo, field
):
    own_draft.lead_photo = published_photo
    own_draft.save()
    data = story_form_data(own_draft, headline="Council approves transit line", **{field: "X"})
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.headline == "Council approves transit line"  # the rest of the save stands
    assert_unchanged(published_photo)


def test_uploading_a_new_photo_over_a_shared_one_leaves_the_shared_one_alone(
    reporter_client, own_draft, published_photo
):
    own_draft.lead_photo = published_photo
    own_draft.save()
    data = story_form_data(own_draft, photo_upload=SimpleUploadedFile("mine.jpg", image_bytes()))
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.lead_photo != published_photo
    # The shared photo's caption describes another picture: the new one starts blank.
    assert own_draft.lead_photo.caption == ""
    assert_unchanged(published_photo)


def test_an_editor_may_attach_a_photo_and_correct_its_caption_in_the_story_form(
    editor_client, own_draft, published_photo
):
    data = story_form_data(
        own_draft, lead_photo=str(published_photo.pk), photo_caption="A corrected caption."
    )
    response = editor_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    published_photo.refresh_from_db()
    assert published_photo.caption == "A corrected caption."
    assert published_photo.credit == "THE CANADIAN PRESS/Darryl Dyck"  # untouched fields stay


def test_choosing_another_photo_keeps_its_own_caption_for_editors_too(
    editor_client, own_draft, published_photo
):
    own_draft.lead_photo = PhotoFactory(caption="The draft's first photo.")
    own_draft.save()
    data = story_form_data(own_draft, lead_photo=str(published_photo.pk))
    response = editor_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    assert_unchanged(published_photo)


def test_attaching_a_published_storys_photo_with_its_own_words_in_the_form_is_allowed(
    reporter_client, own_draft, published_photo
):
    """The chooser fills in the chosen photo's caption, credit and alt text: sending them
    back unchanged is no change to a photo the reporter may not edit."""
    data = story_form_data(
        own_draft,
        lead_photo=str(published_photo.pk),
        photo_caption=published_photo.caption,
        photo_credit=published_photo.credit,
        photo_alt_text=published_photo.alt_text,
    )
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.lead_photo == published_photo
    assert_unchanged(published_photo)
