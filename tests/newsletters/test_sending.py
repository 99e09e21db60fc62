"""The send loop in one process: who is skipped at send time, what a second send does, a
refused address, and the pace."""

import pytest

from newsletters import sending, services
from newsletters.models import Delivery, Issue, Subscription, Suppression
from tests.newsletters.conftest import confirmed

pytestmark = pytest.mark.django_db


def recipients(sink):
    return sorted(to for tos, _content in sink.messages for to in tos)


def test_readers_suppressed_or_unsubscribed_after_the_start_are_skipped(
    smtp_server, digest, issue, started
):
    for name in ("ana", "ben", "chloe"):
        confirmed(f"{name}@example.ca", digest)
    started(issue)
    services.suppress("ana@example.ca", Suppression.Reason.HARD_BOUNCE)
    ben = Subscription.objects.get(subscriber__email="ben@example.ca")
    services.unsubscribe(ben.subscriber, digest, Subscription.How.LINK)

    assert sending.run(issue.pk) == "sent"

    assert recipients(smtp_server) == ["chloe@example.ca"]
    assert issue.counts()["skipped"] == 2


def test_sending_an_issue_twice_mails_nobody_twice(smtp_server, digest, issue, started):
    confirmed("ana@example.ca", digest)
    started(issue)
    sending.run(issue.pk)
    confirmed("ben@example.ca", digest)

    with pytest.raises(Exception, match="already been sent"):
        services.send_issue(issue)
    sending.run(issue.pk)

    assert recipients(smtp_server) == ["ana@example.ca"]
    assert Delivery.objects.count() == 1


def test_an_address_the_server_refuses_for_good_is_bounced_and_suppressed(
    smtp_server, digest, issue, started
):
    smtp_server.refuse = {"gone@example.ca"}
    confirmed("gone@example.ca", digest)
    confirmed("ana@example.ca", digest)
    started(issue)

    sending.run(issue.pk)

    assert recipients(smtp_server) == ["ana@example.ca"]
    assert Delivery.objects.get(subscriber__email="gone@example.ca").status == "bounced"
    assert Suppression.objects.get().email == "gone@example.ca"
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def _mails(outcome):
    from newsletters.metrics import MAILS

    return MAILS.labels(outcome=outcome)._value.get()


def test_each_copys_outcome_is_counted_for_the_metrics(smtp_server, digest, issue, started):
    before = {name: _mails(name) for name in ("sent", "bounced", "skipped")}
    smtp_server.refuse = {"gone@example.ca"}
    for email in ("gone@example.ca", "ana@example.ca", "ben@example.ca", "chloe@example.ca"):
        confirmed(email, digest)
    started(issue)
    services.suppress("chloe@example.ca", Suppression.Reason.COMPLAINT)

    sending.run(issue.pk)

    counted = {name: _mails(name) - before[name] for name in before}
    assert counted == {"sent": 2, "bounced": 1, "skipped": 1}


def test_a_mail_server_that_is_down_gives_the_batch_back(settings, digest, issue, started):
    from devtools.smtp import free_port

    settings.NEWSLETTER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = False
    confirmed("ana@example.ca", digest)
    started(issue)

    with pytest.raises(sending.MailServerUnavailable):
        sending.run(issue.pk)

    assert Delivery.objects.get().status == Delivery.Status.QUEUED


class FakeClock:
    """Time that moves only when the pacer sleeps (or the test says so)."""

    def __init__(self):
        self.now = 0.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def _pacer(rate):
    clock = FakeClock()
    return sending.Pacer(rate, clock=clock, sleep=clock.sleep), clock


def test_the_pacer_keeps_to_the_rate():
    pacer, clock = _pacer(4)
    for _ in range(5):
        pacer.wait()

    assert clock.now == pytest.approx(1.0)  # five mails at 4 a second: the fifth at 1 s


def test_the_pacer_makes_up_for_a_short_stall():
    """A mail sent late (the process was not scheduled) does not lower the rate for good."""
    pacer, clock = _pacer(10)
    pacer.wait()
    clock.now += 0.25  # a stall of two and a half intervals
    for _ in range(4):
        pacer.wait()

    assert clock.now == pytest.approx(0.4)  # the fifth mail when it was due


def test_the_pacer_sends_no_burst_after_a_long_pause():
    pacer, clock = _pacer(10)
    pacer.wait()
    clock.now += 60.0
    for _ in range(10):
        pacer.wait()

    # At most a quarter of a second's worth (three mails) without waiting, then the rate.
    assert 10 - len(clock.slept) <= 3
    assert clock.slept[-1] == pytest.approx(0.1)


def test_a_batch_costs_the_same_queries_whatever_its_size_plus_one_write_per_mail(
    smtp_server, digest, issue, started, django_assert_max_num_queries
):
    for n in range(20):
        confirmed(f"reader{n}@example.ca", digest)
    started(issue)
    ids = sending.claim(issue.pk, 20, 60)
    readers = sending.readers_to_send(issue, ids)
    mail = sending.mail.IssueMail(issue)

    with django_assert_max_num_queries(20):
        sending.send_batch(mail, readers, sending.Pacer(0))

    assert len(smtp_server.messages) == 20


def test_a_mail_that_killed_its_worker_five_times_is_given_up(smtp_server, digest, issue, started):
    from datetime import timedelta

    from django.utils import timezone

    confirmed("ana@example.ca", digest)
    started(issue)
    Delivery.objects.update(
        status="sending", attempts=sending.MAX_ATTEMPTS, lease_until=timezone.now() - timedelta(1)
    )

    assert sending.run(issue.pk) == "sent"

    assert smtp_server.messages == []
    assert Delivery.objects.get().status == Delivery.Status.FAILED
