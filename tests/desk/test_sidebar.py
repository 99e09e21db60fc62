"""The story form's second column: status, the workflow buttons in plain words, publish
time, section, tags, bylines and lead photo; and the search and social fields."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin.story_form import add_url, change_url, form_errors, story_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def sidebar(html):
    """The HTML of the sidebar alone (up to the fieldsets shown at full width)."""
    start = html.index('<div class="newsroom-sidebar">')
    return html[start : html.index('<div class="newsroom-after">', start)]


def buttons(html):
    """(name, value, label) of every submit button in the story's one action bar."""
    group = html.split('class="newsroom-actions"', 1)[1].split("</div>", 1)[0]
    return [
        (name, value, label.strip())
        for name, value, label in re.findall(
            r'<button type="submit" name="(\w+)" value="(\w+)"[^>]*>([^<]+)</button>', group
        )
    ]


def test_a_reporters_draft_offers_save_draft_and_submit_for_review(reporter_client, own_draft):
    html = reporter_client.get(change_url(own_draft)).content.decode()
    assert buttons(html) == [
        ("_continue", "1", "Save draft"),
        ("_transition", "review", "Submit for review"),
    ]


def test_a_new_story_offers_save_draft_first(reporter_client, section):
    html = reporter_client.get(add_url()).content.decode()
    assert [label for _, _, label in buttons(html)] == ["Save draft", "Submit for review"]


def test_an_editor_sees_send_back_schedule_and_publish_on_a_submitted_story(
    editor_client, own_draft
):
    own_draft.status = Article.Status.IN_REVIEW
    own_draft.save()
    html = editor_client.get(change_url(own_draft)).content.decode()
    assert buttons(html) == [
        ("_continue", "1", "Save changes"),
        ("_transition", "draft", "Send back"),
        ("_transition", "scheduled", "Schedule"),
        ("_transition", "published", "Publish now"),
    ]


def test_a_reporter_is_offered_no_publishing_buttons_on_a_submitted_story(
    reporter_client, own_draft
):
    own_draft.status = Article.Status.IN_REVIEW
    own_draft.save()
    html = reporter_client.get(change_url(own_draft)).content.decode()
    assert [value for _, value, _ in buttons(html)] == ["1", "draft"]
    assert "Publish now" not in html and "Schedule" not in sidebar(html)


def test_a_published_story_offers_unpublish_to_an_editor(editor_client, section):
    story = ArticleFactory(section=section)
    html = editor_client.get(change_url(story)).content.decode()
    assert [label for _, _, label in buttons(html)] == ["Save changes", "Unpublish"]


def test_the_sidebar_holds_status_publish_time_section_tags_bylines_and_photo(
    reporter_client, own_draft
):
    html = sidebar(reporter_client.get(change_url(own_draft)).content.decode())
    for marker in (
        "field-status_summary",
        'name="publish_at_0"',
        'name="section"',
        'name="tags"',
        'id="bylines-group"',
        'name="lead_photo"',
        'name="photo_upload"',
        'id="newsroom-tz-note"',
    ):
        assert marker in html, marker
    # The writing stays in the first column.
    assert 'name="headline"' not in html and 'name="body"' not in html


def test_the_buttons_post_inside_the_form_with_its_csrf_token(reporter_client, own_draft):
    html = reporter_client.get(change_url(own_draft)).content.decode()
    form = html[html.index('<form enctype="multipart/form-data"') :]
    form = form[: form.index("</form>")]
    assert "csrfmiddlewaretoken" in form and 'class="newsroom-actions"' in form


def test_the_submit_button_moves_the_story_and_says_so(reporter_client, own_draft):
    data = story_form_data(own_draft, _transition="review")
    response = reporter_client.post(change_url(own_draft), data, follow=True)
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.IN_REVIEW
    said = [str(m) for m in response.context["messages"]]
    assert len(said) == 1 and said[0].startswith(f"Submitted for review: “{own_draft.headline}”")


def test_a_crafted_publish_button_from_a_reporter_is_refused(reporter_client, own_draft):
    """The buttons only offer; the server decides."""
    data = story_form_data(own_draft, _transition="published")
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 200
    assert "Only editors" in form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT


def test_without_the_csrf_token_nothing_moves(reporter, own_draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    data = story_form_data(own_draft, _transition="review")
    assert client.post(change_url(own_draft), data).status_code == 403
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT


def test_the_story_list_puts_a_reporters_own_stories_first(reporter_client, reporter, section):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for n in range(3):
        ArticleFactory(headline=f"Newer {n}", section=section, publish_at=now - timedelta(hours=n))
    ArticleFactory(
        headline="Mine, older",
        section=section,
        publish_at=now - timedelta(days=3),
        authors=[reporter.author_profile],
    )
    ArticleFactory(
        headline="Mine, started",
        section=section,
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=reporter,
    )
    response = reporter_client.get(reverse("admin:articles_article_changelist"))
    headlines = [a.headline for a in response.context["cl"].result_list]
    assert set(headlines[:2]) == {"Mine, older", "Mine, started"}
    assert headlines[2:] == ["Newer 0", "Newer 1", "Newer 2"]
    # Sorting by a column is the reporter's choice and replaces it.
    # By headline: column 1, after the checkbox column of the bulk actions (reporters
    # have one since they may translate selected stories).
    response = reporter_client.get(reverse("admin:articles_article_changelist"), {"o": "1"})
    headlines = [a.headline for a in response.context["cl"].result_list]
    assert headlines == sorted(headlines)


def test_an_editors_list_is_not_reordered(editor_client, reporter, section):
    ArticleFactory(headline="Newest", section=section)
    ArticleFactory(
        headline="Reporter's draft",
        section=section,
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=reporter,
    )
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert "is_mine" not in str(response.context["cl"].queryset.query)


@pytest.fixture
def story(section):
    return ArticleFactory(headline="Transit fares frozen", section=section)


def test_the_story_form_offers_them_with_limits(editor_client, story):

    html = editor_client.get(change_url(story)).content.decode()
    assert 'name="social_headline"' in html and 'maxlength="100"' in html
    assert 'name="social_description"' in html and 'maxlength="200"' in html
    assert 'data-count-limit="70"' in html and 'data-count-limit="160"' in html


def test_the_story_form_refuses_a_social_headline_over_the_limit(editor_client, story):

    data = story_form_data(story, social_headline="x" * 101, _continue="1")
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 200
    assert "social_headline" in form_errors(response)
    story.refresh_from_db()
    assert story.social_headline == ""


def test_the_story_form_saves_them(editor_client, story):

    data = story_form_data(
        story,
        social_headline="Fares frozen",
        social_description="Second year running.",
        _continue="1",
    )
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.social_headline, story.social_description) == (
        "Fares frozen",
        "Second year running.",
    )


def test_a_line_break_typed_in_the_headline_box_becomes_a_space(reporter_client, own_draft):
    data = story_form_data(own_draft, headline="Council approves\r\n new  transit line")
    data["_continue"] = "1"
    assert reporter_client.post(change_url(own_draft), data).status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.headline == "Council approves new transit line"


def test_the_publish_time_says_it_is_toronto_time(reporter_client, own_draft):
    html = reporter_client.get(change_url(own_draft)).content.decode()
    assert "Toronto time. When the story goes live" in html


@pytest.mark.parametrize("who", ["reporter", "editor"])
def test_the_story_form_has_one_set_of_save_buttons(request, who, own_draft):
    """One bar (save, then the workflow's moves), not a second row in other words."""
    client = request.getfixturevalue(f"{who}_client")
    html = client.get(change_url(own_draft)).content.decode()
    assert html.count('name="_continue"') == 1
    assert html.count('class="newsroom-actions"') == 1
    assert 'name="_save"' not in html and "Save and go to the list" not in html
