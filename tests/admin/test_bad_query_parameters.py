"""Every staff list and tool answers hand-edited query parameters without a 500.

Run on SQLite and PostgreSQL: NUL characters and integers past 2^31 or 2^63 fail
differently on each.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BAD_QUERIES = [
    ("admin:articles_article_changelist", {"q": "fire\x00"}),
    ("admin:articles_article_changelist", {"status": "\x00"}),
    ("admin:articles_article_changelist", {"section__id__exact": "abc"}),
    ("admin:articles_article_changelist", {"section__id__exact": HUGE}),
    ("admin:articles_article_changelist", {"mine": "\x00"}),
    ("admin:articles_article_changelist", {"o": "abc"}),
    ("admin:articles_article_changelist", {"p": HUGE}),
    ("admin:articles_article_changelist", {"p": "abc"}),
    ("admin:articles_photo_changelist", {"uploaded_at__year": HUGE}),
    ("admin:articles_photo_changelist", {"uploaded_at__year": "2026", "uploaded_at__month": "13"}),
    ("admin:articles_photo_changelist", {"uploaded_at__gte": "9999-12-31 23:59:59"}),
    ("admin:articles_photo_changelist", {"q": "\x00"}),
    ("admin:ratings_feedback_changelist", {"stars": HUGE}),
    ("admin:ratings_feedback_changelist", {"stars": "abc"}),
    ("admin:ratings_feedback_changelist", {"created_at__year": "0"}),
    ("admin:ratings_feedback_changelist", {"created_at__day": "40"}),
    ("admin:ratings_feedback_changelist", {"created_at__year": HUGE}),
    ("admin:ratings_feedback_changelist", {"created_at__lt": "9999-12-31 23:59:59"}),
    ("admin:ratings_feedback_changelist", {"handled__exact": "maybe"}),
    ("admin:ratings_ratingsummary_changelist", {"q": "\x00"}),
    ("admin:ratings_ratingsummary_changelist", {"o": "99"}),
    ("admin:ratings_report", {"min_votes": HUGE}),
    ("admin:ratings_report", {"start": "abc"}),
    ("admin:ratings_report_csv", {"min_votes": "-1"}),
    ("admin:articles_infopage_changelist", {"q": "\x00"}),
    ("admin:articles_author_changelist", {"q": "\x00"}),
    ("admin:autocomplete", {"term": "\x00"}),
    ("admin:autocomplete", {"term": "x", "app_label": "articles", "model_name": "byline"}),
    (
        "admin:autocomplete",
        {"term": "\x00", "app_label": "articles", "model_name": "byline", "field_name": "author"},
    ),
]


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("chief", "chief@example.com", "x"))
    return client


@pytest.mark.parametrize(("name", "params"), BAD_QUERIES)
def test_staff_pages_answer_bad_query_parameters_without_a_500(superuser_client, name, params):
    """A malformed filter, page, date or search term is a page, a redirect or a 400."""
    ArticleFactory()
    response = superuser_client.get(reverse(name), params)
    assert response.status_code < 500


def test_a_nul_in_a_query_string_is_a_400_with_a_sentence(client):
    """Any address with a NUL in its query is refused with a sentence."""
    response = client.get("/search/", {"q": "fire\x00"})
    assert response.status_code == 400
    assert "null character" in response.content.decode()
