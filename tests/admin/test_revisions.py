"""Every save keeps a version; the history shows who changed what; editors restore."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from tests.admin.story_form import change_url, form_errors, story_form_data

pytestmark = pytest.mark.django_db


def save(client, story, **changes):
    story.refresh_from_db()
    response = client.post(change_url(story), story_form_data(story, **changes))
    assert response.status_code == 302, form_errors(response)


def test_every_admin_save_keeps_a_version_with_its_author(reporter_client, reporter, own_draft):
    save(reporter_client, own_draft, headline="First")
    save(reporter_client, own_draft, body="<p>Second body.</p>")
    versions = Version.objects.get_for_object(own_draft)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {reporter}
    assert versions[0].field_dict["body"] == "<p>Second body.</p>"


def test_the_history_shows_who_changed_what_with_a_readable_diff(reporter_client, own_draft):
    save(reporter_client, own_draft, body="<p>The council voted on Tuesday.</p>")
    save(reporter_client, own_draft, body="<p>The council voted on Wednesday.</p>")
    history = reporter_client.get(reverse("admin:articles_article_history", args=[own_draft.pk]))
    html = history.content.decode()
    assert "reporter" in html and "Changed Body." in html
    newest = Version.objects.get_for_object(own_draft).first()
    page = reporter_client.get(
        reverse("admin:articles_article_revision", args=[own_draft.pk, newest.pk])
    )
    assert page.status_code == 200
    changes = dict(page.context["changes_in_version"])
    assert str(changes["Body"]) == "The council voted on <del>Tuesday.</del><ins>Wednesday.</ins>"
    assert not page.context["can_restore"]


def test_an_editor_restores_an_older_text_as_a_new_version(reporter_client, editor, own_draft):
    save(reporter_client, own_draft, headline="Good headline", body="<p>Good text.</p>")
    save(reporter_client, own_draft, headline="Worse headline", body="<p>Worse text.</p>")
    good = Version.objects.get_for_object(own_draft).last()
    editor_client = Client()
    editor_client.force_login(editor)
    response = editor_client.post(
        reverse("admin:articles_article_revision", args=[own_draft.pk, good.pk])
    )
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert (own_draft.headline, own_draft.body) == ("Good headline", "<p>Good text.</p>")
    assert own_draft.status == "draft" and own_draft.last_edited_by == editor
    newest = Version.objects.get_for_object(own_draft).first()
    assert newest.revision.user == editor and "Restored" in newest.revision.comment
    assert Version.objects.get_for_object(own_draft).count() == 3


def test_a_reporter_cannot_restore(reporter_client, own_draft):
    save(reporter_client, own_draft, headline="One")
    save(reporter_client, own_draft, headline="Two")
    first = Version.objects.get_for_object(own_draft).last()
    url = reverse("admin:articles_article_revision", args=[own_draft.pk, first.pk])
    assert reporter_client.post(url).status_code == 403
    own_draft.refresh_from_db()
    assert own_draft.headline == "Two"
