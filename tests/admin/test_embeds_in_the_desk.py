"""The desk inserts embeds: the body editor knows them, and saving turns a lone video
address into one even without the editor's JavaScript."""

import json

import pytest
from django.urls import reverse

from articles.embeds import embed_for_id
from tests.admin.story_form import change_url, story_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_saving_the_story_form_turns_a_lone_video_address_into_an_embed(editor_client):
    story = ArticleFactory()
    body = (
        "<p>Le maire a parlé.</p><p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>"
        "<p>Voir https://vimeo.com/76979871 aussi.</p>"
        "<p>https://www.cbc.ca/player/play/video/9.123</p>"
    )
    response = editor_client.post(change_url(story), story_form_data(story, body=body))
    assert response.status_code == 302, response.context and response.context["errors"]
    story.refresh_from_db()
    assert story.body == (
        "<p>Le maire a parlé.</p>"
        + embed_for_id("youtube", "dQw4w9WgXcQ").stored_html()
        + "<p>Voir https://vimeo.com/76979871 aussi.</p>"
        "<p>https://www.cbc.ca/player/play/video/9.123</p>"
    )


def test_the_story_form_keeps_an_embed_and_drops_a_pasted_iframe(editor_client):
    story = ArticleFactory()
    stored = embed_for_id("dailymotion", "x7tgad0", "Le point de presse").stored_html()
    body = f'{stored}<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    editor_client.post(change_url(story), story_form_data(story, body=body))
    story.refresh_from_db()
    assert story.body == stored


def test_the_body_editor_loads_the_embed_extension(editor_client):
    story = ArticleFactory()
    html = editor_client.get(change_url(story)).content.decode()
    assert "desk/prose_embed.js" in html
    assert "desk/prose_embed.css" in html
    assert reverse("desk-embed-lookup") in html


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (
            "https://youtu.be/dQw4w9WgXcQ",
            {
                "provider": "youtube",
                "id": "dQw4w9WgXcQ",
                "href": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "label": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            },
        ),
        ("https://example.com/video", None),
        ("javascript:alert(1)", None),
        ("", None),
        ("https://youtu.be/" + "x" * 5000, None),
    ],
)
def test_the_editor_asks_the_desk_whether_an_address_is_an_embed(editor_client, address, expected):
    response = editor_client.get(reverse("desk-embed-lookup"), {"url": address})
    assert response.status_code == 200
    assert json.loads(response.content) == {"embed": expected}


def test_a_nul_character_in_the_address_is_a_bad_request_not_an_error(editor_client):
    response = editor_client.get(reverse("desk-embed-lookup"), {"url": "https://youtu.be/\x00"})
    assert response.status_code == 400


def test_the_lookup_is_for_signed_in_staff_only(client):
    response = client.get(reverse("desk-embed-lookup"), {"url": "https://youtu.be/dQw4w9WgXcQ"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
