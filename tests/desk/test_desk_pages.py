"""The story list and the desk page: badges, thumbnails, empty states as sentences."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_article_changelist")


def test_the_story_list_shows_status_badges_and_thumbnails(editor_client, section):
    photo = PhotoFactory()
    ArticleFactory(headline="With photo", section=section, lead_photo=photo)
    ArticleFactory(
        headline="In review", section=section, status=Article.Status.IN_REVIEW, publish_at=None
    )
    page = editor_client.get(LIST).content.decode()
    assert '<span class="newsroom-badge newsroom-badge--review">In review</span>' in page
    assert '<span class="newsroom-badge newsroom-badge--published">Published</span>' in page
    assert f'class="newsroom-thumb" src="{photo.crop(160)["url"]}"' in page  # the 3:2 crop
    assert "desk/desk.css" in page


def test_the_story_list_keeps_its_query_count_with_photos(
    editor_client, section, django_assert_max_num_queries
):
    for _n in range(3):
        ArticleFactory(section=section, lead_photo=PhotoFactory())
    editor_client.get(LIST)
    with django_assert_max_num_queries(20) as small:
        editor_client.get(LIST)
    for _n in range(10):
        ArticleFactory(section=section, lead_photo=PhotoFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        editor_client.get(LIST)


def test_the_desks_empty_states_are_sentences_not_list_items(reporter_client):
    page = reporter_client.get(reverse("admin:index")).content.decode()
    assert '<p class="newsroom-desk__empty">Nothing is waiting for review.</p>' in page
    assert '<p class="newsroom-desk__empty">Nothing is scheduled to go out.</p>' in page
    assert "You have no drafts." in page
    assert "<li>Nothing" not in page


def test_the_story_form_carries_its_counters_and_two_column_layout(reporter_client, own_draft):
    page = reporter_client.get(reverse("admin:articles_article_change", args=[own_draft.pk]))
    html = page.content.decode()
    assert 'id="newsroom-counts"' in html and "min to read" in html
    assert "newsroom-main" in html and "newsroom-publishing" in html
