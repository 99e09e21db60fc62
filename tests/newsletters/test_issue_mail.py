"""An issue as a reader's mail client gets it: through a real SMTP server, multipart with a
plain-text part, CSS inlined, sender identified, RFC 8058 headers, and every link working."""

import re
from urllib.parse import urlsplit

import pytest

from newsletters import services
from newsletters.models import Issue, IssueStory
from tests.factories import ArticleFactory
from tests.newsletters.conftest import confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(digest):
    issue = Issue.objects.create(
        list=digest, subject="Your morning briefing", introduction="Good morning, Toronto."
    )
    for n in range(3):
        IssueStory.objects.create(
            issue=issue, article=ArticleFactory(headline=f"Council votes on budget {n}"), position=n
        )
    return issue


def send(issue, capture):
    with capture(execute=True):
        services.send_issue(issue)


def links(message):
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    found = set(re.findall(r'href="(https://[^"]+)"', html))
    return found, set(re.findall(r"https://\S+", text))


def test_a_reader_gets_html_and_plain_text_with_one_click_unsubscribe_headers(
    smtp_server, digest, issue, django_capture_on_commit_callbacks
):
    confirmed("ana@example.ca", digest)

    send(issue, django_capture_on_commit_callbacks)

    [message] = smtp_server.parsed()
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["Subject"] == "Your morning briefing"
    assert message["From"] == "The Maple Ledger <newsletters@news.example.ca>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<https://news\.example\.ca/newsletters/unsubscribe/[^/>]+/>",
        message["List-Unsubscribe"].strip(),
    )
    assert message["Message-ID"].startswith(f"<newsletter.{issue.pk}.")
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "<style" not in html and "max-width: 600px" in html  # inlined, phone width
    for part in (html, text):
        assert "Council votes on budget 2" in part
        assert "1 Front St. W., Toronto" in part  # CASL: who sends, and where
        assert "Good morning, Toronto." in part


def test_every_link_in_the_mail_opens_a_page(
    client, smtp_server, digest, issue, django_capture_on_commit_callbacks
):
    confirmed("ana@example.ca", digest)
    send(issue, django_capture_on_commit_callbacks)
    [message] = smtp_server.parsed()
    html_links, text_links = links(message)
    assert html_links - {"https://news.example.ca/"} == text_links - {"https://news.example.ca/"}

    for url in html_links | text_links:
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url


def test_a_french_list_mails_in_french_with_french_addresses(
    smtp_server, french_digest, django_capture_on_commit_callbacks
):
    issue = Issue.objects.create(list=french_digest, subject="Votre matin")
    IssueStory.objects.create(issue=issue, article=ArticleFactory(language="fr"), position=0)
    confirmed("ana@example.ca", french_digest)

    send(issue, django_capture_on_commit_callbacks)

    [message] = smtp_server.parsed()
    assert "/fr/infolettres/desabonnement/" in message["List-Unsubscribe"]
    assert "Se désabonner" in message.get_body(("plain",)).get_content()


def test_a_test_send_goes_to_the_editor_alone_with_links_that_change_nothing(
    client, smtp_server, digest, issue
):
    reader = confirmed("ana@example.ca", digest)
    editor = type("User", (), {"email": "editor@news.example.ca"})()

    services.send_test(issue, editor)

    [message] = smtp_server.parsed()
    assert message["To"] == "editor@news.example.ca"
    assert message["Subject"].startswith("[TEST]")
    unsubscribe = urlsplit(message["List-Unsubscribe"].strip().strip("<>")).path
    assert client.post(unsubscribe).status_code == 400
    reader.refresh_from_db()
    assert reader.status == "confirmed"
    assert not issue.deliveries.exists()


def test_the_prepared_bytes_read_as_the_email_package_would_build_them(digest, issue, settings):
    """The SMTP fast path (bytes assembled per reader) against Django's own message."""
    import email
    import email.policy

    from newsletters.mail import IssueMail, StandIn

    settings.SITE_URL = "https://news.example.ca"
    issue.subject = "Budget : ce qu’il faut savoir — « en bref »"
    message = IssueMail(issue).message(StandIn("ana@example.ca"))
    assert message.prepared is not None
    fast = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    message.prepared = None
    slow = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)

    for header in [
        "Subject", "From", "To", "Message-ID", "List-Id", "List-Unsubscribe",
        "List-Unsubscribe-Post", "MIME-Version",
    ]:  # fmt: skip
        assert fast[header].strip() == slow[header].strip(), header
    assert fast["Subject"].strip() == "Budget : ce qu’il faut savoir — « en bref »"
    for kind in ("plain", "html"):  # line ends aside (SMTP sends CRLF either way)
        assert fast.get_body((kind,)).get_content().replace("\r\n", "\n") == (
            slow.get_body((kind,)).get_content().replace("\r\n", "\n")
        )
