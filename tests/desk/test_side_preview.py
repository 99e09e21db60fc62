"""The preview beside the story form: the form's unsaved text as readers would see it, in a
frame of the desk's own pages only."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import PhotoFactory

pytestmark = pytest.mark.django_db


def unsaved_url(article):
    return reverse("admin:articles_article_preview_unsaved", args=[article.pk])


def test_the_unsaved_text_is_rendered_as_the_story_page_and_nothing_is_saved(
    reporter_client, own_draft
):
    response = reporter_client.post(
        unsaved_url(own_draft),
        {
            "headline": "Transit line approved in late vote",
            "standfirst": "A new standfirst.",
            "body": "<p>Typed a second ago.</p><script>alert(1)</script>",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Transit line approved in late vote" in html and "Typed a second ago." in html
    assert "<script>alert(1)" not in html  # sanitised like a save
    assert "Unsaved changes from the story form." in html
    assert "no-store" in response["Cache-Control"]
    assert Article.objects.get(pk=own_draft.pk).headline == own_draft.headline


def test_the_preview_may_be_framed_by_the_desk_only(reporter_client, own_draft):
    response = reporter_client.post(unsaved_url(own_draft), {"headline": "A"})
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    form_page = reporter_client.get(reverse("admin:articles_article_change", args=[own_draft.pk]))
    frame_src = next(
        d for d in form_page["Content-Security-Policy"].split("; ") if d.startswith("frame-src")
    )
    assert "'self'" in frame_src.split()
    assert "frame-ancestors 'none'" in form_page["Content-Security-Policy"]
    public = reporter_client.get("/")
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
    assert "X-Frame-Options" not in public or public["X-Frame-Options"] == "DENY"


def test_the_chosen_photo_shows_before_it_is_saved(reporter_client, own_draft):
    photo = PhotoFactory(caption="Commuters wait at the new station", credit="CP")
    response = reporter_client.post(
        unsaved_url(own_draft), {"headline": "A", "lead_photo": str(photo.pk)}
    )
    assert "Commuters wait at the new station" in response.content.decode()


def test_the_form_offers_the_side_preview(reporter_client, own_draft):
    html = reporter_client.get(
        reverse("admin:articles_article_change", args=[own_draft.pk])
    ).content.decode()
    assert unsaved_url(own_draft) in html and 'id="newsroom-side-preview"' in html


def test_bad_requests_are_refused_in_words(reporter_client, client, other_reporter, own_draft):
    assert reporter_client.get(unsaved_url(own_draft)).status_code == 405
    too_long = reporter_client.post(unsaved_url(own_draft), {"headline": "x" * 201})
    assert too_long.status_code == 400 and b"longer than" in too_long.content
    client.force_login(other_reporter)
    assert client.post(unsaved_url(own_draft), {"headline": "A"}).status_code == 403
