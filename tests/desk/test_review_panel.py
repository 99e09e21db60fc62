"""The story form's review panel: an editor opening a submitted story sees first that it
waits for them, its lead photo with the words readers will get, and what would stop it
from going out now."""

import pytest

from articles.models import Article
from tests.admin.story_form import change_url
from tests.factories import PhotoFactory

pytestmark = pytest.mark.django_db


def panel(html):
    """The review panel's HTML, or "" when the page has none."""
    if 'id="newsroom-review"' not in html:
        return ""
    start = html.index('<section class="newsroom-review"')
    return html[start : html.index("</section>", start)]


def submit(story, reporter, **photo):
    story.lead_photo = PhotoFactory(**photo)
    story.status = Article.Status.IN_REVIEW
    story.last_edited_by = reporter
    story.save()
    return story


def test_an_editor_opening_a_submitted_story_sees_it_waits_with_its_photo(
    editor_client, reporter, own_draft
):
    submit(own_draft, reporter, caption="The new line's first stop.", alt_text="A platform")
    html = panel(editor_client.get(change_url(own_draft)).content.decode())
    assert "Waiting for review" in html
    assert "Last saved by reporter" in html
    assert "publish it now, schedule it or send it back" in html
    assert 'alt="A platform"' in html
    assert "The new line&#x27;s first stop." in html
    assert "Before it can go out" not in html


def test_the_panel_names_what_stops_the_story_from_going_out(editor_client, reporter, own_draft):
    submit(own_draft, reporter, alt_text="")
    html = panel(editor_client.get(change_url(own_draft)).content.decode())
    assert "Before it can go out" in html
    assert "The lead photo needs alt text before the story goes out." in html


def test_the_reporter_is_told_an_editor_will_decide(reporter_client, reporter, own_draft):
    submit(own_draft, reporter)
    html = panel(reporter_client.get(change_url(own_draft)).content.decode())
    assert "An editor will publish it" in html
    assert "Before it can go out" not in html


def test_drafts_and_published_stories_have_no_review_panel(editor_client, own_draft):
    assert panel(editor_client.get(change_url(own_draft)).content.decode()) == ""
    own_draft.status = Article.Status.PUBLISHED
    own_draft.save()
    assert panel(editor_client.get(change_url(own_draft)).content.decode()) == ""
