"""Signing up on the readers' site: the forms on cached pages, the POST, its refusals."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from newsletters.consent import consent_wording
from newsletters.models import NewsletterList, Subscriber, Subscription
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_outbox(settings):
    """Newsletter mail (its own backend setting) to Django's test outbox."""
    settings.NEWSLETTER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


SITE = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def digest():
    return NewsletterList.objects.create(
        name="The Morning Ledger",
        slug="morning",
        language="en",
        kind="digest",
        description="The day’s top stories before breakfast.",
    )


@pytest.fixture
def french_digest():
    return NewsletterList.objects.create(
        name="Le Ledger du matin",
        slug="matin",
        language="fr",
        kind="digest",
        description="Les grandes nouvelles du jour, avant le déjeuner.",
    )


def sign_up(client, email="ana@example.ca", newsletter="morning", prefix="", **headers):
    address = "/fr/infolettres/inscription/" if prefix == "fr" else "/newsletters/subscribe/"
    data = {"email": email, "newsletter": newsletter, "source": "/story/some-story/"}
    return client.post(address, data, **(headers or SITE))


def test_the_footer_of_every_page_offers_the_daily_digest(client, digest):
    html = client.get("/").content.decode()
    assert 'action="/newsletters/subscribe/"' in html
    assert 'name="newsletter" value="morning"' in html
    assert consent_wording(digest).replace("’", "&#8217;")[:20] in html or (
        "By signing up, I agree to receive the newsletter" in html
    )


def test_the_story_page_offers_a_sign_up_after_the_body_and_before_related(client, digest):
    story = ArticleFactory(body="<p>The body of the story.</p>")
    html = client.get(story.get_absolute_url()).content.decode()
    body, form, related = (
        html.index("The body of the story."),
        html.index('class="story-newsletter"'),
        html.index('class="ratings-block"'),
    )
    assert body < form < related
    assert 'id="story-newsletter-email"' in html and 'id="footer-newsletter-email"' in html


def test_a_section_digest_is_offered_on_its_sections_stories(client, digest):
    politics = SectionFactory(name="Politics", slug="politics")
    NewsletterList.objects.create(
        name="Politics Briefing", slug="politics-briefing", language="en", kind="section",
        section=politics,
    )  # fmt: skip
    story = ArticleFactory(section=politics)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Get “Politics Briefing” by email" in html


def test_the_sign_up_forms_carry_nothing_about_the_reader(client, digest):
    """Cached pages: no CSRF token, no cookie, the same HTML for every reader."""
    story = ArticleFactory()
    sign_up(client)
    first = client.get(story.get_absolute_url())
    second = Client().get(story.get_absolute_url())
    assert first.content == second.content
    assert b"csrfmiddlewaretoken" not in first.content
    assert b"ana@example.ca" not in first.content
    assert not second.cookies


def test_signing_up_records_the_consent_shown_and_mails_a_confirmation(
    client, digest, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email="  Ana@Example.ca ")
    assert response.status_code == 303
    assert response["Location"] == "/newsletters/check-your-inbox/"
    subscription = Subscription.objects.get()
    assert subscription.subscriber.email == "ana@example.ca"
    assert subscription.list == digest
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.consent_wording == consent_wording(digest)
    assert "The Maple Ledger" in subscription.consent_wording
    assert "unsubscribe at any time" in subscription.consent_wording
    assert subscription.source_path == "/story/some-story/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.ca"]


def test_a_french_sign_up_records_the_french_wording(
    client, french_digest, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, newsletter="matin", prefix="fr")
    assert response.status_code == 303
    assert response["Location"] == "/fr/infolettres/verifiez-vos-courriels/"
    wording = Subscription.objects.get().consent_wording
    assert wording.startswith("En m’inscrivant")
    assert "Le Ledger du matin" in wording


def test_a_list_of_the_other_language_cannot_be_signed_up_to_from_this_one(client, french_digest):
    response = sign_up(client, newsletter="matin")
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_an_invalid_address_is_a_form_error_in_place_and_nothing_is_stored(client, digest):
    response = sign_up(client, email="ana@@example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address" in html
    assert 'aria-invalid="true"' in html
    assert 'value="ana@@example"' in html  # what the reader typed, to correct it
    assert not Subscriber.objects.exists()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_REFERER": "https://evil.example/"}, {}],
    ids=["other-origin", "other-referer", "no-headers"],
)
def test_a_cross_site_sign_up_is_refused_and_stores_nothing(digest, headers):
    client = Client()
    response = client.post(
        "/newsletters/subscribe/", {"email": "ana@example.ca", "newsletter": "morning"}, **headers
    )
    assert response.status_code == 403
    assert "could not be checked as coming from this site" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_flood_from_one_address_answers_429_and_stores_nothing(client, digest, settings):
    settings.NEWSLETTER_SIGNUPS_PER_ADDRESS = 3
    for n in range(3):
        assert sign_up(client, email=f"reader{n}@example.ca").status_code == 303
    response = sign_up(client, email="reader9@example.ca")
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert not Subscriber.objects.filter(email="reader9@example.ca").exists()
    assert Subscriber.objects.count() == 3


def test_a_flood_for_one_email_answers_429_whatever_the_network(client, digest, settings):
    settings.NEWSLETTER_SIGNUPS_PER_EMAIL = 2
    for n in range(2):
        assert sign_up(client, REMOTE_ADDR=f"198.51.100.{n}", **SITE).status_code == 303
    subscription = Subscription.objects.get()
    consented_at = subscription.consented_at
    response = sign_up(client, REMOTE_ADDR="198.51.100.9", **SITE)
    assert response.status_code == 429
    subscription.refresh_from_db()
    assert subscription.consented_at == consented_at  # the third changed nothing


def test_the_answers_about_a_sign_up_are_private_and_not_kept(client, digest, page_cache_on):
    response = sign_up(client)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    for _ in range(2):
        page = client.get("/newsletters/check-your-inbox/")
        assert "no-store" in page["Cache-Control"]
        assert "X-Accel-Expires" not in page


def test_the_list_pages_are_each_languages_own(client, digest, french_digest):
    index = client.get("/newsletters/")
    assert index.status_code == 200
    assert "The Morning Ledger" in index.content.decode()
    assert "Le Ledger du matin" not in index.content.decode()
    page = client.get("/newsletters/morning/")
    assert page.status_code == 200
    assert "<h1>The Morning Ledger</h1>" in page.content.decode()
    assert client.get("/fr/infolettres/matin/").status_code == 200
    assert client.get("/fr/infolettres/morning/").status_code == 404
    assert client.get("/newsletters/matin/").status_code == 404


def test_an_inactive_list_has_no_page_and_leaves_the_footer_of_cached_pages(
    client, digest, page_cache_on
):
    assert b"footer-newsletter" in client.get("/").content
    assert b"footer-newsletter" in client.get("/").content  # from the page cache
    digest.active = False
    digest.save()
    assert client.get("/newsletters/morning/").status_code == 404
    assert b"footer-newsletter" not in client.get("/").content
    assert sign_up(client).status_code == 400


def test_the_consent_names_the_sender_with_its_postal_address(client, digest, settings):
    settings.NEWSLETTER_POSTAL_ADDRESS = "123 Front St. W., Toronto ON M5J 2M2"
    sign_up(client)
    wording = Subscription.objects.get().consent_wording
    assert "from The Maple Ledger, 123 Front St. W., Toronto ON M5J 2M2." in wording
    html = client.get("/newsletters/morning/").content.decode()
    assert "The Maple Ledger, 123 Front St. W., Toronto ON M5J 2M2." in html


def test_the_sign_up_forms_cost_a_story_page_no_query_once_warm(client, digest):
    """The lists offered are kept in the cache (forgotten when a list changes): once warm, a
    story page with the forms reads nothing of the newsletters' tables."""
    story = ArticleFactory()
    client.get(story.get_absolute_url())  # warms the navigation and the lists offered
    with CaptureQueriesContext(connection) as queries:
        assert b"story-newsletter" in client.get(story.get_absolute_url()).content
    assert [q["sql"] for q in queries if "newsletters_" in q["sql"]] == []


def test_the_index_lists_the_daily_digest_first_with_its_schedule(client, digest):
    NewsletterList.objects.create(name="Alerts", slug="alerts", language="en", kind="alert")
    digest.send_time = "06:30"
    digest.save()
    html = client.get("/newsletters/").content.decode()
    assert html.index("The Morning Ledger") < html.index(">Alerts<")
    assert "Every day at 6:30 a.m. (Toronto time)." in html
    assert "Sent when major news breaks." in html


def test_a_list_closed_while_signing_up_is_a_form_error_not_a_500(client, digest, monkeypatch):
    from django.core.exceptions import ValidationError

    from newsletters import services

    def closed(*args, **kwargs):
        raise ValidationError("This newsletter is no longer taking subscribers.")

    monkeypatch.setattr(services, "subscribe", closed)
    response = sign_up(client)
    assert response.status_code == 400
    assert "This newsletter is no longer taking subscribers." in response.content.decode()
