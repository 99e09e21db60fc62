"""The desk says when a draft goes out by itself, so editors know until when they can edit
it; they prepare a day's issue ahead; an issue set aside says why; alerts are sent by hand."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import translation

from newsletters.admin import goes_out
from newsletters.models import Issue, NewsletterList
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
DAY = datetime.date(2026, 12, 8)


def at(hour, minute=0, day=DAY):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TORONTO)


@pytest.fixture
def editor_client(client):
    client.force_login(StaffFactory(group="Editor"))
    return client


@pytest.fixture
def morning(db):
    return NewsletterList.objects.create(
        name="The Maple Ledger Daily",
        slug="daily",
        language="en",
        kind="digest",
        send_time=datetime.time(7, 0),
    )


def test_a_draft_for_today_says_it_goes_out_at_seven(editor_client, morning):
    issue = Issue.objects.create(list=morning, subject="Morning", scheduled_for=DAY)

    with time_machine.travel(at(6, 0), tick=False):
        form = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/change/")
        listing = editor_client.get("/admin/newsletters/issue/")

    for page in (form, listing):
        assert "Goes out automatically at 7:00 a.m. today." in page.content.decode()


def test_preparing_after_the_send_time_prepares_tomorrows_then_the_next_days(
    editor_client, morning
):
    ArticleFactory(headline="Ontario tables its budget")

    with time_machine.travel(at(8, 0), tick=False):
        for _ in range(2):
            editor_client.post(
                "/admin/newsletters/newsletterlist/",
                {"action": "prepare_issue", "_selected_action": [morning.pk]},
            )
        tomorrow = Issue.objects.get(scheduled_for=DAY + datetime.timedelta(days=1))
        page = editor_client.get(f"/admin/newsletters/issue/{tomorrow.pk}/change/")

    assert sorted(Issue.objects.values_list("scheduled_for", flat=True)) == [
        datetime.date(2026, 12, 9),
        datetime.date(2026, 12, 10),
    ]
    assert "Goes out automatically at 7:00 a.m. tomorrow." in page.content.decode()


def test_an_editor_writes_an_issue_for_a_later_day(editor_client, morning):
    data = {
        "list": morning.pk,
        "scheduled_for": "2026-12-10",
        "subject": "Thursday",
        "introduction": "Written ahead.",
        "entries-TOTAL_FORMS": "0",
        "entries-INITIAL_FORMS": "0",
    }

    with time_machine.travel(at(8, 0), tick=False):
        editor_client.post("/admin/newsletters/issue/add/", data)
        issue = Issue.objects.get()
        page = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/change/")

    assert issue.scheduled_for == datetime.date(2026, 12, 10)
    assert "Goes out automatically at 7:00 a.m. on December 10." in page.content.decode()


@pytest.mark.parametrize(
    "day, error",
    [
        ("2026-12-07", "This day has already passed."),
        ("2026-12-09", "Another issue of this newsletter goes out that day."),
    ],
)
def test_a_day_past_or_taken_is_refused(editor_client, morning, day, error):
    Issue.objects.create(list=morning, subject="Taken", scheduled_for=datetime.date(2026, 12, 9))
    data = {
        "list": morning.pk,
        "scheduled_for": day,
        "subject": "Another",
        "entries-TOTAL_FORMS": "0",
        "entries-INITIAL_FORMS": "0",
    }

    with time_machine.travel(at(8, 0), tick=False):
        response = editor_client.post("/admin/newsletters/issue/add/", data)

    assert error in response.content.decode()
    assert Issue.objects.count() == 1


def test_an_alert_is_sent_by_hand(editor_client):
    alert = NewsletterList.objects.create(name="Breaking", slug="breaking", kind="alert")
    issue = Issue.objects.create(list=alert, subject="Breaking")

    page = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/change/").content.decode()

    assert "Sent by hand." in page
    assert "Goes out automatically" not in page


def test_an_issue_set_aside_says_why(editor_client, morning):
    issue = Issue.objects.create(
        list=morning, subject="Empty", scheduled_for=DAY, not_sent=Issue.NotSent.EMPTY
    )

    page = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/change/").content.decode()

    assert "Not sent automatically: it had no stories." in page


def test_the_french_desk_says_it_the_french_way(morning):
    issue = Issue.objects.create(list=morning, subject="Matin", scheduled_for=DAY)

    with translation.override("fr-ca"):
        said = goes_out(issue, now=at(6, 0))

    assert said == "Envoi automatique aujourd’hui à 7\xa0h\xa000."


def test_an_issue_set_aside_yesterday_can_be_edited_or_moved_to_tomorrow(editor_client, morning):
    """Editing yesterday's late issue is allowed; moving it to tomorrow schedules it again."""
    issue = Issue.objects.create(
        list=morning,
        subject="Late",
        scheduled_for=DAY - datetime.timedelta(days=1),
        not_sent=Issue.NotSent.LATE,
    )
    data = {
        "scheduled_for": "2026-12-07",
        "subject": "Late, edited",
        "introduction": "",
        "entries-TOTAL_FORMS": "0",
        "entries-INITIAL_FORMS": "0",
    }

    with time_machine.travel(at(9, 30), tick=False):
        editor_client.post(f"/admin/newsletters/issue/{issue.pk}/change/", data)
        issue.refresh_from_db()
        assert (issue.subject, issue.not_sent) == ("Late, edited", Issue.NotSent.LATE)
        editor_client.post(
            f"/admin/newsletters/issue/{issue.pk}/change/", {**data, "scheduled_for": "2026-12-09"}
        )

    issue.refresh_from_db()
    assert (issue.scheduled_for, issue.not_sent) == (datetime.date(2026, 12, 9), "")
