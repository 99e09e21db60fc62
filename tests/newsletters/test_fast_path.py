"""The send loop's hot path over SMTP: each copy goes straight into the SMTP conversation as
prepared bytes, its links are the ones ``reverse()`` makes, its record is one SQL ``UPDATE``
that leaves the row as the ORM would; an address the email package must encode still goes
through Django's message."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newsletters import mail, sending
from newsletters.models import Delivery, Subscriber
from tests.newsletters.conftest import confirmed

pytestmark = pytest.mark.django_db


def test_over_smtp_each_copy_goes_out_without_a_django_message(
    smtp_server, digest, issue, started, monkeypatch
):
    for name in ("ana", "ben"):
        confirmed(f"{name}@example.ca", digest)
    started(issue)

    def no_message(self, subscriber, connection=None):
        raise AssertionError("built a Django message for an ASCII address over SMTP")

    monkeypatch.setattr(mail.IssueMail, "message", no_message)

    assert sending.run(issue.pk) == "sent"

    assert sorted(to for tos, _ in smtp_server.messages for to in tos) == [
        "ana@example.ca",
        "ben@example.ca",
    ]
    parsed = sorted(smtp_server.parsed(), key=lambda m: m["To"])
    ana = Subscriber.objects.get(email="ana@example.ca")
    assert parsed[0]["Message-ID"] == f"<newsletter.{issue.pk}.{ana.pk}@news.example.ca>"
    assert parsed[0]["From"].addresses[0].addr_spec == "newsletters@news.example.ca"
    sent = Delivery.objects.get(subscriber=ana)
    assert (sent.status, sent.message_id) == ("sent", parsed[0]["Message-ID"])


def test_an_address_the_email_package_must_encode_still_arrives(
    smtp_server, digest, issue, started
):
    confirmed("zoé@exemple.ca", digest)
    started(issue)

    assert sending.run(issue.pk) == "sent"

    assert [tos for tos, _ in smtp_server.messages] == [("zoé@exemple.ca",)]
    assert Delivery.objects.get().status == Delivery.Status.SENT


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_readers_links_are_the_ones_reverse_makes(digest, issue, settings, language):
    settings.SITE_URL = "https://news.example.ca"
    digest.language = language
    digest.save()
    reader = confirmed("ana@example.ca", digest).subscriber

    unsubscribe, preferences = mail.IssueMail(issue).links(reader)

    assert unsubscribe == mail.unsubscribe_url(reader, digest)
    assert preferences == mail.preferences_url(reader, language)


def test_the_sent_mark_in_sql_leaves_the_row_as_the_orm_would(digest, issue, started):
    for name in ("ana", "ben"):
        confirmed(f"{name}@example.ca", digest)
    started(issue)
    sending.claim(issue.pk, 10, 60)
    by_sql, by_orm = Delivery.objects.order_by("pk")
    at = timezone.now() - timedelta(minutes=1)

    sending.mark_sent(by_sql.pk, "<a@news.example.ca>", sent_at=at)
    sending._mark(by_orm.pk, Delivery.Status.SENT, sent_at=at, message_id="<a@news.example.ca>")

    fields = [f.attname for f in Delivery._meta.concrete_fields if f.attname not in ("id",)]
    fields.remove("subscriber_id")
    rows = list(Delivery.objects.order_by("pk").values(*fields))
    assert rows[0] == rows[1]
    assert rows[0]["status"] == "sent" and rows[0]["lease_until"] is None


def test_the_sent_mark_leaves_a_row_no_longer_being_sent_alone(digest, issue, started):
    confirmed("ana@example.ca", digest)
    started(issue)
    delivery = Delivery.objects.get()  # queued, not claimed by this worker

    sending.mark_sent(delivery.pk, "<a@news.example.ca>")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.message_id) == ("queued", "")


def test_checking_who_is_still_subscribed_is_one_query_per_batch(
    digest, issue, started, django_assert_num_queries
):
    """Each row checked against its own subscription and suppression in the same query (a
    separate "confirmed among these" query walked the whole list on PostgreSQL)."""
    for n in range(5):
        confirmed(f"reader{n}@example.ca", digest)
    started(issue)
    ids = sending.claim(issue.pk, 10, 60)

    with django_assert_num_queries(1):
        readers = sending.readers_to_send(issue, ids)

    assert [r.email for r in readers] == [f"reader{n}@example.ca" for n in range(5)]
