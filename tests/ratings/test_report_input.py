"""The ratings report answers dates at the ends of the calendar with a form error, not a 500."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

EDGE_PERIODS = [
    {"end": "9999-12-31"},
    {"end": "0001-01-05"},
    {"start": "0001-01-01"},
    {"start": "9999-12-31", "end": "9999-12-31"},
    {"start": "0001-01-01", "end": "0001-01-01"},
]


@pytest.fixture
def editor_client(client):
    client.force_login(StaffFactory(username="editor", group="Editor"))
    return client


@pytest.mark.parametrize("period", EDGE_PERIODS)
def test_the_report_explains_a_date_out_of_range(editor_client, period):
    """The report page shows the form with an error for a date it cannot count from."""
    response = editor_client.get(reverse("admin:ratings_report"), period)
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("period", EDGE_PERIODS)
def test_the_csv_refuses_a_date_out_of_range_with_a_sentence(editor_client, period):
    """The CSV export is a 400 saying what is wrong with the dates."""
    response = editor_client.get(reverse("admin:ratings_report_csv"), period)
    assert response.status_code == 400
    assert "date" in response.content.decode().lower()


def test_the_report_still_takes_an_ordinary_period(editor_client):
    """A period of this century is counted as before."""
    response = editor_client.get(
        reverse("admin:ratings_report_csv"), {"start": "2026-01-01", "end": "2026-01-31"}
    )
    assert response.status_code == 200
