import uuid

import pytest
from django.urls import reverse

from ratings.addresses import address_hash
from ratings.models import record_vote
from tests.factories import ArticleFactory

SITE = "http://testserver"


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def vote_on():
    """Record votes directly: ``vote_on(article, 4, 5, 3)`` casts one vote per new reader."""

    def cast(article, *stars_list, address="203.0.113.7"):
        for stars in stars_list:
            record_vote(article.pk, uuid.uuid4(), stars, address_hash(address))

    return cast


@pytest.fixture
def post_vote(client):
    """POST the plain (no-JavaScript) vote form from the site's own page."""

    def post(article_or_id, data, *, json=False, **headers):
        article_id = getattr(article_or_id, "pk", article_or_id)
        headers.setdefault("HTTP_ORIGIN", SITE)
        if json:
            headers["HTTP_ACCEPT"] = "application/json"
        return client.post(reverse("ratings:vote", args=[article_id]), data, **headers)

    return post
