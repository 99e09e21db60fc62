"""The photo library: a grid of stored thumbnails, searched by caption, credit and date,
and the picker the story form opens for its lead photo."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Photo
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import PhotoFactory, StaffFactory

pytestmark = pytest.mark.django_db

LIBRARY = "/admin/articles/photo/"
PICKER = f"{LIBRARY}?_to_field=id&_popup=1"


def copies_of(photo, count, **fields):
    """``count`` photos sharing ``photo``'s stored files, made without decoding anything."""
    Photo.objects.bulk_create(
        [
            Photo(
                image=photo.image.name,
                width=photo.width,
                height=photo.height,
                caption=fields.get("caption", f"Photo number {n}"),
                credit=fields.get("credit", photo.credit),
                renditions=photo.renditions,
                crops=photo.crops,
                renditions_of=photo.image.name,
            )
            for n in range(count)
        ]
    )


def tiles(response):
    return [photo.pk for photo in response.context["cl"].result_list]


def test_the_library_shows_each_photo_as_a_stored_crop(editor_client):
    photo = PhotoFactory(caption="Crews hold the line near Kelowna")
    assert photo.crops, "the factory leaves photos as the worker does"
    page = editor_client.get(LIBRARY).content.decode()
    assert 'class="newsroom-library"' in page
    assert photo.crop(320)["url"] in page  # a 3:2 crop the worker made, not the original
    assert photo.image.url not in page
    assert "Crews hold the line near Kelowna" in page


def test_a_photo_not_yet_rendered_shows_its_original_in_the_library(editor_client):
    photo = PhotoFactory(rendered=False)
    assert photo.image.url in editor_client.get(LIBRARY).content.decode()


def test_the_library_is_searched_by_caption_and_credit(editor_client):
    fire = PhotoFactory(caption="Wildfire smoke over Kelowna", credit="THE CANADIAN PRESS/A. B.")
    vote = PhotoFactory(caption="Members vote on the budget", credit="REUTERS/Jane Doe")
    assert tiles(editor_client.get(LIBRARY, {"q": "wildfire"})) == [fire.pk]
    assert tiles(editor_client.get(LIBRARY, {"q": "reuters"})) == [vote.pk]
    response = editor_client.get(LIBRARY, {"q": "nothing like this"})
    assert "No photo matches this search" in response.content.decode()


def test_the_library_is_narrowed_by_upload_date(editor_client):
    old = PhotoFactory(caption="Last year's photo")
    Photo.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=400))
    new = PhotoFactory(caption="This week's photo")
    today = timezone.localdate()
    assert tiles(editor_client.get(LIBRARY, {"uploaded_at__year": today.year})) == [new.pk]
    this_month = {"uploaded_at__year": today.year, "uploaded_at__month": today.month}
    assert tiles(editor_client.get(LIBRARY, this_month)) == [new.pk]
    assert set(tiles(editor_client.get(LIBRARY))) == {old.pk, new.pk}


def count_library_queries(client):
    client.get(LIBRARY)  # the first view may fill caches; compare like with like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIBRARY)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


def test_the_library_takes_the_same_queries_for_10_or_100_photos(editor_client):
    first = PhotoFactory()
    copies_of(first, 9)
    few, shown = count_library_queries(editor_client)
    assert shown == 10
    copies_of(first, 90)
    many, shown = count_library_queries(editor_client)
    assert shown == 48  # a page of the grid; the rest are on the next pages
    assert many == few, f"{few} queries for 10 photos, {many} for 100"
    second_page = editor_client.get(LIBRARY, {"p": 2})
    assert len(second_page.context["cl"].result_list) == 48


def test_the_picker_hands_the_chosen_photo_back_to_the_story_form(reporter_client):
    photo = PhotoFactory(caption="Crews hold the line near Kelowna")
    page = reporter_client.get(PICKER).content.decode()
    assert f'data-popup-opener="{photo.pk}"' in page
    assert "Choose a photo" in page


def test_the_picker_hands_over_the_photos_words_in_both_languages(reporter_client):
    """The story form fills its caption, credit and alt text fields from them."""
    photo = PhotoFactory(caption="Crews at work", alt_text="", caption_fr="Équipes au travail")
    page = reporter_client.get(PICKER).content.decode()
    found = re.search(rf'data-popup-opener="{photo.pk}" data-words="([^"]*)"', page)
    words = json.loads(html.unescape(found.group(1)))
    assert words["en"] == {"caption": "Crews at work", "credit": photo.credit, "alt_text": ""}
    assert words["fr"]["caption"] == "Équipes au travail"
    assert "data-words" not in reporter_client.get(LIBRARY).content.decode()


def test_a_reporter_browses_the_library_but_cannot_delete_from_it(reporter_client):
    photo = PhotoFactory()
    assert reporter_client.get(LIBRARY).status_code == 200
    assert reporter_client.get(f"{LIBRARY}{photo.pk}/delete/").status_code == 403
    response = reporter_client.post(
        LIBRARY, {"action": "delete_selected", "_selected_action": [photo.pk]}
    )
    assert Photo.objects.filter(pk=photo.pk).exists()
    assert response.status_code in (200, 302)


def test_someone_without_the_photo_rights_cannot_open_the_picker(client):
    client.force_login(StaffFactory(username="nobody"))
    assert client.get(PICKER).status_code == 403


def test_the_story_form_offers_the_library_for_its_lead_photo(reporter_client, own_draft):
    """In a dialog inside the page (photo_chooser.js fetches the library in picker mode)."""
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert f'data-library="{LIBRARY}?_to_field=id&amp;_popup=1"' in page
    assert "<dialog" in page and "Choose from the library" in page
    assert 'class="related-lookup' not in page  # no pop-up window


def test_the_chosen_photo_is_shown_with_its_caption_change_and_remove(reporter_client, own_draft):
    photo = PhotoFactory(caption="Commuters board a streetcar", credit="CP/Jane Doe")
    own_draft.lead_photo = photo
    own_draft.save()
    page = reporter_client.get(change_url(own_draft)).content.decode()
    card = page[page.index("data-photo-card") : page.index("data-photo-none")]
    assert "Commuters board a streetcar" in card and "CP/Jane Doe" in card and "<img" in card
    assert ">Change</button>" in page and ">Remove</button>" in page


def test_a_photo_picked_from_the_library_becomes_the_lead_photo(reporter_client, own_draft):
    photo = PhotoFactory(caption="Picked from the grid")
    response = reporter_client.post(
        change_url(own_draft), story_form_data(own_draft, lead_photo=str(photo.pk))
    )
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.lead_photo == photo
    photo.refresh_from_db()
    assert photo.caption == "Picked from the grid"  # its own caption, not the form's blanks
