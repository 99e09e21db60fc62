"""Done when (issue 27): a digest to 1,000 subscribers through a real SMTP server, 3 of them
suppressed and 2 unsubscribing while it runs, the sending process killed with SIGKILL in the
middle and started again: every other subscriber gets exactly one mail, and the desk's
counts say so.

The sender is a real process (``manage.py newsletter_send``, the worker's send loop) on the
test database, so it needs PostgreSQL, as the suite's other killed-process tests do. It is
killed while the mail server holds its 500th message, before answering: that message was
never accepted, its row is still under the dead process's lease, and the second process sends
it (and the rest of the batch) once the lease has passed.
"""

import os
import signal
import subprocess
import sys
import threading
from collections import Counter

import pytest
from django.db import connection

from devtools.smtp import Sink, SMTPServer
from newsletters import services, tasks
from newsletters.models import (
    Delivery,
    Issue,
    IssueStory,
    NewsletterList,
    Subscriber,
    Subscription,
    Suppression,
)
from tests.factories import ArticleFactory, StaffFactory
from tests.newsletters.conftest import WORDING

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

READERS = 1000
KILL_AT = 500
UNSUBSCRIBE_AT = 200
LEASE_SECONDS = 2


def sender_process(port):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "NEWSLETTER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "SITE_URL": "https://news.example.ca",
        "NEWSLETTER_FROM_EMAIL": "newsletters@news.example.ca",
        "NEWSLETTER_RATE_PER_SECOND": "0",
        "NEWSLETTER_BATCH_SIZE": "100",
        "NEWSLETTER_LEASE_SECONDS": str(LEASE_SECONDS),
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
    }
    return env


def test_a_killed_sender_resumes_and_every_reader_gets_exactly_one_mail(monkeypatch):
    digest = NewsletterList.objects.create(name="Daily", slug="daily", kind="digest")
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n:04d}@example.ca") for n in range(READERS)
    )
    readers = list(Subscriber.objects.order_by("pk"))
    Subscription.objects.bulk_create(
        Subscription(
            subscriber=reader,
            list=digest,
            status=Subscription.Status.CONFIRMED,
            consent_wording=WORDING,
        )
        for reader in readers
    )
    issue = Issue.objects.create(list=digest, subject="Your morning briefing")
    for n in range(3):
        IssueStory.objects.create(issue=issue, article=ArticleFactory(), position=n)
    monkeypatch.setattr(tasks, "queue_send", lambda issue_id: None)  # the worker is below
    services.send_issue(issue)
    # Bounces reported after sending started: skipped at send time.
    suppressed = [readers[10].email, readers[450].email, readers[800].email]
    for address in suppressed:
        services.suppress(address, Suppression.Reason.HARD_BOUNCE)
    leaving = readers[-2:]  # unsubscribe while the first batches go out

    reached, unsubscribed, killed = threading.Event(), threading.Event(), threading.Event()
    sender = {}

    def on_message(number, envelope):
        if number == UNSUBSCRIBE_AT:
            reached.set()
            unsubscribed.wait(30)
        if number == KILL_AT and not killed.is_set():
            os.kill(sender["process"].pid, signal.SIGKILL)
            killed.set()
            return "451 4.3.0 Try again later"  # never accepted
        return None

    sink = Sink()
    sink.on_message = on_message
    with SMTPServer(sink) as server:
        env = sender_process(server.port)
        command = [sys.executable, "manage.py", "newsletter_send", str(issue.pk)]
        sender["process"] = subprocess.Popen(command, env=env)  # noqa: S603
        assert reached.wait(60), "the sender never reached the 200th mail"
        for reader in leaving:
            services.unsubscribe(reader, digest, Subscription.How.LINK)
        unsubscribed.set()
        assert sender["process"].wait(60) == -signal.SIGKILL
        assert killed.is_set()
        held = Delivery.objects.filter(issue=issue, status=Delivery.Status.SENDING).count()
        assert held > 0  # the dead process's claimed batch, still under its lease

        resumed = subprocess.run(  # noqa: S603
            [*command, "--wait"], env=env, capture_output=True, text=True, timeout=60
        )
        assert resumed.returncode == 0, resumed.stderr

    received = Counter(to for recipients, _content in sink.messages for to in recipients)
    expected = {r.email for r in readers} - set(suppressed) - {r.email for r in leaving}
    assert set(received) == expected
    assert set(received.values()) == {1}
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    counts = issue.counts()
    assert counts["sent"] == READERS - 5
    assert counts["skipped"] == 5
    assert counts["queued"] == counts["sending"] == counts["failed"] == 0
    assert issue.recipient_count == READERS

    editor = StaffFactory(group="Editor")
    from django.test import Client

    desk = Client()
    desk.force_login(editor)
    page = desk.get(f"/admin/newsletters/issue/{issue.pk}/change/").content.decode()
    assert f'data-count="sent">{READERS - 5}<' in page
    assert 'data-count="skipped">5<' in page
