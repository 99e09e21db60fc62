"""Signing up: consent recorded, a confirmation mail through a real SMTP server, its link
confirming once (double opt-in, CASL), and bad input changing nothing."""

import re

import pytest
from django.core.exceptions import ValidationError

from newsletters import services, tokens
from newsletters.models import Subscriber, Subscription, Suppression
from tests.newsletters.conftest import WORDING

pytestmark = pytest.mark.django_db


def sign_up(email, newsletter_list, capture):
    with capture(execute=True):
        return services.subscribe(email, newsletter_list, WORDING, "/politics/some-story/")


def link_in(message):
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https://news\.example\.ca(/\S+)", text).group(1)


def test_signing_up_records_consent_and_mails_a_confirmation_link(
    smtp_server, digest, django_capture_on_commit_callbacks
):
    subscription = sign_up(" Ana.Tremblay@Example.CA ", digest, django_capture_on_commit_callbacks)

    assert subscription.status == Subscription.Status.PENDING
    assert subscription.subscriber.email == "ana.tremblay@example.ca"
    assert subscription.consent_wording == WORDING
    assert subscription.source_path == "/politics/some-story/"
    assert subscription.consented_at is not None
    [message] = smtp_server.parsed()
    assert message["To"] == "ana.tremblay@example.ca"
    assert "The Maple Ledger Daily" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",)).get_content()
    assert "<style" not in html and 'style="' in html  # CSS inlined
    assert "1 Front St. W., Toronto" in html  # sender identification


def test_the_confirmation_link_confirms_on_post_once(
    client, smtp_server, digest, django_capture_on_commit_callbacks
):
    subscription = sign_up("ana@example.ca", digest, django_capture_on_commit_callbacks)
    path = link_in(smtp_server.parsed()[0])

    assert client.get(path).status_code == 200  # a mail scanner's GET changes nothing
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING

    assert client.post(path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED
    assert subscription.confirmed_at is not None

    again = client.post(path)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()


def test_an_altered_confirmation_link_is_refused_and_changes_nothing(
    client, smtp_server, digest, django_capture_on_commit_callbacks
):
    subscription = sign_up("ana@example.ca", digest, django_capture_on_commit_callbacks)
    token = tokens.confirmation_token(subscription)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = client.post(f"/newsletters/confirm/{altered}/")

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING


def test_an_expired_confirmation_link_is_refused(settings, digest, time_machine):
    time_machine.move_to("2026-12-07 09:00 -05:00", tick=False)
    subscription = services.subscribe("ana@example.ca", digest, WORDING, "/")
    token = tokens.confirmation_token(subscription)
    time_machine.shift(60 * 60 * 24 * (settings.NEWSLETTER_CONFIRMATION_DAYS + 1))

    with pytest.raises(tokens.BadToken, match="expired"):
        services.confirm(token)


def test_signing_up_again_makes_the_old_link_stop_working(digest):
    first = services.subscribe("ana@example.ca", digest, WORDING, "/")
    old = tokens.confirmation_token(first)
    second = services.subscribe("ana@example.ca", digest, WORDING, "/fr/")

    with pytest.raises(tokens.BadToken):
        services.confirm(old)
    assert services.confirm(tokens.confirmation_token(second)).status == "confirmed"
    assert Subscriber.objects.count() == 1


@pytest.mark.parametrize("address", ["", "ana", "ana@", "@example.ca", "ana@example..ca"])
def test_an_invalid_address_is_refused_with_a_sentence_and_nothing_stored(digest, address):
    with pytest.raises(ValidationError, match="valid email address"):
        services.subscribe(address, digest, WORDING, "/")
    assert not Subscriber.objects.exists()


def test_a_suppressed_address_is_mailed_nothing(
    smtp_server, digest, django_capture_on_commit_callbacks
):
    services.suppress("ana@example.ca", Suppression.Reason.COMPLAINT)

    sign_up("ana@example.ca", digest, django_capture_on_commit_callbacks)

    assert smtp_server.parsed() == []


def test_a_confirmed_reader_signing_up_again_stays_confirmed(digest):
    subscription = services.subscribe("ana@example.ca", digest, WORDING, "/")
    services.confirm(tokens.confirmation_token(subscription))

    again = services.subscribe("ANA@example.ca", digest, WORDING, "/")

    assert again.status == Subscription.Status.CONFIRMED
