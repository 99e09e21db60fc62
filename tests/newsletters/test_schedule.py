"""Digests go out by themselves at their send time (Toronto time, across the DST changes):
the issue an editor prepared for the day, or the default one; once per list and day; never a
day past the grace window, an inactive list, an alert or an issue without stories."""

import datetime
import email
import logging
import threading
import time
import zoneinfo

import pytest
import time_machine

from newsletters import schedule, sending, tasks
from newsletters.models import Delivery, Issue, IssueStory, NewsletterList
from tests.factories import ArticleFactory
from tests.newsletters.conftest import confirmed

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
LONG_AGO = datetime.datetime(2026, 1, 1, tzinfo=TORONTO)


def toronto(*args, fold=0):
    return datetime.datetime(*args, tzinfo=TORONTO, fold=fold)


@pytest.fixture(autouse=True)
def no_queue(monkeypatch):
    """The send's task is not queued: the tests look at the issue, or run the loop."""
    monkeypatch.setattr(tasks, "queue_send", lambda issue_id: None)


@pytest.fixture
def morning(db):
    newsletter = NewsletterList.objects.create(
        name="The Maple Ledger Daily",
        slug="daily",
        language="en",
        kind="digest",
        send_time=datetime.time(7, 0),
        created_at=LONG_AGO,
    )
    confirmed("ana@example.ca", newsletter)
    return newsletter


def prepared(newsletter, day, *headlines, introduction=""):
    issue = Issue.objects.create(
        list=newsletter, subject="Prepared", introduction=introduction, scheduled_for=day
    )
    for position, headline in enumerate(headlines):
        IssueStory.objects.create(
            issue=issue, article=ArticleFactory(headline=headline), position=position
        )
    return issue


def went_out(newsletter, day):
    """The day before's issue, sent as usual."""
    Issue.objects.create(
        list=newsletter, subject="Sent", scheduled_for=day, status=Issue.Status.SENT
    )


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        return schedule.run()


def test_the_prepared_issue_goes_out_with_its_order_and_introduction(smtp_server, morning):
    day = datetime.date(2026, 12, 8)
    issue = prepared(
        morning, day, "Council passes budget", "Leafs win", introduction="Good morning, Toronto."
    )
    first = issue.entries.get(article__headline="Council passes budget")
    first.position = 5  # the editor moved it below the other one
    first.save()
    went_out(morning, day - datetime.timedelta(days=1))

    assert run_at(toronto(2026, 12, 8, 6, 59)) == {"daily": "done"}  # yesterday: nothing to do
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.DRAFT
    assert run_at(toronto(2026, 12, 8, 7, 0)) == {"daily": "sent"}

    assert Issue.objects.filter(list=morning, scheduled_for=day).get() == issue
    sending.run(issue.pk)
    ((_to, raw),) = smtp_server.messages
    text = next(
        part.get_content()
        for part in email.message_from_bytes(raw, policy=email.policy.default).walk()
        if part.get_content_type() == "text/plain"
    )
    assert "Good morning, Toronto." in text
    assert text.index("Leafs win") < text.index("Council passes budget")


def test_the_default_issue_is_made_and_sent_when_none_was_prepared(morning):
    with time_machine.travel(toronto(2026, 12, 8, 6, 0), tick=False):
        ArticleFactory(headline="Overnight fire in Scarborough")

    assert run_at(toronto(2026, 12, 8, 7, 0, 30)) == {"daily": "sent"}

    issue = Issue.objects.get(list=morning)
    assert issue.scheduled_for == datetime.date(2026, 12, 8)
    assert issue.status == Issue.Status.SENDING
    assert [s.headline for s in issue.ordered_stories()] == ["Overnight fire in Scarborough"]
    assert issue.recipient_count == 1


def test_running_twice_sends_once(morning):
    prepared(morning, datetime.date(2026, 12, 8), "Leafs win")

    assert run_at(toronto(2026, 12, 8, 7, 0)) == {"daily": "sent"}
    assert run_at(toronto(2026, 12, 8, 7, 1)) == {"daily": "done"}

    assert Issue.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_a_worker_down_all_night_sends_neither_yesterday_nor_today_late(morning, caplog):
    """The beat comes back at 9:30 (7:00 + 2 h 30, past the 2 h grace): yesterday's prepared
    issue stays a draft, today's is set aside as late for the desk, and nobody is mailed."""
    yesterday = prepared(morning, datetime.date(2026, 12, 7), "Yesterday's news")
    with time_machine.travel(toronto(2026, 12, 8, 6, 0), tick=False):
        ArticleFactory(headline="Today's news")

    with caplog.at_level(logging.WARNING, logger="newsletters.schedule"):
        assert run_at(toronto(2026, 12, 8, 9, 30)) == {"daily": "late"}
    assert run_at(toronto(2026, 12, 8, 9, 31)) == {"daily": "done"}

    assert Delivery.objects.count() == 0
    yesterday.refresh_from_db()
    assert (yesterday.status, yesterday.not_sent) == (Issue.Status.DRAFT, "")
    today = Issue.objects.get(scheduled_for=datetime.date(2026, 12, 8))
    assert (today.status, today.not_sent) == (Issue.Status.DRAFT, Issue.NotSent.LATE)
    assert "not sent: its send time passed 2:30:00 ago" in caplog.text


def test_within_the_grace_window_a_late_beat_still_sends_past_midnight(morning):
    morning.send_time = datetime.time(23, 30)
    morning.save()
    prepared(morning, datetime.date(2026, 12, 7), "Late news")

    assert run_at(toronto(2026, 12, 8, 0, 45)) == {"daily": "sent"}

    assert Issue.objects.get().status == Issue.Status.SENDING


def test_an_inactive_list_and_an_alert_are_not_sent(morning):
    prepared(morning, datetime.date(2026, 12, 8), "Leafs win")
    morning.active = False
    morning.save()
    NewsletterList.objects.create(
        name="Breaking", slug="breaking", kind="alert", send_time=datetime.time(7, 0)
    )
    ArticleFactory()

    assert run_at(toronto(2026, 12, 8, 7, 0)) == {}

    assert Issue.objects.get().status == Issue.Status.DRAFT
    assert Delivery.objects.count() == 0


def test_an_issue_without_stories_is_set_aside_and_logged(morning, caplog):
    issue = prepared(morning, datetime.date(2026, 12, 8))

    with caplog.at_level(logging.INFO, logger="newsletters.schedule"):
        assert run_at(toronto(2026, 12, 8, 7, 0)) == {"daily": "empty"}
    assert run_at(toronto(2026, 12, 8, 7, 1)) == {"daily": "done"}

    issue.refresh_from_db()
    assert (issue.status, issue.not_sent) == (Issue.Status.DRAFT, Issue.NotSent.EMPTY)
    assert Delivery.objects.count() == 0
    assert "Add at least one story" in caplog.text


def test_a_list_made_after_its_time_today_starts_tomorrow(morning):
    morning.created_at = toronto(2026, 12, 8, 8, 0)
    morning.save()
    ArticleFactory()

    assert run_at(toronto(2026, 12, 8, 8, 1)) == {"daily": "waiting"}
    assert not Issue.objects.exists()


@pytest.mark.parametrize(
    "before, at",
    [
        # Spring forward (March 8, 2026): 7:00 a.m. is EDT, 11:00 UTC.
        (
            datetime.datetime(2026, 3, 8, 10, 59, tzinfo=datetime.UTC),
            datetime.datetime(2026, 3, 8, 11, 0, tzinfo=datetime.UTC),
        ),
        # Fall back (November 1, 2026): 7:00 a.m. is EST, 12:00 UTC.
        (
            datetime.datetime(2026, 11, 1, 11, 59, tzinfo=datetime.UTC),
            datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC),
        ),
    ],
)
def test_on_the_days_the_clocks_change_seven_oclock_is_torontos(morning, before, at):
    day = at.astimezone(TORONTO).date()
    went_out(morning, day - datetime.timedelta(days=1))
    prepared(morning, day, "Clocks change")

    assert run_at(before) == {"daily": "done"}
    assert Issue.objects.get(scheduled_for=day).status == Issue.Status.DRAFT
    assert run_at(at) == {"daily": "sent"}


def test_a_send_time_the_clocks_skip_goes_an_hour_later(morning):
    morning.send_time = datetime.time(2, 30)  # does not exist on March 8, 2026
    morning.save()
    went_out(morning, datetime.date(2026, 3, 7))
    prepared(morning, datetime.date(2026, 3, 8), "Clocks change")

    assert run_at(toronto(2026, 3, 8, 3, 29)) == {"daily": "done"}
    assert run_at(toronto(2026, 3, 8, 3, 30)) == {"daily": "sent"}


def test_a_send_time_that_happens_twice_goes_the_first_time_only(morning):
    morning.send_time = datetime.time(1, 30)  # twice on November 1, 2026
    morning.save()
    prepared(morning, datetime.date(2026, 11, 1), "Clocks change")

    assert run_at(toronto(2026, 11, 1, 1, 30)) == {"daily": "sent"}  # EDT
    assert run_at(toronto(2026, 11, 1, 1, 30, fold=1)) == {"daily": "done"}  # EST
    assert Delivery.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beats_racing_send_once(morning, monkeypatch):
    """Two workers run the task at the same moment: the list's row lock makes the second
    wait for the first and find its issue sending (not a second issue, not an error)."""
    from django.db import connection

    from newsletters import services

    with time_machine.travel(toronto(2026, 12, 8, 6, 0), tick=False):
        ArticleFactory(headline="Overnight fire in Scarborough")
    went_out(morning, datetime.date(2026, 12, 7))
    send_issue = services.send_issue

    def slow_send(issue, **kwargs):
        time.sleep(0.3)  # the other beat arrives while this one is in the middle
        return send_issue(issue, **kwargs)

    monkeypatch.setattr(services, "send_issue", slow_send)
    start = threading.Barrier(2)
    outcomes = []

    def beat():
        try:
            start.wait()
            outcomes.append(schedule.send_due(morning, toronto(2026, 12, 8, 7, 0)))
        finally:
            connection.close()

    with time_machine.travel(toronto(2026, 12, 8, 7, 0), tick=False):
        threads = [threading.Thread(target=beat) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)

    assert sorted(outcomes) == ["done", "sent"]
    assert Issue.objects.filter(scheduled_for=datetime.date(2026, 12, 8)).count() == 1
    assert Delivery.objects.count() == 1
