"""/metrics lists the named series for Prometheus and refuses everyone else."""

import json
import secrets
import time

import pytest
import redis
from django.urls import reverse

from newsroom import breaker as breakers
from newsroom import metrics
from tests.factories import ArticleFactory

BROKER = "redis://127.0.0.1:6379/10"  # this branch's Redis database number
TOKEN = secrets.token_urlsafe(32)
SERIES = (
    "newsroom_request_duration_seconds",
    "newsroom_page_cache_requests_total",
    "newsroom_queue_depth",
    "newsroom_queue_oldest_task_age_seconds",
    "newsroom_broker_up",
    "newsroom_task_wait_seconds",
    "newsroom_votes_total",
    "newsroom_related_lag_seconds",
    "newsroom_newsletter_mails_total",
)


def _redis_or_skip():
    client = redis.Redis.from_url(BROKER, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {BROKER}")
    return client


@pytest.fixture
def broker_queue(settings):
    """A broker with one queue of our own in Redis, holding two tasks sent 40 s and 5 s ago."""
    client = _redis_or_skip()
    queue = f"metrics-test-{secrets.token_hex(4)}"
    settings.CELERY_BROKER_URL = BROKER
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    settings.CELERY_TASK_ROUTES = {}
    now = time.time()
    for age in (40, 5):  # kombu pushes on the left; the oldest is on the right
        message = {"body": "", "headers": {metrics.SENT_AT_HEADER: now - age}, "properties": {}}
        client.lpush(queue, json.dumps(message))
    yield queue
    client.delete(queue)
    client.close()


@pytest.fixture
def allowed(settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["10.20.0.0/16"]
    settings.METRICS_TOKEN = TOKEN
    settings.TRUSTED_PROXIES = ["127.0.0.1"]


def scrape(client, address="10.20.0.5", **headers):
    return client.get("/metrics", REMOTE_ADDR=address, **headers)


@pytest.mark.django_db
def test_the_endpoint_lists_every_named_series(client, allowed, broker_queue, page_cache_on):
    story = ArticleFactory(status="published")
    client.get(story.get_absolute_url())  # a miss, stored
    client.get(story.get_absolute_url())  # then a hit
    client.post(
        reverse("ratings:vote", args=[story.pk]), {"stars": 4}, HTTP_ACCEPT="application/json"
    )

    response = scrape(client)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for name in SERIES:
        assert f"# TYPE {name} " in text, f"{name} is missing from /metrics"
    assert 'newsroom_page_cache_requests_total{result="miss"}' in text
    assert (
        'newsroom_request_duration_seconds_count{method="GET",status="2xx",view="articles:detail"}'
        in text
    )
    assert f'newsroom_queue_depth{{queue="{broker_queue}"}} 2.0' in text
    age = float(
        text.split(f'newsroom_queue_oldest_task_age_seconds{{queue="{broker_queue}"}} ')[1].split()[
            0
        ]
    )
    assert 39 <= age <= 60
    assert "newsroom_broker_up 1.0" in text


@pytest.mark.django_db
def test_the_token_opens_it_from_anywhere(client, allowed):
    response = scrape(client, "203.0.113.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "headers"),
    [
        ("203.0.113.9", {}),  # a reader
        ("203.0.113.9", {"HTTP_AUTHORIZATION": "Bearer wrong-token"}),
        ("203.0.113.9", {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"}),
        # A reader through our proxy: the address that counts is the reader's, not nginx's.
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}),
        # A reader claiming an allowed address without coming through a trusted proxy.
        ("203.0.113.9", {"HTTP_X_FORWARDED_FOR": "10.20.0.5"}),
    ],
)
def test_the_public_is_refused_with_a_404(client, allowed, address, headers):
    response = scrape(client, address, **headers)
    assert response.status_code == 404
    assert b"newsroom_" not in response.content


@pytest.mark.django_db
def test_without_any_setting_nobody_gets_in(client, settings):
    settings.METRICS_ALLOWED_ADDRESSES = []
    settings.METRICS_TOKEN = ""
    assert scrape(client, "127.0.0.1").status_code == 404
    assert scrape(client, "127.0.0.1", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_is_reported_down_quickly(client, allowed, settings):
    """An address nothing listens on: the scrape answers at once, saying the broker is down."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    breakers.reset_all()
    started = time.monotonic()
    response = scrape(client)
    assert response.status_code == 200
    assert "newsroom_broker_up 0.0" in response.content.decode()
    assert time.monotonic() - started < 3
