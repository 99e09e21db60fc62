import pytest

from devtools.smtp import Sink, SMTPServer
from newsletters import services, tasks
from newsletters.models import Issue, IssueStory, NewsletterList, Subscriber, Subscription
from tests.factories import ArticleFactory, SectionFactory

WORDING = (
    "Yes, send me The Maple Ledger's daily digest by email. "
    "The Maple Ledger, 1 Front St., Toronto. You can unsubscribe at any time."
)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a local port; the newsletters and Django's mail go to it."""
    with SMTPServer(Sink()) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.NEWSLETTER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.SITE_URL = "https://news.example.ca"
        settings.NEWSLETTER_POSTAL_ADDRESS = "1 Front St. W., Toronto ON M5J 1A1"
        settings.NEWSLETTER_FROM_EMAIL = "newsletters@news.example.ca"
        settings.NEWSLETTER_RATE_PER_SECOND = 0
        yield server.sink


@pytest.fixture
def digest(db):
    return NewsletterList.objects.create(
        name="The Maple Ledger Daily", slug="daily", language="en", kind="digest"
    )


@pytest.fixture
def french_digest(db):
    return NewsletterList.objects.create(
        name="Le Quotidien", slug="quotidien", language="fr", kind="digest"
    )


@pytest.fixture
def section_digest(db):
    return NewsletterList.objects.create(
        name="Politics weekly",
        slug="politics",
        language="en",
        kind="section",
        section=SectionFactory(name="Politics", slug="politics"),
    )


def confirmed(email, newsletter_list):
    """A reader who signed up and confirmed (without going through the mail)."""
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    return Subscription.objects.create(
        subscriber=subscriber,
        list=newsletter_list,
        status=Subscription.Status.CONFIRMED,
        consent_wording=WORDING,
        source_path="/",
        confirmed_at=subscriber.created_at,
    )


@pytest.fixture
def issue(digest):
    """A draft issue of the digest with one story (test files may define their own)."""
    issue = Issue.objects.create(list=digest, subject="Morning briefing")
    IssueStory.objects.create(issue=issue, article=ArticleFactory())
    return issue


@pytest.fixture
def started(monkeypatch):
    """``send_issue`` without its task: the test runs the send loop itself."""
    monkeypatch.setattr(tasks, "queue_send", lambda issue_id: None)
    return services.send_issue
