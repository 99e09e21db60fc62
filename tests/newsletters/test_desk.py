"""The desk's newsletters: editors only, addresses only with the permission, and an issue
prepared, previewed, tested and sent from its page."""

import pytest
from django.contrib.auth.models import Permission

from newsletters.models import Issue, IssueStory, Subscriber
from tests.factories import ArticleFactory, StaffFactory
from tests.newsletters.conftest import confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = StaffFactory(group="Editor", email="editor@news.example.ca")
    client.force_login(editor)
    client.user = editor
    return client


@pytest.fixture
def issue(digest):
    issue = Issue.objects.create(list=digest, subject="Morning briefing")
    IssueStory.objects.create(issue=issue, article=ArticleFactory(headline="Budget day"))
    return issue


def test_a_reporter_sees_no_newsletters(client, digest):
    client.force_login(StaffFactory(group="Reporter"))

    assert client.get("/admin/newsletters/newsletterlist/").status_code == 403
    assert client.get("/admin/newsletters/subscriber/").status_code == 403
    assert b"/admin/newsletters/" not in client.get("/admin/").content


def test_the_lists_page_counts_confirmed_subscribers(editor_client, digest):
    confirmed("ana@example.ca", digest)
    confirmed("ben@example.ca", digest)

    page = editor_client.get("/admin/newsletters/newsletterlist/").content.decode()

    assert '<td class="field-subscribers">2</td>' in page


def test_an_editor_sees_masked_addresses_without_the_permission(editor_client, digest):
    subscriber = confirmed("ana.tremblay@example.ca", digest).subscriber

    listing = editor_client.get("/admin/newsletters/subscriber/").content.decode()
    detail = editor_client.get(
        f"/admin/newsletters/subscriber/{subscriber.pk}/change/"
    ).content.decode()

    for page in (listing, detail):
        assert "ana.tremblay@example.ca" not in page
        assert "a***@example.ca" in page


def test_the_address_permission_shows_addresses(editor_client, digest):
    confirmed("ana.tremblay@example.ca", digest)
    editor_client.user.user_permissions.add(
        Permission.objects.get(codename="view_subscriber_address")
    )

    page = editor_client.get("/admin/newsletters/subscriber/?q=tremblay").content.decode()

    assert "ana.tremblay@example.ca" in page


def test_preparing_an_issue_fills_it_with_the_front_pages_stories(editor_client, digest):
    ArticleFactory(headline="Ontario tables its budget")

    response = editor_client.post(
        "/admin/newsletters/newsletterlist/",
        {"action": "prepare_issue", "_selected_action": [digest.pk]},
    )

    issue = Issue.objects.get()
    assert response.url == f"/admin/newsletters/issue/{issue.pk}/change/"
    assert [s.headline for s in issue.ordered_stories()] == ["Ontario tables its budget"]


def test_the_preview_is_the_mail_a_reader_gets(editor_client, issue):
    page = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/preview/")

    assert page.status_code == 200
    assert "Budget day" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_a_test_send_goes_to_the_editor(editor_client, issue, smtp_server):
    editor_client.post(f"/admin/newsletters/issue/{issue.pk}/send-test/")

    [message] = smtp_server.parsed()
    assert message["To"] == "editor@news.example.ca"


def test_sending_from_the_desk_reaches_the_subscribers_and_shows_the_counts(
    editor_client, issue, digest, smtp_server, django_capture_on_commit_callbacks
):
    confirmed("ana@example.ca", digest)
    confirmed("ben@example.ca", digest)

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(f"/admin/newsletters/issue/{issue.pk}/send/")

    assert sorted(m["To"] for m in smtp_server.parsed()) == ["ana@example.ca", "ben@example.ca"]
    page = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/change/").content.decode()
    assert '<dd data-count="sent">2</dd>' in page
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_an_issue_without_stories_is_not_sent(editor_client, digest):
    empty = Issue.objects.create(list=digest, subject="Nothing")

    response = editor_client.post(f"/admin/newsletters/issue/{empty.pk}/send/", follow=True)

    assert "Add at least one story" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == Issue.Status.DRAFT
    assert not Subscriber.objects.exists()
