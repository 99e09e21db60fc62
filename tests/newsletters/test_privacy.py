"""A reader's data on request (PIPEDA), and no address in the logs."""

import json
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from newsletters import services
from newsletters.models import Delivery, Issue, Subscriber, Subscription, Suppression
from tests.newsletters.conftest import WORDING, confirmed

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("newsletter_subscriber", *args, stdout=out)
    return out.getvalue()


def test_export_lists_the_consent_records_and_deliveries(digest):
    subscription = confirmed("ana@example.ca", digest)
    issue = Issue.objects.create(list=digest, subject="Morning", status="sent")
    Delivery.objects.create(issue=issue, subscriber=subscription.subscriber, status="sent")

    data = json.loads(run("export", "ANA@example.ca"))

    assert data["email"] == "ana@example.ca"
    [record] = data["subscriptions"]
    assert record["list"] == "daily"
    assert record["consent_wording"] == WORDING
    assert record["status"] == "confirmed"
    assert data["deliveries"] == [{"issue": "Morning", "status": "sent", "sent_at": None}]


def test_erase_removes_the_subscriber_and_keeps_the_suppression(digest):
    subscription = confirmed("ana@example.ca", digest)
    confirmed("ben@example.ca", digest)
    services.suppress("ana@example.ca", Suppression.Reason.COMPLAINT)

    assert "erased" in run("erase", "ana@example.ca")

    assert not Subscriber.objects.filter(email="ana@example.ca").exists()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert Subscriber.objects.filter(email="ben@example.ca").exists()
    assert Suppression.objects.filter(email="ana@example.ca").exists()


def test_an_invalid_address_is_a_sentence_and_a_failure():
    with pytest.raises(CommandError, match="valid email address"):
        run("erase", "not-an-address")


def test_no_address_reaches_the_logs(
    caplog, smtp_server, digest, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe("ana.tremblay@example.ca", digest, WORDING, "/")
    services.suppress("ana.tremblay@example.ca", Suppression.Reason.HARD_BOUNCE)
    services.erase_subscriber("ana.tremblay@example.ca")

    ours = "\n".join(  # the site's, not the test SMTP server's own ("mail.log")
        r.getMessage() for r in caplog.records if not r.name.startswith("mail.")
    )
    assert "a***@example.ca" in ours
    assert "ana.tremblay" not in ours
