"""Content checks while writing: warnings the story form shows as the journalist types and
the desk repeats when a story (or a pending change) is submitted for review."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from articles import workflow
from articles.models import Article
from desk import checks
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db
LONG = " ".join(["word"] * 36) + "."


def codes(found):
    return [w["code"] for w in found["warnings"]]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"photo": True, "photo_alt": " "}, "photo_alt"),
        ({"body": '<p>See <img src="/media/a.jpg"></p>'}, "image_alt"),
        ({"body": "<h3>Under the headline</h3><p>Text.</p>"}, "heading_order"),
        ({"body": "<h2>One</h2><h4>Skips three</h4>"}, "heading_order"),
        ({"body": '<p><a href="https://example.com/"></a></p>'}, "empty_link"),
        ({"body": "<p><a>here</a></p>"}, "link_without_address"),
        ({"body": f"<p>{LONG}</p>"}, "long_sentence"),
        ({"headline": "x" * 71}, "long_headline"),
    ],
)
def test_each_problem_is_pointed_out(kwargs, code):
    assert codes(checks.run(**kwargs)) == [code]


def test_a_well_made_story_has_nothing_to_point_out():
    body = (
        "<h2>What happened</h2><h3>In the morning</h3><p>The council voted. "
        + " ".join(["word"] * 34)
        + '.</p><h2>What next</h2><p><a href="https://example.com/">The report</a>.</p>'
        + '<p><img src="/media/a.jpg" alt="The council chamber"></p>'
    )
    found = checks.run(headline="x" * 70, body=body, photo=True, photo_alt="A crowd")
    assert found["warnings"] == []


def test_the_reading_ease_follows_the_language_and_the_difficulty():
    plain = "<p>The cat sat on the mat. We ran to the park. It was fun.</p>"
    hard = (
        "<p>Notwithstanding considerable institutional reluctance, parliamentary "
        "representatives unanimously authorized comprehensive infrastructural "
        "modernization initiatives.</p>"
    )
    easy, difficult = checks.run(body=plain)["reading"], checks.run(body=hard)["reading"]
    assert easy["score"] > 80 and easy["label"] == "easy" and "Flesch" in easy["message"]
    assert difficult["score"] < 30 and difficult["label"] == "very difficult"
    french = checks.run(body="<p>Le chat dort. Il fait beau.</p>", language="fr")["reading"]
    assert "Kandel–Moles" in french["message"] and french["score"] > 80
    assert checks.run(body="")["reading"] is None


def test_syllables_are_counted_by_vowel_groups_with_a_silent_final_e():
    assert [checks.syllables(w, "en") for w in ("cat", "table", "make", "reading")] == [1, 2, 1, 2]
    assert [checks.syllables(w, "fr") for w in ("chat", "maison", "table", "école")] == [1, 2, 1, 2]


def test_the_checks_endpoint_answers_the_forms_text_for_staff_only(reporter_client):
    url = reverse("admin:articles_article_content_checks")
    answer = reporter_client.post(
        url, {"headline": "A", "body": "<h4>Deep</h4><p>Short.</p>", "language": "fr"}
    ).json()
    assert codes(answer) == ["heading_order"] and "Kandel" in answer["reading"]["message"]
    assert reporter_client.get(url).status_code == 405
    assert Client().post(url, {"body": "x"}).status_code == 302  # to the sign-in page


def test_submitting_for_review_lists_the_warnings_but_submits(reporter_client, own_draft):
    photo = PhotoFactory(alt_text="")
    own_draft.lead_photo = photo
    own_draft.save()
    data = story_form_data(own_draft, body=f"<p>{LONG}</p>", _transition="review")
    data["photo_alt_text"] = ""
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    assert Article.objects.get(pk=own_draft.pk).status == Article.Status.IN_REVIEW
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(
        m.startswith("Before review, have a look:")
        and "sentence of 36 words" in m
        and "no alt text" in m
        for m in said
    ), said


def test_submitting_a_pending_change_lists_its_warnings(reporter_client, reporter, section):
    story = ArticleFactory(section=section, created_by=reporter, authors=[reporter.author_profile])
    response = reporter_client.post(
        reverse("admin:articles_article_pending", args=[story.pk]),
        {"headline": story.headline, "body": "<h4>Deep</h4>", "_submit": "1"},
    )
    assert response.status_code == 302
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Before review" in said and "level 4" in said
    assert workflow.can_prepare_change(reporter, story)


def test_the_form_shows_the_checks_panel_to_writers_only(reporter_client, reporter, section):
    draft = ArticleFactory(
        section=section,
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    live = ArticleFactory(section=section, created_by=reporter, authors=[reporter.author_profile])
    assert 'id="newsroom-checks"' in reporter_client.get(change_url(draft)).content.decode()
    assert (
        'id="newsroom-checks"'
        in reporter_client.get(reverse("admin:articles_article_add")).content.decode()
    )
    # A published story is read-only to its reporter: nothing to check while writing.
    assert 'id="newsroom-checks"' not in reporter_client.get(change_url(live)).content.decode()
