"""Cross-site request forgery: another site cannot make its visitors vote."""

import pytest
from django.test import Client
from django.urls import reverse

from ratings.models import RatingSummary, Vote

pytestmark = pytest.mark.django_db


def _nothing_recorded():
    return not Vote.objects.exists() and not RatingSummary.objects.filter(vote_count__gt=0).exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
        {},  # neither Origin nor Referer
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
    ],
    ids=["other-origin", "opaque-origin", "other-referer", "no-headers", "lookalike-host"],
)
def test_a_cross_site_form_post_is_refused_and_changes_nothing(article, client, headers):
    response = client.post(reverse("ratings:vote", args=[article.pk]), {"stars": "5"}, **headers)
    assert response.status_code == 403
    assert "could not be checked as coming from this site" in response.content.decode()
    assert _nothing_recorded()


def test_a_form_post_whose_referer_is_the_site_is_accepted(article, client):
    response = client.post(
        reverse("ratings:vote", args=[article.pk]),
        {"stars": "5"},
        HTTP_REFERER=f"http://testserver{article.get_absolute_url()}",
    )
    assert response.status_code == 303
    assert Vote.objects.count() == 1


def test_a_trusted_origin_is_accepted(article, client, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.maple.example"]
    url = reverse("ratings:vote", args=[article.pk])
    assert (
        client.post(url, {"stars": "5"}, HTTP_ORIGIN="https://www.maple.example").status_code == 303
    )
    assert (
        client.post(url, {"stars": "5"}, HTTP_ORIGIN="https://maple.example.evil").status_code
        == 403
    )


def test_a_fetch_vote_needs_the_csrf_token(article):
    client = Client(enforce_csrf_checks=True)
    url = reverse("ratings:vote", args=[article.pk])
    refused = client.post(
        url, {"stars": "4"}, HTTP_ACCEPT="application/json", HTTP_ORIGIN="http://testserver"
    )
    assert refused.status_code == 403
    assert "error" in refused.json()
    assert _nothing_recorded()

    token = client.get(reverse("ratings:summary", args=[article.pk])).json()["csrf_token"]
    accepted = client.post(
        url,
        {"stars": "4"},
        HTTP_ACCEPT="application/json",
        HTTP_ORIGIN="http://testserver",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 200
    assert accepted.json()["count"] == 1


def test_a_fetch_vote_with_a_token_from_another_origin_is_refused(article):
    client = Client(enforce_csrf_checks=True)
    token = client.get(reverse("ratings:summary", args=[article.pk])).json()["csrf_token"]
    response = client.post(
        reverse("ratings:vote", args=[article.pk]),
        {"stars": "4"},
        HTTP_ACCEPT="application/json",
        HTTP_ORIGIN="https://evil.example",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 403
    assert _nothing_recorded()
