"""The pages reached from a mail's signed links: confirm, preferences, unsubscribe."""

import pytest
from django.utils import timezone

from newsletters import tokens
from newsletters.models import NewsletterList, Subscriber, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_outbox(settings):
    """Newsletter mail (its own backend setting) to Django's test outbox."""
    settings.NEWSLETTER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def digest():
    return NewsletterList.objects.create(name="The Morning Ledger", slug="morning", language="en")


@pytest.fixture
def alerts():
    return NewsletterList.objects.create(
        name="Breaking News", slug="breaking", language="en", kind="alert"
    )


@pytest.fixture
def pending(digest):
    subscriber = Subscriber.objects.create(email="ana@example.ca")
    return Subscription.objects.create(
        subscriber=subscriber, list=digest, consent_wording="By signing up, I agree…"
    )


def altered(token):
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


def assert_private(response):
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_opening_the_confirmation_link_shows_a_button_and_confirms_nothing(client, pending):
    response = client.get(f"/newsletters/confirm/{tokens.confirmation_token(pending)}/")
    assert response.status_code == 200
    assert "Confirm my subscription" in response.content.decode()
    assert_private(response)
    pending.refresh_from_db()
    assert pending.status == Subscription.Status.PENDING


def test_pressing_the_button_confirms(client, pending):
    address = f"/newsletters/confirm/{tokens.confirmation_token(pending)}/"
    client.get(address)  # the CSRF cookie, as a browser gets it
    response = client.post(address, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 200
    assert "You are subscribed" in response.content.decode()
    assert_private(response)
    pending.refresh_from_db()
    assert pending.status == Subscription.Status.CONFIRMED


def test_a_used_confirmation_link_is_a_400_and_changes_nothing(client, pending):
    address = f"/newsletters/confirm/{tokens.confirmation_token(pending)}/"
    client.post(address)
    pending.refresh_from_db()
    confirmed_at = pending.confirmed_at
    for response in (client.get(address), client.post(address)):
        assert response.status_code == 400
        assert "already been used" in response.content.decode()
        assert_private(response)
    pending.refresh_from_db()
    assert pending.confirmed_at == confirmed_at


def test_an_altered_confirmation_link_is_a_400_and_changes_nothing(client, pending):
    address = f"/newsletters/confirm/{altered(tokens.confirmation_token(pending))}/"
    for response in (client.get(address), client.post(address)):
        assert response.status_code == 400
        assert "Nothing was changed." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Subscription.Status.PENDING


def test_the_preferences_page_shows_the_lists_with_the_current_ones_ticked(client, pending, alerts):
    response = client.get(
        f"/newsletters/preferences/{tokens.preferences_token(pending.subscriber)}/"
    )
    assert response.status_code == 200
    assert_private(response)
    html = response.content.decode()
    assert (
        'value="morning" id="choice-morning" aria-describedby="choice-morning-purpose" checked'
        in html
    )
    assert (
        'value="breaking" id="choice-breaking" aria-describedby="choice-breaking-purpose">' in html
    )
    assert "ana@example.ca" not in html  # masked: the link may be forwarded
    assert "a***@example.ca" in html


def test_choosing_lists_on_the_preferences_page(client, pending, alerts):
    pending.status = Subscription.Status.CONFIRMED
    pending.save()
    address = f"/newsletters/preferences/{tokens.preferences_token(pending.subscriber)}/"
    response = client.post(address, {"newsletters": ["breaking"], "save": "1"})
    assert response.status_code == 200
    assert "Your choices are saved." in response.content.decode()
    statuses = dict(Subscription.objects.values_list("list__slug", "status"))
    assert statuses == {"morning": "unsubscribed", "breaking": "confirmed"}
    added = Subscription.objects.get(list=alerts)
    assert "newsletters I have ticked" in added.consent_wording
    assert tokens.preferences_token(pending.subscriber) not in added.source_path


def test_unsubscribing_from_all_on_the_preferences_page(client, pending, alerts):
    address = f"/newsletters/preferences/{tokens.preferences_token(pending.subscriber)}/"
    client.post(address, {"newsletters": ["morning", "breaking"]})
    response = client.post(address, {"unsubscribe_all": "1"})
    assert "You are unsubscribed from every newsletter" in response.content.decode()
    assert set(Subscription.objects.values_list("status", flat=True)) == {"unsubscribed"}


def test_an_altered_preferences_link_is_a_400(client, pending):
    address = f"/newsletters/preferences/{altered(tokens.preferences_token(pending.subscriber))}/"
    for response in (client.get(address), client.post(address, {"unsubscribe_all": "1"})):
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Subscription.Status.PENDING


def test_a_list_no_longer_offered_is_refused_on_the_preferences_page(client, pending, alerts):
    address = f"/newsletters/preferences/{tokens.preferences_token(pending.subscriber)}/"
    response = client.post(address, {"newsletters": ["no-such-list"]})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == Subscription.Status.PENDING


def test_the_unsubscribe_page_shows_a_button_that_posts_to_the_one_click_address(client, pending):
    token = tokens.unsubscribe_token(pending.subscriber, pending.list)
    response = client.get(f"/newsletters/unsubscribe/{token}/")
    assert response.status_code == 200
    assert_private(response)
    html = response.content.decode()
    assert f'<form method="post" action="/newsletters/unsubscribe/{token}/">' in html
    assert "The Morning Ledger" in html
    pending.refresh_from_db()
    assert pending.status == Subscription.Status.PENDING  # opening the link changes nothing


def test_pressing_the_unsubscribe_button_unsubscribes(client, pending):
    token = tokens.unsubscribe_token(pending.subscriber, pending.list)
    response = client.post(f"/newsletters/unsubscribe/{token}/")
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Subscription.Status.UNSUBSCRIBED
    assert pending.unsubscribed_at <= timezone.now()


def test_an_altered_unsubscribe_link_is_a_400_with_a_sentence(client, pending):
    token = altered(tokens.unsubscribe_token(pending.subscriber, pending.list))
    response = client.get(f"/newsletters/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_the_french_link_pages_answer_in_french(client, pending):
    response = client.get(f"/fr/infolettres/confirmer/{tokens.confirmation_token(pending)}/")
    assert response.status_code == 200
    assert "Confirmer mon abonnement" in response.content.decode()


def test_the_footer_form_on_a_link_page_does_not_carry_the_link(client, pending):
    """Signing up from the preferences page's footer must not store its key in the record."""
    token = tokens.preferences_token(pending.subscriber)
    html = client.get(f"/newsletters/preferences/{token}/").content.decode()
    assert 'id="footer-newsletter-email"' in html
    assert token not in html.split('class="site-footer"')[1]
    assert 'name="source" value="/newsletters/preferences/…/"' in html
