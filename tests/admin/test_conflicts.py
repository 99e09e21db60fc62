"""Two people on one story: the second save never silently replaces the first."""

import pytest
from django.test import Client

from tests.admin.story_form import change_url, form_errors, story_form_data

pytestmark = pytest.mark.django_db


def test_a_stale_form_is_refused_with_both_texts_kept(reporter, editor, own_draft):
    stale = story_form_data(own_draft)  # both people open the same version
    editor_client, reporter_client = Client(), Client()
    editor_client.force_login(editor)
    reporter_client.force_login(reporter)

    first = editor_client.post(
        change_url(own_draft),
        {**stale, "body": "<p>Editor's tightened lede.</p>"},
    )
    assert first.status_code == 302, form_errors(first)

    second = reporter_client.post(
        change_url(own_draft),
        {**stale, "body": "<p>Reporter's new quote from the mayor.</p>"},
    )
    assert second.status_code == 200
    assert "editor saved this story while you were editing it" in form_errors(second)
    own_draft.refresh_from_db()
    assert own_draft.body == "<p>Editor's tightened lede.</p>"  # theirs is kept
    html = second.content.decode()
    assert "Reporter&#x27;s new quote from the mayor." in html  # yours is still in the form
    assert "<del>Editor&#x27;s tightened lede.</del>" in html  # and the difference is shown

    # Saving again after seeing the conflict is deliberate, and goes through.
    form = second.context["adminform"].form
    again = reporter_client.post(change_url(own_draft), {**form.data.dict(), "_continue": "1"})
    assert again.status_code == 302, form_errors(again)
    own_draft.refresh_from_db()
    assert own_draft.body == "<p>Reporter's new quote from the mayor.</p>"


def test_saving_the_current_version_is_not_a_conflict(reporter_client, own_draft):
    for text in ("<p>One.</p>", "<p>Two.</p>"):
        own_draft.refresh_from_db()
        response = reporter_client.post(
            change_url(own_draft), story_form_data(own_draft, body=text)
        )
        assert response.status_code == 302, form_errors(response)


def test_a_form_without_a_version_is_treated_as_stale(reporter_client, own_draft):
    data = story_form_data(own_draft, body="<p>From nowhere.</p>")
    del data["loaded_version"]
    response = reporter_client.post(change_url(own_draft), data)
    assert "saved this story while you were editing it" in form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.body != "<p>From nowhere.</p>"
