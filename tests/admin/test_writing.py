"""Writing in the admin: the body editor, clean paste, slugs and tags."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, SlugRedirect
from tests.admin.story_form import add_url, change_url, form_errors, story_form_data
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

WORD_PASTE = (
    '<p class="MsoNormal" style="margin:0cm;font-family:Calibri">'
    '<span lang="EN-CA" style="mso-bidi-font-weight:bold"><b>Wildfire</b> crews'
    "<o:p></o:p></span></p>"
    "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
    '<p class="MsoListParagraph"><font face="Arial">held the line</font></p>'
    "<style>p.MsoNormal{margin:0}</style>"
)


def test_the_body_uses_the_rich_text_editor(reporter_client):
    page = reporter_client.get(add_url()).content.decode()
    assert "data-django-prose-editor-configurable" in page
    assert "django_prose_editor/editor.js" in page


def test_text_pasted_from_a_word_processor_loses_its_junk(reporter_client, section):
    data = story_form_data(section=section.pk, body=WORD_PASTE)
    response = reporter_client.post(add_url(), data)
    assert response.status_code == 302, form_errors(response)
    body = Article.objects.get().body
    for junk in ("Mso", "style", "<span", "<font", "o:p", "<!--", "w:WordDocument", "margin"):
        assert junk not in body
    assert body == "<p><b>Wildfire</b> crews</p><p>held the line</p>"


def test_the_slug_follows_the_headline_while_drafting(reporter_client, section, own_draft):
    page = reporter_client.get(add_url())
    assert [f["field"].name for f in page.context["prepopulated_fields"]] == ["slug"]
    response = reporter_client.post(add_url(), story_form_data(section=section.pk, slug=""))
    assert response.status_code == 302, form_errors(response)
    story = Article.objects.get(headline="Wildfire forces evacuation of Kelowna suburb")
    assert story.slug == "wildfire-forces-evacuation-of-kelowna-suburb"
    page = reporter_client.get(change_url(own_draft))
    assert "slug" in page.context["adminform"].form.fields


def test_a_draft_slug_keeps_following_its_headline(reporter_client, own_draft):
    assert own_draft.slug == "council-approves-new-transit-line"
    response = reporter_client.post(
        change_url(own_draft), story_form_data(own_draft, headline="Council rejects transit line")
    )
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.slug == "council-rejects-transit-line"


def test_a_slug_set_by_hand_stays_when_the_headline_changes(reporter_client, own_draft):
    own_draft.slug = "transit-vote"
    own_draft.save()
    response = reporter_client.post(
        change_url(own_draft), story_form_data(own_draft, headline="Council rejects transit line")
    )
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.slug == "transit-vote"


def test_the_slug_is_frozen_once_published(editor_client, section):
    story = ArticleFactory(section=section, headline="Old headline", slug="old-headline")
    page = editor_client.get(change_url(story))
    assert "slug" not in page.context["adminform"].form.fields
    assert page.context["prepopulated_fields"] == []
    response = editor_client.post(
        change_url(story),
        story_form_data(story, headline="New headline", slug="new-headline", change_kind="minor"),
    )
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert (story.headline, story.slug) == ("New headline", "old-headline")
    assert not SlugRedirect.objects.exists()


def test_tags_reuse_existing_ones_whatever_the_case_or_spacing(reporter_client, own_draft):
    TagFactory(name="Ukraine", slug="ukraine")
    TagFactory(name="British Columbia", slug="british-columbia")
    data = story_form_data(
        own_draft, tags="ukraine , british   columbia,Wildfires, WILDFIRES,  Ukraine"
    )
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    assert sorted(t.name for t in own_draft.tags.all()) == [
        "British Columbia",
        "Ukraine",
        "Wildfires",
    ]
    assert Tag.objects.count() == 3


def test_tag_suggestions_come_from_existing_tags(reporter_client):
    for name in ("Ukraine", "Ukrainian refugees", "Housing", "Bank of Canada"):
        TagFactory(name=name)
    url = reverse("admin:articles_article_tag_suggestions")
    assert reporter_client.get(url, {"q": "ukr"}).json() == {
        "tags": ["Ukraine", "Ukrainian refugees"]
    }
    assert reporter_client.get(url, {"q": "canada"}).json() == {"tags": ["Bank of Canada"]}
    assert reporter_client.get(url, {"q": "  "}).json() == {"tags": []}


def test_tag_suggestions_are_for_staff_only(client):
    response = client.get(reverse("admin:articles_article_tag_suggestions"), {"q": "ukr"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
