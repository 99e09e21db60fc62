"""Private preview links: the story as readers will see it, for the newsroom only, for a while."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from desk import preview
from tests.admin.story_form import change_url

pytestmark = pytest.mark.django_db


def preview_link_url(article):
    return reverse("admin:articles_article_preview_link", args=[article.pk])


def test_the_author_gets_a_signed_link_that_shows_the_draft_as_readers_will(
    reporter_client, own_draft
):
    response = reporter_client.get(preview_link_url(own_draft))
    assert response.status_code == 302
    link = response["Location"]
    assert str(own_draft.pk) in link and link != preview_link_url(own_draft)
    page = reporter_client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "newsroom-preview-banner" in html and 'class="story__header"' in html
    assert own_draft.headline in html and "Crews" not in html
    assert 'class="story__body"' in html and "noindex" in html
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]


def test_the_change_page_offers_the_preview_to_author_and_editor(
    reporter_client, own_draft, editor
):
    assert (
        preview_link_url(own_draft) in reporter_client.get(change_url(own_draft)).content.decode()
    )
    editor_client = Client()
    editor_client.force_login(editor)
    assert editor_client.get(preview_link_url(own_draft)).status_code == 302


def test_another_reporter_cannot_make_a_link_but_can_open_a_shared_one(
    client, other_reporter, own_draft
):
    client.force_login(other_reporter)
    assert client.get(preview_link_url(own_draft)).status_code == 403
    shared = preview.preview_url(own_draft)
    assert client.get(shared).status_code == 200


def test_readers_cannot_open_a_preview_link(client, own_draft):
    response = client.get(preview.preview_url(own_draft))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(own_draft.get_absolute_url()).status_code == 404


def test_a_preview_link_expires(reporter_client, own_draft):
    link = preview.preview_url(own_draft)
    with time_machine.travel(timezone.now() + preview.PREVIEW_MAX_AGE + timedelta(minutes=1)):
        response = reporter_client.get(link)
    assert response.status_code == 403


def test_a_tampered_preview_link_is_refused(reporter_client, own_draft, section):
    from tests.factories import ArticleFactory

    other = ArticleFactory(section=section, status="draft", publish_at=None)
    token = preview.make_token(own_draft).replace(str(own_draft.pk), str(other.pk), 1)
    url = reverse("admin:articles_article_preview", args=[token])
    assert reporter_client.get(url).status_code == 403
