"""RFC 8058 one-click unsubscribe: a POST with no cookie and no CSRF token, as mailbox
providers send it, works for the signed address and list only."""

import pytest
from django.test import Client

from newsletters import tokens
from newsletters.models import Subscription
from tests.newsletters.conftest import confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    """What a mailbox provider is: no session, no cookie, and CSRF checks on."""
    return Client(enforce_csrf_checks=True)


def one_click(provider, token, prefix=""):
    # The French address's words are French (newsletters/urls.py): /fr/infolettres/….
    words = "infolettres/desabonnement" if prefix == "/fr" else "newsletters/unsubscribe"
    return provider.post(f"{prefix}/{words}/{token}/", {"List-Unsubscribe": "One-Click"})


def test_a_one_click_post_without_cookie_or_csrf_token_unsubscribes(provider, digest):
    subscription = confirmed("ana@example.ca", digest)

    response = one_click(provider, tokens.unsubscribe_token(subscription.subscriber, digest))

    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    assert subscription.unsubscribed_how == Subscription.How.ONE_CLICK
    assert subscription.unsubscribed_at is not None
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_one_click_leaves_the_readers_other_lists_alone(provider, digest, french_digest):
    subscription = confirmed("ana@example.ca", digest)
    other = confirmed("ana@example.ca", french_digest)

    one_click(provider, tokens.unsubscribe_token(subscription.subscriber, digest))

    other.refresh_from_db()
    assert other.status == Subscription.Status.CONFIRMED


def test_the_french_address_works_the_same(provider, french_digest):
    subscription = confirmed("ana@example.ca", french_digest)

    token = tokens.unsubscribe_token(subscription.subscriber, french_digest)
    assert one_click(provider, token, "/fr").status_code == 200

    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


def test_an_altered_token_is_refused_with_a_sentence_and_changes_nothing(provider, digest):
    subscription = confirmed("ana@example.ca", digest)
    someone_else = confirmed("ben@example.ca", digest)
    token = tokens.unsubscribe_token(subscription.subscriber, digest)
    # Ben's address and list with the signature of Ana's link: the signature does not match.
    bens = tokens.unsubscribe_token(someone_else.subscriber, digest)
    forged = bens.split(":", 1)[0] + ":" + token.split(":", 1)[1]
    payload, _sep, signature = token.rpartition(":")

    for bad in [forged, payload + ":" + signature[::-1], "nonsense", token + "x"]:
        response = one_click(provider, bad)
        assert response.status_code == 400, bad
        assert "not valid" in response.content.decode()
    for s in (subscription, someone_else):
        s.refresh_from_db()
        assert s.status == Subscription.Status.CONFIRMED


def test_a_token_made_for_another_purpose_is_refused(provider, digest):
    subscription = confirmed("ana@example.ca", digest)

    response = one_click(provider, tokens.preferences_token(subscription.subscriber))

    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED


def test_an_unsubscribe_link_still_works_months_later(provider, digest, time_machine):
    time_machine.move_to("2026-01-06 09:30 -05:00", tick=False)
    subscription = confirmed("ana@example.ca", digest)
    token = tokens.unsubscribe_token(subscription.subscriber, digest)
    time_machine.move_to("2026-10-06 09:30 -04:00", tick=False)

    assert one_click(provider, token).status_code == 200


def test_only_the_one_click_view_is_exempt_from_csrf(provider, digest):
    subscription = confirmed("ana@example.ca", digest)
    from newsletters.mail import confirmation_url  # a page of the same app, on POST

    pending = Subscription.objects.create(
        subscriber=subscription.subscriber,
        list=type(digest).objects.create(name="Alerts", slug="alerts", kind="alert"),
        consent_wording="x",
    )
    response = provider.post(confirmation_url(pending).split("example.ca", 1)[-1])

    assert response.status_code == 403
