"""/healthz tells a load balancer whether this app server can serve pages."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "newsroom.cache.RedisCache",  # what settings.py uses with REDIS_URL
        # Port 8158 is one of ours with nothing listening: the cache is unreachable.
        "LOCATION": "redis://127.0.0.1:8158/0",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


def test_healthy_site_answers_200_with_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_unreachable_cache_is_reported_as_degraded_but_keeps_the_server_in_service(
    client, settings
):
    """Every server shares one Redis: a 503 would take them all out of the load balancer."""
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failed"] == ["cache"]
    assert body["database"] == "ok" and body["cache"] == "unreachable"


def test_unreachable_database_and_cache_answer_503(client, settings):
    settings.CACHES = UNREACHABLE_REDIS
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["failed"] == ["database", "cache"]


def test_unreachable_database_answers_503_naming_the_database(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]


def test_health_check_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
