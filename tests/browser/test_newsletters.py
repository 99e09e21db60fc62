"""A reader signs up, confirms from the mail, chooses lists and unsubscribes, in Chromium,
in English and in French; every page on the way passes axe-core. Screenshots at phone and
desktop widths go to ``artifacts/screenshots/`` (or ``$SCREENSHOT_DIR``): look at them."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from devtools.smtp import Sink, SMTPServer
from newsletters import tokens
from newsletters.models import NewsletterList, Subscriber, Subscription
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd, devtools/smtp.py) that the confirmation mail goes to."""
    with SMTPServer(Sink()) as server:
        settings.NEWSLETTER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server.sink


WIDTHS = (390, 1280)

WORDS = {
    "en": {
        "email": "Your email address",
        "sign_up": "Sign up",
        "check": "Check your inbox",
        "confirm": "Confirm my subscription",
        "subscribed": "You are subscribed",
        "choose": "Choose your newsletters",
        "save": "Save my choices",
        "saved": "Your choices are saved.",
        "unsubscribe": "Unsubscribe",
        "gone": "You are unsubscribed",
    },
    "fr": {
        "email": "Votre adresse courriel",
        "sign_up": "M’inscrire",
        "check": "Vérifiez vos courriels",
        "confirm": "Confirmer mon abonnement",
        "subscribed": "Vous êtes abonné",
        "choose": "Choisir vos infolettres",
        "save": "Enregistrer mes choix",
        "saved": "Vos choix sont enregistrés.",
        "unsubscribe": "Se désabonner",
        "gone": "Vous êtes désabonné",
    },
}


def _shots():
    folder = Path(
        os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR, "artifacts", "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def site(settings):
    """A story in each language, and each language's digest and alerts."""
    settings.NEWSLETTER_POSTAL_ADDRESS = "123 Front St. W., Toronto ON M5J 2M2"
    canada = SectionFactory(name="Canada", slug="canada")
    societe = SectionFactory(name="Société", slug="societe", language="fr", translation_of=canada)
    stories = {
        "en": ArticleFactory(
            headline="Crews hold the line near Kelowna",
            body="<p>Crews worked through the night.</p>",
            section=canada,
        ),
        "fr": ArticleFactory(
            headline="Les pompiers tiennent bon près de Kelowna",
            body="<p>Les équipes ont travaillé toute la nuit.</p>",
            section=societe,
            language="fr",
        ),
    }
    for language, names in {
        "en": ("The Morning Ledger", "Breaking News"),
        "fr": ("Le Ledger du matin", "Alertes info"),
    }.items():
        NewsletterList.objects.create(
            name=names[0], slug=f"digest-{language}", language=language, kind="digest",
            send_time="06:30",
        )  # fmt: skip
        NewsletterList.objects.create(
            name=names[1], slug=f"alerts-{language}", language=language, kind="alert"
        )
    return stories


def check(page, name, language):
    """axe-core finds nothing on this page; screenshots at both widths."""
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(
            path=str(_shots() / f"newsletter-{language}-{name}-{width}.png"), full_page=True
        )
    page.set_viewport_size({"width": 1280, "height": 900})


def link_in(message, live_server, marker):
    """The address in the mail's text part that contains ``marker``, on the test server."""
    text = message.get_body(("plain",)).get_content()
    for link in re.findall(r"https?://\S+", text):
        if marker in link:
            parts = urlsplit(link)
            return f"{live_server.url}{parts.path}"
    raise AssertionError(f"no link with {marker!r} in:\n{text}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sign_up_confirm_choose_and_unsubscribe(page, live_server, site, language, smtp):
    words = WORDS[language]
    story = site[language]
    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    check(page, "story", language)

    form = page.locator(".story-newsletter")
    form.get_by_label(words["email"]).fill("ana.tremblay@example.ca")
    form.get_by_role("button", name=words["sign_up"]).click()
    expect(page.get_by_role("heading", name=words["check"])).to_be_visible()
    check(page, "check-inbox", language)

    subscription = Subscription.objects.get()
    assert subscription.list.slug == f"digest-{language}"
    assert subscription.source_path == story.get_absolute_url()
    smtp.wait_for(1)
    (message,) = smtp.parsed()
    assert message["To"] == "ana.tremblay@example.ca"
    confirm_path = "/newsletters/confirm/" if language == "en" else "/fr/infolettres/confirmer/"
    page.goto(link_in(message, live_server, confirm_path))
    expect(page.get_by_role("button", name=words["confirm"])).to_be_visible()
    check(page, "confirm", language)
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.get_by_role("heading", name=words["subscribed"])).to_be_visible()
    check(page, "confirmed", language)
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED

    page.get_by_role("link", name=words["choose"]).click()
    alerts = NewsletterList.objects.get(slug=f"alerts-{language}")
    page.get_by_label(alerts.name).check()
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    check(page, "preferences", language)
    assert Subscription.objects.get(list=alerts).status == Subscription.Status.CONFIRMED

    subscriber = Subscriber.objects.get()
    unsubscribe = tokens.unsubscribe_token(subscriber, alerts)
    prefix = "/newsletters/unsubscribe/" if language == "en" else "/fr/infolettres/desabonnement/"
    page.goto(f"{live_server.url}{prefix}{unsubscribe}/")
    check(page, "unsubscribe", language)
    page.get_by_role("button", name=words["unsubscribe"], exact=True).click()
    expect(page.get_by_role("heading", name=words["gone"])).to_be_visible()
    check(page, "unsubscribed", language)
    assert Subscription.objects.get(list=alerts).status == Subscription.Status.UNSUBSCRIBED
    assert subscription.__class__.objects.get(pk=subscription.pk).status == "confirmed"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_list_pages_and_a_refused_address_pass_axe(page, live_server, site, language):
    index = "/newsletters/" if language == "en" else "/fr/infolettres/"
    page.goto(f"{live_server.url}{index}")
    check(page, "index", language)
    page.goto(f"{live_server.url}{index}digest-{language}/")
    check(page, "list", language)
    # "a@b" passes the browser's own check, not the server's: the error shows in place.
    form = page.locator("main .newsletter-signup")
    form.get_by_label(WORDS[language]["email"]).fill("ana@example")
    form.get_by_role("button", name=WORDS[language]["sign_up"]).click()
    expect(page.locator(".newsletter-signup__error")).to_be_visible()
    check(page, "invalid-address", language)
    assert not Subscriber.objects.exists()
