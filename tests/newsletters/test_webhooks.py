"""Providers' bounce and complaint webhooks (anymail, Mailgun's signed JSON here): a hard
bounce or a complaint suppresses the address; a bad signature or password changes nothing."""

import base64
import hashlib
import hmac
import json
import time

import pytest

from newsletters.models import Delivery, Issue, Subscription, Suppression
from tests.newsletters.conftest import confirmed

pytestmark = pytest.mark.django_db

URL = "/newsletters/webhooks/mailgun/tracking/"
SIGNING_KEY = "key-test-signing-0123456789"
BASIC = "mailgun:webhook-secret-0123456789"


@pytest.fixture(autouse=True)
def anymail_settings(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def event(kind, recipient, severity=None, key=SIGNING_KEY, message_id="<m1@news.example.ca>"):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    data = {
        "event": kind,
        "recipient": recipient,
        "timestamp": float(timestamp),
        "message": {"headers": {"message-id": message_id.strip("<>")}},
    }
    if severity:
        data["severity"] = severity
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": data,
    }


def post(client, payload, auth=BASIC):
    return client.post(
        URL,
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(auth.encode()).decode(),
    )


def test_a_hard_bounce_suppresses_the_address_and_marks_the_delivery(client, digest):
    subscriber = confirmed("ana@example.ca", digest).subscriber
    issue = Issue.objects.create(list=digest, subject="x", status="sent")
    delivery = Delivery.objects.create(
        issue=issue, subscriber=subscriber, status="sent", message_id="<m1@news.example.ca>"
    )

    response = post(client, event("failed", "Ana@Example.ca", severity="permanent"))

    assert response.status_code == 200
    assert Suppression.objects.get().reason == Suppression.Reason.HARD_BOUNCE
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.BOUNCED


def test_a_soft_bounce_suppresses_nothing(client, digest):
    post(client, event("failed", "ana@example.ca", severity="temporary"))

    assert not Suppression.objects.exists()


def test_a_complaint_suppresses_and_unsubscribes_from_every_list(client, digest, french_digest):
    confirmed("ana@example.ca", digest)
    confirmed("ana@example.ca", french_digest)

    post(client, event("complained", "ana@example.ca"))

    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT
    assert set(Subscription.objects.values_list("status", "unsubscribed_how")) == {
        ("unsubscribed", "complaint")
    }


def test_a_bad_signature_is_refused_and_changes_nothing(client, digest):
    subscription = confirmed("ana@example.ca", digest)

    response = post(client, event("complained", "ana@example.ca", key="not-the-key"))

    assert response.status_code in (400, 403)
    assert not Suppression.objects.exists()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED


def test_a_wrong_webhook_password_is_refused_and_changes_nothing(client, digest):
    response = post(client, event("complained", "ana@example.ca"), auth="mailgun:guess")

    assert response.status_code in (400, 401, 403)
    assert not Suppression.objects.exists()
