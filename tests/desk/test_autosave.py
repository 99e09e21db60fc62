"""Autosave: private, per writer and story, never a revision, never over someone's newer save."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Autosave
from tests.admin.story_form import change_url, form_errors, story_form_data

pytestmark = pytest.mark.django_db


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def send(client, article, **values):
    payload = {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": article.body,
        "loaded_version": article.version,
        **values,
    }
    return client.post(autosave_url(article), json.dumps(payload), content_type="application/json")


def test_an_autosave_keeps_the_text_without_touching_the_story(reporter_client, own_draft):
    before = (own_draft.version, own_draft.body, Version.objects.count())
    response = send(reporter_client, own_draft, body="<p>Half a sentence</p>")
    assert response.status_code == 200 and response.json()["saved"] is True
    assert "Autosaved at" in response.json()["message"]
    own_draft.refresh_from_db()
    assert (own_draft.version, own_draft.body, Version.objects.count()) == before
    kept = Autosave.objects.get()
    assert kept.body == "<p>Half a sentence</p>" and kept.base_version == own_draft.version


def test_each_autosave_replaces_the_writers_previous_one(reporter_client, own_draft):
    send(reporter_client, own_draft, body="<p>One</p>")
    send(reporter_client, own_draft, body="<p>One two</p>")
    assert list(Autosave.objects.values_list("body", flat=True)) == ["<p>One two</p>"]


def test_after_a_reload_the_page_offers_the_autosave_and_restores_it(reporter_client, own_draft):
    send(reporter_client, own_draft, headline="Council approves transit line, 7-4")
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert "Your changes from" in page and "were never saved" in page
    # The time ("7:30 a.m.") is not the sentence's end, where it doubled the period.
    assert "m.." not in page
    assert "?restore=autosave" in page
    restored = reporter_client.get(change_url(own_draft) + "?restore=autosave")
    form = restored.context["adminform"].form
    assert form["headline"].value() == "Council approves transit line, 7-4"
    assert "Your unsaved changes are back in the form" in restored.content.decode()


def test_autosaves_are_private_to_their_writer(reporter_client, editor, own_draft):
    send(reporter_client, own_draft, body="<p>My secret draft</p>")
    editor_client = Client()
    editor_client.force_login(editor)
    page = editor_client.get(change_url(own_draft)).content.decode()
    assert "unsaved changes" not in page and "My secret draft" not in page


def test_saving_the_story_clears_the_autosave(reporter_client, own_draft):
    send(reporter_client, own_draft, body="<p>Longer text</p>")
    response = reporter_client.post(
        change_url(own_draft), story_form_data(own_draft, body="<p>Longer text</p>")
    )
    assert response.status_code == 302, form_errors(response)
    assert not Autosave.objects.exists()


def test_restoring_over_someone_elses_newer_save_meets_the_conflict_check(
    reporter_client, editor, own_draft
):
    send(reporter_client, own_draft, body="<p>Reporter's text</p>")
    # Meanwhile an editor saves the story.
    own_draft.body = "<p>Editor's text</p>"
    own_draft.last_edited_by = editor
    own_draft.save()
    page = reporter_client.get(change_url(own_draft)).content.decode()
    assert "Someone has saved the story since" in page
    form = (
        reporter_client.get(change_url(own_draft) + "?restore=autosave").context["adminform"].form
    )
    assert form["loaded_version"].value() == own_draft.version - 1
    data = story_form_data(own_draft, body=form["body"].value())
    data["loaded_version"] = str(form["loaded_version"].value())
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 200
    assert "saved this story while you were editing it" in form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.body == "<p>Editor's text</p>"


def test_an_unchanged_text_keeps_no_autosave(reporter_client, own_draft):
    send(reporter_client, own_draft, body="<p>Changed</p>")
    response = send(reporter_client, own_draft)
    assert response.json()["saved"] is False
    assert not Autosave.objects.exists()


def test_discarding_drops_the_autosave(reporter_client, own_draft):
    send(reporter_client, own_draft, body="<p>Changed</p>")
    response = reporter_client.post(autosave_url(own_draft), {"discard": "1"})
    assert response.status_code == 302 and not Autosave.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"loaded_version": "x"}', b'{"body": 5, "loaded_version": 1}'],
)
def test_malformed_autosaves_are_a_400_with_a_sentence(reporter_client, own_draft, body):
    response = reporter_client.post(autosave_url(own_draft), body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert not Autosave.objects.exists()


def test_a_too_long_body_is_refused(reporter_client, own_draft):
    response = send(reporter_client, own_draft, body="x" * 1_000_001)
    assert response.status_code == 400


def test_no_autosave_on_a_story_the_user_may_not_edit(client, other_reporter, own_draft):
    client.force_login(other_reporter)
    assert send(client, own_draft, body="<p>Hijack</p>").status_code == 403
    own_draft.status = Article.Status.PUBLISHED
    own_draft.save()
    assert client.get(autosave_url(own_draft)).status_code == 405
    assert not Autosave.objects.exists()


def test_the_autosave_endpoint_checks_csrf(reporter, own_draft):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reporter)
    response = strict.post(
        autosave_url(own_draft),
        json.dumps({"body": "x", "loaded_version": own_draft.version}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_autosaving_a_published_story_adds_nothing_to_its_public_record(editor_client):
    """Text being typed into a public story is not a public version until it is saved."""
    from tests.factories import ArticleFactory

    story = ArticleFactory(body="<p>The vote was 9 to 2.</p>")
    response = send(editor_client, story, body="<p>The vote was 9 to 3, half-typed</p>")
    assert response.json()["saved"] is True
    assert list(story.public_versions.values_list("kind", "body")) == [
        ("published", "<p>The vote was 9 to 2.</p>")
    ]
    page = editor_client.get(f"{story.get_absolute_url()}history/").content.decode()
    assert "half-typed" not in page
