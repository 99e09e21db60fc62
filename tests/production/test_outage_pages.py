"""A database outage answers 503 "try again in a moment", never a 500."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_error_in_a_page_is_a_503_with_retry_after(browser, error):
    article = ArticleFactory()
    with mock.patch(
        "articles.views.ArticleDetailView.get_object", side_effect=error("server closed")
    ):
        response = browser.get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert "back in a moment" in response.content.decode()


def test_api_callers_get_json(browser):
    article = ArticleFactory()
    with mock.patch(
        "articles.views.ArticleDetailView.get_object", side_effect=OperationalError("gone")
    ):
        response = browser.get(article.get_absolute_url(), HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert "try again" in response.json()["error"]


def test_database_error_before_the_view_is_a_503_too(browser, settings):
    """Errors in middleware go through handler500, which recognises them."""
    settings.PAGE_CACHE_SECONDS = 600
    article = ArticleFactory()
    browser.cookies["sessionid"] = "x" * 32
    with mock.patch(
        "newsroom.pagecache.middleware._is_staff_session",
        side_effect=OperationalError("no connection"),
    ):
        response = browser.get(article.get_absolute_url())
    assert response.status_code == 503


def test_other_errors_are_still_500(browser):
    article = ArticleFactory()
    with mock.patch("articles.views.ArticleDetailView.get_object", side_effect=KeyError("x")):
        response = browser.get(article.get_absolute_url())
    assert response.status_code == 500
