"""Editors open the ratings tools; reporters get the admin's own "not allowed" page."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from ratings.models import Feedback
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db


def ratings_urls():
    return [
        reverse("admin:ratings_report"),
        reverse("admin:ratings_report_csv"),
        reverse("admin:ratings_ratingsummary_changelist"),
        reverse("admin:ratings_feedback_changelist"),
    ]


@pytest.fixture
def feedback():
    return Feedback.objects.create(
        article=ArticleFactory(),
        stars=1,
        text="The map was wrong",
        voter="00000000-0000-0000-0000-000000000001",
    )


def test_an_editor_opens_the_ratings_report_its_csv_and_the_feedback_inbox(client, feedback):
    client.force_login(StaffFactory(username="desk-editor", group="Editor"))
    for url in ratings_urls():
        assert client.get(url).status_code == 200, url
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:ratings_feedback_changelist") in index
    assert reverse("admin:ratings_ratingsummary_changelist") in index


def test_an_editor_marks_feedback_as_handled(client, feedback):
    client.force_login(StaffFactory(username="desk-editor", group="Editor"))
    response = client.post(
        reverse("admin:ratings_feedback_changelist"),
        {"action": "mark_handled", "_selected_action": [feedback.pk]},
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.handled


def test_a_reporter_gets_the_admins_not_allowed_page_for_the_ratings_tools(client, feedback):
    client.force_login(StaffFactory(username="desk-reporter", group="Reporter"))
    for url in ratings_urls():
        response = client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert 'id="header"' in page  # the admin's header and navigation
        assert "Your account does not have permission to open this page." in page
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:ratings_feedback_changelist") not in index


def test_mark_as_handled_needs_the_change_permission_not_just_view(client, feedback):
    staff = StaffFactory(username="viewer")
    staff.user_permissions.add(Permission.objects.get(codename="view_feedback"))
    client.force_login(staff)
    changelist = client.get(reverse("admin:ratings_feedback_changelist"))
    assert changelist.status_code == 200
    assert "mark_handled" not in changelist.content.decode()
    client.post(
        reverse("admin:ratings_feedback_changelist"),
        {"action": "mark_handled", "_selected_action": [feedback.pk]},
    )
    feedback.refresh_from_db()
    assert not feedback.handled


def test_a_refusal_outside_the_admin_uses_the_public_403_page(rf):
    from django.contrib.auth.models import AnonymousUser

    from newsroom.errors import permission_denied

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == 403
    assert "You can’t open this page" in response.content.decode()
